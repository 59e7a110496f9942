package io.headlessdns.k8s.model;

import java.util.List;
import java.util.Objects;

/**
 * One endpoint of a service as DNS needs it, from an EndpointSlice's {@code endpoints[]} entry.
 *
 * <p>{@code hostname} and {@code targetPod} are null when absent. The conditions follow the
 * EndpointSlice API: an unset {@code ready} or {@code serving} means true, an unset {@code terminating}
 * means false; that defaulting happens where the slice is read, not here. {@code ports} are the ports of
 * the slice the endpoint came from (SRV records of a headless service use them).
 */
public record EndpointView(
        List<String> addresses,
        String hostname,
        boolean ready,
        boolean serving,
        boolean terminating,
        String targetPod,
        List<PortView> ports) {

    public EndpointView {
        addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
        ports = List.copyOf(Objects.requireNonNull(ports, "ports"));
        if (hostname != null && hostname.isEmpty()) {
            hostname = null;
        }
    }
}
