package io.headlessdns.k8s.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A port of a Service or of an EndpointSlice. {@code name} is empty for an unnamed port (which gets no
 * SRV record, Kubernetes DNS spec 2.3.3 / 2.4.3); {@code protocol} is upper case: TCP, UDP or SCTP.
 */
public record PortView(String name, int port, String protocol) {
    public PortView {
        name = name == null ? "" : name;
        protocol = protocol == null || protocol.isEmpty() ? "TCP" : protocol.toUpperCase(Locale.ROOT);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public boolean named() {
        return !name.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PortView p && p.port == port && p.name.equals(name) && p.protocol.equals(protocol);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, port, protocol);
    }
}
