package io.headlessdns.server.config;

import io.headlessdns.k8s.informer.InformerScope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach and scope the Kubernetes API when no manifests are given.
 *
 * @param kubeconfig     a kubeconfig file, or null for the in-cluster config
 * @param context        a context of the kubeconfig, or null for its current-context
 * @param startupTimeout how long DNS answers SERVFAIL for cluster names (and /ready is 503) while the
 *                       informers have not synced; after it, what is known is served
 */
public record KubeOptions(Path kubeconfig, String context, InformerScope scope, Duration startupTimeout) {

    /** Five minutes: long enough for an API server that is restarting, bounded so a permanently failing
     *  informer (e.g. missing RBAC for one resource) does not keep a DNS pod unready forever. */
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(5);

    public KubeOptions {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        if (startupTimeout.isNegative()) {
            throw new IllegalArgumentException("--startup-timeout must not be negative");
        }
        if (context != null && context.isBlank()) {
            context = null;
        }
    }

    public static KubeOptions inCluster() {
        return new KubeOptions(null, null, InformerScope.everything(), DEFAULT_STARTUP_TIMEOUT);
    }
}
