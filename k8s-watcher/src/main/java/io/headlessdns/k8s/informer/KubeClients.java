package io.headlessdns.k8s.informer;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds the API client: from a kubeconfig file (and context) when given, else the in-cluster config. */
final class KubeClients {

    private KubeClients() {
    }

    /**
     * @param kubeconfig a kubeconfig file, or null for fabric8's auto-configuration, which in a pod is the
     *                   service account token and {@code KUBERNETES_SERVICE_HOST} (in-cluster config)
     * @param context    a context of that kubeconfig, or null for its current-context
     */
    static KubernetesClient connect(Path kubeconfig, String context) throws IOException {
        Config config;
        if (kubeconfig != null) {
            if (!Files.isReadable(kubeconfig)) {
                throw new IOException("--kubeconfig " + kubeconfig + ": not a readable file");
            }
            String text = Files.readString(kubeconfig);
            try {
                config = Config.fromKubeconfig(context, text, kubeconfig.toAbsolutePath().toString());
            } catch (RuntimeException e) {
                throw new IOException("--kubeconfig " + kubeconfig + (context == null ? "" : " --context " + context)
                        + ": " + e.getMessage(), e);
            }
            if (context != null && (config.getCurrentContext() == null
                    || !context.equals(config.getCurrentContext().getName()))) {
                throw new IOException("--context " + context + ": no such context in " + kubeconfig);
            }
        } else {
            config = Config.autoConfigure(context);
        }
        if (config.getMasterUrl() == null || config.getMasterUrl().isEmpty()) {
            throw new IOException("no Kubernetes API server configured (not in a pod, no --kubeconfig)");
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
