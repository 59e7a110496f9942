package io.headlessdns.k8s.informer;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.k8s.shrink.ServiceDraft;
import io.headlessdns.k8s.shrink.ShrinkRules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the informers' caches into listener calls, one object at a time, on the single listener thread.
 *
 * <p>Design note: it is level-triggered. An informer event only says which service or pod to look at
 * again; the current state is read from the caches and compared with what was last published, and only a
 * difference is published. Event order, duplicate events and the updates a relist delivers (after a
 * reconnect or HTTP 410 Gone) therefore cannot remove a name that still exists: fabric8 replaces cache
 * entries in place and deletes only what the new list lacks, so nothing is ever cleared and refilled.
 */
final class ClusterAssembler {
    private static final Logger log = LoggerFactory.getLogger(ClusterAssembler.class);
    static final String BY_SERVICE = "service";

    private final ClusterListener listener;
    private final InformerGroup<Service> services;
    private final InformerGroup<EndpointSlice> slices;
    private final InformerGroup<Pod> pods;
    private final Map<ServiceKey, ServiceView> published = new HashMap<>();
    private final Map<String, PodView> publishedPods = new HashMap<>();
    private final Map<String, Integer> objectsPerNamespace = new HashMap<>();
    private final Map<Object, String> rejected = new HashMap<>();

    ClusterAssembler(ClusterListener listener, InformerGroup<Service> services, InformerGroup<EndpointSlice> slices,
            InformerGroup<Pod> pods) {
        this.listener = listener;
        this.services = services;
        this.slices = slices;
        this.pods = pods;
    }

    /** The index the slice informers carry: the owning service's {@code namespace/name}. */
    static List<String> sliceOwner(EndpointSlice slice) {
        ServiceKey owner = ShrinkRules.owner(slice);
        return owner == null || !ShrinkRules.servesAddresses(slice) ? List.of() : List.of(owner.toString());
    }

    /** Re-reads one service and all its slices; publishes the merged view if it changed. */
    void refreshService(ServiceKey key) {
        Service svc = services.get(key.namespace(), key.name());
        if (svc == null) {
            if (published.remove(key) != null) {
                listener.serviceRemoved(key);
                countNamespace(key.namespace(), -1);
            }
            rejected.remove(key);
            return;
        }
        ServiceView view;
        try {
            view = assemble(svc, key);
        } catch (IllegalArgumentException e) {
            if (!Objects.equals(rejected.put(key, e.getMessage()), e.getMessage())) {
                log.error("skipping service {}: {}; its last good records stay served", key, e.getMessage());
            }
            return;
        }
        rejected.remove(key);
        ServiceView before = published.put(key, view);
        if (!view.equals(before)) {
            if (before == null) {
                countNamespace(key.namespace(), +1);
            }
            listener.serviceChanged(view);
        }
    }

    private ServiceView assemble(Service svc, ServiceKey key) {
        ServiceDraft draft = ShrinkRules.service(svc);
        List<EndpointSlice> own = new ArrayList<>(slices.byIndex(BY_SERVICE, key.toString()));
        // slice names are unique per namespace: a stable endpoint order whatever order events came in
        own.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        List<EndpointView> endpoints = new ArrayList<>();
        Instant trigger = null;
        for (EndpointSlice s : own) {
            endpoints.addAll(ShrinkRules.endpoints(s));
            trigger = ShrinkRules.newest(trigger, ShrinkRules.triggerTime(s));
        }
        return draft.view(draft.clusterIPs(), endpoints, trigger);
    }

    void refreshPod(String namespace, String name) {
        String key = namespace + "/" + name;
        Pod pod = pods == null ? null : pods.get(namespace, name);
        if (pod == null) {
            if (publishedPods.remove(key) != null) {
                listener.podRemoved(namespace, name);
                countNamespace(namespace, -1);
            }
            return;
        }
        PodView view = ShrinkRules.pod(pod).pod();
        PodView before = publishedPods.put(key, view);
        if (!view.equals(before)) {
            if (before == null) {
                countNamespace(namespace, +1);
            }
            listener.podChanged(view);
        }
    }

    /** Re-reads everything cached and drops what was published but is no longer cached. */
    void refreshAll() {
        Set<ServiceKey> keys = new HashSet<>(published.keySet());
        services.forEach(s -> keys.add(new ServiceKey(ShrinkRules.namespace(s), s.getMetadata().getName())));
        keys.forEach(this::refreshService);
        if (pods != null) {
            Set<String> podKeys = new HashSet<>(publishedPods.keySet());
            pods.forEach(p -> podKeys.add(ShrinkRules.namespace(p) + "/" + p.getMetadata().getName()));
            for (String k : podKeys) {
                int slash = k.indexOf('/');
                refreshPod(k.substring(0, slash), k.substring(slash + 1));
            }
        }
    }

    /** A namespace is a DNS name while it holds a served service or pod (namespaces are not watched). */
    private void countNamespace(String namespace, int delta) {
        int n = objectsPerNamespace.getOrDefault(namespace, 0) + delta;
        if (n <= 0) {
            objectsPerNamespace.remove(namespace);
            listener.namespaceChanged(namespace, false);
        } else {
            objectsPerNamespace.put(namespace, n);
            if (n == 1 && delta > 0) {
                listener.namespaceChanged(namespace, true);
            }
        }
    }
}
