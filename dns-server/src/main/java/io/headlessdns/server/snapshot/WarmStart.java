package io.headlessdns.server.snapshot;

import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers from the last known state while the source syncs (issue #9 item 4). {@link #load} replays a
 * snapshot into the listener chain before the source starts. Live changes that arrive while the snapshot
 * is served are held back (the latest per object) and applied together at {@link #complete()} — when the
 * source has listed everything — followed by the removal of what the snapshot had and the cluster does
 * not. Holding them back matters: an informer may deliver a Service before its EndpointSlices are listed,
 * and serving that half-listed state would turn a snapshot name into NXDOMAIN for a moment. Each live
 * object replaces its snapshot copy in place (same key: overwritten, never removed and re-added). After a
 * start-up timeout with the API still down, the snapshot keeps serving.
 *
 * <p>Called by the source's single listener thread, after {@link #load} on the starting thread (the
 * source's start happens after it, which orders the two).
 */
public final class WarmStart implements ClusterListener {
    private static final Logger log = LoggerFactory.getLogger(WarmStart.class);

    private final ClusterListener next;
    private final Set<ServiceKey> staleServices = new HashSet<>();
    private final Set<String> stalePods = new HashSet<>();
    private final Set<String> staleNamespaces = new HashSet<>();
    private volatile boolean serving;
    /** Live changes held back while the snapshot is served; a null value is a removal. */
    private final Map<ServiceKey, ServiceView> pendingServices = new LinkedHashMap<>();
    private final Map<String, PodView> pendingPods = new LinkedHashMap<>();
    private final Map<String, Boolean> pendingNamespaces = new LinkedHashMap<>();

    public WarmStart(ClusterListener next) {
        this.next = next;
    }

    /**
     * Loads the snapshot file, if there is one and it is valid, and hands its state on. A missing file is
     * a cold start; a corrupt or foreign one is ignored with one log line and never served.
     *
     * @return whether a snapshot is being served
     */
    public boolean load(Path file, String clusterDomain) {
        if (!Files.exists(file)) {
            log.info("no snapshot at {}: cold start, cluster names wait for the API", file);
            return false;
        }
        ClusterState state;
        try {
            state = SnapshotFile.read(file, clusterDomain);
        } catch (SnapshotFile.Rejected | IOException e) {
            log.warn("ignoring snapshot {}: {}; cold start, cluster names wait for the API", file, e.getMessage());
            return false;
        }
        for (String ns : state.namespaces()) {
            staleNamespaces.add(ns);
            next.namespaceChanged(ns, true);
        }
        for (ServiceView s : state.services()) {
            staleServices.add(s.key());
            next.serviceChanged(s);
        }
        for (PodView p : state.pods()) {
            stalePods.add(p.namespace() + "/" + p.name());
            next.podChanged(p);
        }
        serving = true;
        log.info("warm start from snapshot {}: {} services, {} pods, {} namespaces served until the API has synced",
                file, state.services().size(), state.pods().size(), state.namespaces().size());
        return true;
    }

    /** Whether the snapshot's state is being served (loaded, and the source has not completed yet). */
    public boolean serving() {
        return serving;
    }

    @Override
    public void serviceChanged(ServiceView service) {
        staleServices.remove(service.key());
        if (serving) {
            pendingServices.put(service.key(), service);
        } else {
            next.serviceChanged(service);
        }
    }

    @Override
    public void serviceRemoved(ServiceKey key) {
        staleServices.remove(key);
        if (serving) {
            pendingServices.put(key, null);
        } else {
            next.serviceRemoved(key);
        }
    }

    @Override
    public void podChanged(PodView pod) {
        String key = pod.namespace() + "/" + pod.name();
        stalePods.remove(key);
        if (serving) {
            pendingPods.put(key, pod);
        } else {
            next.podChanged(pod);
        }
    }

    @Override
    public void podRemoved(String namespace, String name) {
        String key = namespace + "/" + name;
        stalePods.remove(key);
        if (serving) {
            pendingPods.put(key, null);
        } else {
            next.podRemoved(namespace, name);
        }
    }

    @Override
    public void namespaceChanged(String namespace, boolean exists) {
        staleNamespaces.remove(namespace);
        if (serving) {
            pendingNamespaces.put(namespace, exists);
        } else {
            next.namespaceChanged(namespace, exists);
        }
    }

    @Override
    public void synced() {
        next.synced();
    }

    @Override
    public void complete() {
        if (serving || !staleServices.isEmpty() || !stalePods.isEmpty() || !staleNamespaces.isEmpty()) {
            // the live state, complete now, first: every name that exists on both sides is overwritten
            pendingNamespaces.forEach((ns, exists) -> next.namespaceChanged(ns, exists));
            pendingServices.forEach((key, s) -> {
                if (s == null) {
                    next.serviceRemoved(key);
                } else {
                    next.serviceChanged(s);
                }
            });
            pendingPods.forEach((key, p) -> {
                if (p == null) {
                    int slash = key.indexOf('/');
                    next.podRemoved(key.substring(0, slash), key.substring(slash + 1));
                } else {
                    next.podChanged(p);
                }
            });
            pendingNamespaces.clear();
            pendingServices.clear();
            pendingPods.clear();
            int services = staleServices.size();
            int pods = stalePods.size();
            staleServices.forEach(next::serviceRemoved);
            for (String p : stalePods) {
                int slash = p.indexOf('/');
                next.podRemoved(p.substring(0, slash), p.substring(slash + 1));
            }
            staleNamespaces.forEach(ns -> next.namespaceChanged(ns, false));
            staleServices.clear();
            stalePods.clear();
            staleNamespaces.clear();
            log.info("API synced: live answers replace the snapshot's; {} services and {} pods it had are gone", services, pods);
        }
        serving = false;
        next.complete();
    }
}
