package io.headlessdns.k8s.simulate;

import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Service as the EndpointSlice controller sees it: its selector and the ports its endpoints
 * expose (the service's port names with the target port numbers).
 */
public record SelectorService(ServiceKey key, Map<String, String> selector, List<PortView> endpointPorts) {
    public SelectorService {
        Objects.requireNonNull(key, "key");
        selector = Map.copyOf(Objects.requireNonNull(selector, "selector"));
        endpointPorts = List.copyOf(Objects.requireNonNull(endpointPorts, "endpointPorts"));
    }
}
