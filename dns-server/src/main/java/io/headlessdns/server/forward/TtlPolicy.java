package io.headlessdns.server.forward;

/**
 * How long forwarded answers are cached: the smallest TTL of the reply within
 * [{@code --cache-min-ttl}, {@code --cache-max-ttl}]; denials (RFC 2308) by the SOA, at most
 * {@code --cache-negative-max-ttl}, like CoreDNS's {@code success} and {@code denial} settings.
 */
record TtlPolicy(int minTtl, int maxTtl, int negativeMaxTtl) {
    int success(long ttl) {
        return (int) Math.max(minTtl, Math.min(ttl, maxTtl));
    }

    int denial(long ttl) {
        return (int) Math.max(0, Math.min(ttl, negativeMaxTtl));
    }
}
