package io.headlessdns.k8s.manifest;

import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceView;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Delivers the difference between what was delivered last and a new snapshot as listener calls: changed
 * and new objects, then removals. Namespaces appear before anything in them and disappear after it, so a
 * listener never sees a service in a namespace it does not know. The initial load is the difference from
 * {@link Delivered#NOTHING}.
 */
final class SnapshotDiff {

    private SnapshotDiff() {
    }

    /**
     * What a source delivered, as little as the next diff needs: the {@link Fingerprint} of each service
     * and pod and the namespaces, not the objects. Sorted, so removals are delivered in a stable order.
     *
     * <p>Design note: keeping the delivered {@link ClusterSnapshot} itself cost about 200 bytes per
     * endpoint (30 MB for 150,000) for as long as the server ran, beside the compiled table that serves
     * the same data; a fingerprint costs a few dozen bytes per service.
     */
    record Delivered(Map<ServiceKey, Fingerprint> services, Map<String, Fingerprint> pods, Set<String> namespaces) {
        static final Delivered NOTHING = new Delivered(Map.of(), Map.of(), Set.of());
    }

    /** Delivers what changed since {@code before}; returns what is delivered after that. */
    static Delivered deliver(Delivered before, ClusterSnapshot after, ClusterListener listener) {
        Fingerprint.Digester digester = new Fingerprint.Digester();
        Map<ServiceKey, Fingerprint> services = new TreeMap<>();
        Map<String, Fingerprint> pods = new TreeMap<>();
        for (String ns : after.namespaces()) {
            if (!before.namespaces().contains(ns)) {
                listener.namespaceChanged(ns, true);
            }
        }
        for (Map.Entry<ServiceKey, ServiceView> e : after.services().entrySet()) {
            Fingerprint now = digester.of(e.getValue());
            services.put(e.getKey(), now);
            if (!now.equals(before.services().get(e.getKey()))) {
                listener.serviceChanged(e.getValue());
            }
        }
        for (ServiceKey key : before.services().keySet()) {
            if (!after.services().containsKey(key)) {
                listener.serviceRemoved(key);
            }
        }
        for (Map.Entry<String, PodView> e : after.pods().entrySet()) {
            Fingerprint now = digester.of(e.getValue());
            pods.put(e.getKey(), now);
            if (!now.equals(before.pods().get(e.getKey()))) {
                listener.podChanged(e.getValue());
            }
        }
        for (String key : before.pods().keySet()) {
            if (!after.pods().containsKey(key)) {
                // the key is ClusterSnapshot.podKey: neither a namespace nor a pod name holds a '/'
                int slash = key.indexOf('/');
                listener.podRemoved(key.substring(0, slash), key.substring(slash + 1));
            }
        }
        for (String ns : before.namespaces()) {
            if (!after.namespaces().contains(ns)) {
                listener.namespaceChanged(ns, false);
            }
        }
        return new Delivered(services, pods, new TreeSet<>(after.namespaces()));
    }
}
