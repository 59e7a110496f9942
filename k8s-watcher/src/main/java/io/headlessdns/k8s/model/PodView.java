package io.headlessdns.k8s.model;

import java.util.List;
import java.util.Objects;

/** A Pod as DNS needs it: its IPs (for verified pod records) and its hostname/subdomain. */
public record PodView(String namespace, String name, List<String> ips, String hostname, String subdomain) {
    public PodView {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        ips = List.copyOf(Objects.requireNonNull(ips, "ips"));
    }
}
