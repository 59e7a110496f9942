package io.headlessdns.server.snapshot;

import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceView;
import java.util.List;

/** The plain model as the table updater received it: what a snapshot holds. */
public record ClusterState(List<ServiceView> services, List<PodView> pods, List<String> namespaces) {
    public ClusterState {
        services = List.copyOf(services);
        pods = List.copyOf(pods);
        namespaces = List.copyOf(namespaces);
    }
}
