package io.headlessdns.server.compile;

import io.headlessdns.server.name.DnsName;
import java.util.Objects;

/**
 * What shapes the cluster zone: its domain, the default TTL of positive answers and the TTL per class of
 * record, the negative TTL (SOA TTL and MINIMUM, so RFC 2308 caches use it), the pod record mode, the
 * PTR policy, and whether per-pod names answer before their pod is ready.
 */
public record ZoneOptions(String clusterDomain, int ttl, int negativeTtl, PodRecordMode podRecords,
                          RecordTtls ttls, PtrPolicy ptrPolicy, boolean publishPodNamesBeforeReady) {
    public ZoneOptions {
        Objects.requireNonNull(podRecords, "podRecords");
        Objects.requireNonNull(ttls, "ttls");
        Objects.requireNonNull(ptrPolicy, "ptrPolicy");
        DnsName.fromText(Objects.requireNonNull(clusterDomain, "clusterDomain"));
        if (ttl < 0 || negativeTtl < 0) {
            throw new IllegalArgumentException("TTLs must not be negative");
        }
    }

    /** One TTL for every positive answer, one PTR per service, names of ready endpoints only. */
    public ZoneOptions(String clusterDomain, int ttl, int negativeTtl, PodRecordMode podRecords) {
        this(clusterDomain, ttl, negativeTtl, podRecords, RecordTtls.all(ttl), PtrPolicy.ALL, false);
    }

    public static ZoneOptions defaults() {
        return new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE);
    }

    /**
     * TTLs per class of record: a service's own A/AAAA/CNAME, per-pod names (per-endpoint and pod
     * records), SRV and PTR. Stateful peers want short pod TTLs; clients of stable services longer ones.
     */
    public record RecordTtls(int service, int pod, int srv, int ptr) {
        public RecordTtls {
            if (service < 0 || pod < 0 || srv < 0 || ptr < 0) {
                throw new IllegalArgumentException("TTLs must not be negative");
            }
        }

        public static RecordTtls all(int ttl) {
            return new RecordTtls(ttl, ttl, ttl, ttl);
        }
    }
}
