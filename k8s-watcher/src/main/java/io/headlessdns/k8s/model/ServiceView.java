package io.headlessdns.k8s.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A Service with the endpoints of all its EndpointSlices merged: everything DNS serves for it, and
 * nothing else. Immutable; a change to the service or any of its slices produces a new instance.
 *
 * @param clusterIPs     the service's cluster IPs (IPv4 and/or IPv6); empty for headless and ExternalName
 * @param externalName   the CNAME target of an ExternalName service, else null
 * @param endpoints      endpoints of every slice of the service, in a stable order
 * @param lastChangeTriggerTime the newest {@code endpoints.kubernetes.io/last-change-trigger-time} of
 *                       the service's slices, or null when none carries it (DNS programming latency)
 * @param hasSelector    whether the service has a selector (its slices are managed by the EndpointSlice
 *                       controller); a selectorless headless service is a separate kind in the latency metric
 */
public record ServiceView(
        ServiceKey key,
        ServiceType type,
        List<String> clusterIPs,
        String externalName,
        boolean publishNotReadyAddresses,
        List<PortView> ports,
        List<EndpointView> endpoints,
        Instant lastChangeTriggerTime,
        boolean hasSelector) {

    public ServiceView {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        clusterIPs = List.copyOf(Objects.requireNonNull(clusterIPs, "clusterIPs"));
        ports = List.copyOf(Objects.requireNonNull(ports, "ports"));
        endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
        if (type == ServiceType.EXTERNAL_NAME && (externalName == null || externalName.isEmpty())) {
            throw new IllegalArgumentException(key + ": ExternalName service without externalName");
        }
    }

    /** Whether an endpoint's addresses are published in the service's own A/AAAA and SRV records. */
    public boolean publishes(EndpointView e) {
        if (e.terminating() && !publishNotReadyAddresses) {
            return false;
        }
        return e.ready() || publishNotReadyAddresses;
    }
}
