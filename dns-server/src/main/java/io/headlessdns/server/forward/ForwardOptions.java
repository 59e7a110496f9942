package io.headlessdns.server.forward;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How names outside the cluster are resolved: the default upstreams ({@code --upstream}), per-zone
 * upstreams ({@code --stub-domain}, kube-dns's stubDomains; keys are lower-case zone names without the
 * trailing dot), who may use them ({@code --allow-cidr}), the cap on queries in flight and the cache.
 * With neither upstreams nor stub domains, nothing is forwarded and out-of-zone queries get REFUSED.
 */
public record ForwardOptions(
        List<InetSocketAddress> upstreams,
        Map<String, List<InetSocketAddress>> stubDomains,
        AccessList allow,
        int maxConcurrent,
        int cacheSize,
        int cacheMinTtl,
        int cacheMaxTtl,
        int cacheNegativeMaxTtl,
        Duration serveStale) {

    public static final ForwardOptions NONE = new ForwardOptions(List.of(), Map.of(),
            AccessList.parse(AccessList.DEFAULT), 1000, 10000, 0, 3600, 1800, Duration.ZERO);

    public ForwardOptions {
        upstreams = List.copyOf(upstreams);
        stubDomains = Map.copyOf(stubDomains);
        Objects.requireNonNull(allow, "allow");
        Objects.requireNonNull(serveStale, "serveStale");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("--max-concurrent must be at least 1, not " + maxConcurrent);
        }
        if (cacheSize < 0) {
            throw new IllegalArgumentException("--cache-size must not be negative, not " + cacheSize);
        }
        if (cacheMinTtl < 0 || cacheMaxTtl < cacheMinTtl || cacheNegativeMaxTtl < 0) {
            throw new IllegalArgumentException("cache TTLs: need 0 <= --cache-min-ttl <= --cache-max-ttl and --cache-negative-max-ttl >= 0");
        }
        if (serveStale.isNegative()) {
            throw new IllegalArgumentException("--serve-stale must not be negative");
        }
    }

    public boolean enabled() {
        return !upstreams.isEmpty() || !stubDomains.isEmpty();
    }

    public ForwardOptions withUpstreams(List<InetSocketAddress> up) {
        return new ForwardOptions(up, stubDomains, allow, maxConcurrent, cacheSize, cacheMinTtl, cacheMaxTtl,
                cacheNegativeMaxTtl, serveStale);
    }

    public ForwardOptions withStubDomains(Map<String, List<InetSocketAddress>> stubs) {
        return new ForwardOptions(upstreams, stubs, allow, maxConcurrent, cacheSize, cacheMinTtl, cacheMaxTtl,
                cacheNegativeMaxTtl, serveStale);
    }

    public ForwardOptions withAllow(AccessList a) {
        return new ForwardOptions(upstreams, stubDomains, a, maxConcurrent, cacheSize, cacheMinTtl, cacheMaxTtl,
                cacheNegativeMaxTtl, serveStale);
    }

    public ForwardOptions withServeStale(Duration d) {
        return new ForwardOptions(upstreams, stubDomains, allow, maxConcurrent, cacheSize, cacheMinTtl, cacheMaxTtl,
                cacheNegativeMaxTtl, d);
    }
}
