package io.headlessdns.server.compile;

import io.headlessdns.server.name.DnsName;
import java.util.Objects;

/**
 * What shapes the cluster zone: its domain, the TTL of positive answers, the negative TTL (SOA TTL and
 * MINIMUM, so RFC 2308 caches use it), and the pod record mode.
 */
public record ZoneOptions(String clusterDomain, int ttl, int negativeTtl, PodRecordMode podRecords) {
    public ZoneOptions {
        Objects.requireNonNull(podRecords, "podRecords");
        DnsName.fromText(Objects.requireNonNull(clusterDomain, "clusterDomain"));
        if (ttl < 0 || negativeTtl < 0) {
            throw new IllegalArgumentException("TTLs must not be negative");
        }
    }

    public static ZoneOptions defaults() {
        return new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE);
    }
}
