package io.headlessdns.k8s.shrink;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.k8s.simulate.SelectorService;
import java.time.Instant;
import java.util.List;

/**
 * A Service before its endpoints are known. {@code clusterIPs} is empty for a ClusterIP service whose
 * manifest gives none (one is allocated later).
 */
public record ServiceDraft(ServiceKey key, ServiceType type, List<String> clusterIPs, String externalName,
        boolean publishNotReadyAddresses, List<PortView> ports, SelectorService selection) {

    public ServiceDraft {
        clusterIPs = List.copyOf(clusterIPs);
        ports = List.copyOf(ports);
    }

    /** Whether the EndpointSlice controller manages the endpoints (the service has a selector). */
    public boolean hasSelector() {
        return !selection.selector().isEmpty();
    }

    /** The service with its merged endpoints, as DNS serves it. */
    public ServiceView view(List<String> ips, List<EndpointView> endpoints, Instant lastChangeTriggerTime) {
        return new ServiceView(key, type, ips, externalName, publishNotReadyAddresses, ports, endpoints,
                lastChangeTriggerTime, hasSelector());
    }
}
