package io.headlessdns.k8s.manifest;

import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceView;
import java.util.Map;

/**
 * Delivers the difference between two snapshots as listener calls: changed and new objects, then
 * removals. Namespaces appear before anything in them and disappear after it, so a listener never sees
 * a service in a namespace it does not know. The initial load is the difference from
 * {@link ClusterSnapshot#EMPTY}.
 */
final class SnapshotDiff {

    private SnapshotDiff() {
    }

    static void deliver(ClusterSnapshot before, ClusterSnapshot after, ClusterListener listener) {
        for (String ns : after.namespaces()) {
            if (!before.namespaces().contains(ns)) {
                listener.namespaceChanged(ns, true);
            }
        }
        for (Map.Entry<ServiceKey, ServiceView> e : after.services().entrySet()) {
            if (!e.getValue().equals(before.services().get(e.getKey()))) {
                listener.serviceChanged(e.getValue());
            }
        }
        for (ServiceKey key : before.services().keySet()) {
            if (!after.services().containsKey(key)) {
                listener.serviceRemoved(key);
            }
        }
        for (Map.Entry<String, PodView> e : after.pods().entrySet()) {
            if (!e.getValue().equals(before.pods().get(e.getKey()))) {
                listener.podChanged(e.getValue());
            }
        }
        for (Map.Entry<String, PodView> e : before.pods().entrySet()) {
            if (!after.pods().containsKey(e.getKey())) {
                listener.podRemoved(e.getValue().namespace(), e.getValue().name());
            }
        }
        for (String ns : before.namespaces()) {
            if (!after.namespaces().contains(ns)) {
                listener.namespaceChanged(ns, false);
            }
        }
    }
}
