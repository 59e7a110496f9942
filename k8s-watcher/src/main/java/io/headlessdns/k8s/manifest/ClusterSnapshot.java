package io.headlessdns.k8s.manifest;

import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceView;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a set of manifest files describes, after the simulated controllers filled the gaps:
 * services by key, pods by {@code namespace/name}, and the namespaces that exist. Immutable and sorted,
 * so two loads of the same files compare equal and iterate alike.
 */
public record ClusterSnapshot(
        Map<ServiceKey, ServiceView> services,
        Map<String, PodView> pods,
        Set<String> namespaces) {

    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(new TreeMap<>(), new TreeMap<>(), new TreeSet<>());

    public ClusterSnapshot {
        services = Collections.unmodifiableSortedMap(new TreeMap<>(services));
        pods = Collections.unmodifiableSortedMap(new TreeMap<>(pods));
        namespaces = Collections.unmodifiableSortedSet(new TreeSet<>(namespaces));
    }

    /** The key {@link #pods()} uses. */
    public static String podKey(String namespace, String name) {
        return namespace + "/" + name;
    }

    public ServiceView service(String namespace, String name) {
        return services.get(new ServiceKey(namespace, name));
    }

    public PodView pod(String namespace, String name) {
        return pods.get(podKey(namespace, name));
    }
}
