package io.headlessdns.server.metrics;

import io.headlessdns.server.wire.RecordType;
import java.util.concurrent.atomic.LongAdder;

/**
 * The per-query meters CoreDNS's metrics plugin exports ({@code coredns_dns_requests_total},
 * {@code coredns_dns_responses_total}, request duration and request/response size histograms), kept as pre-created {@link LongAdder}s in flat arrays indexed by small
 * integers (query type, protocol, address family, RCODE, plugin, bucket). {@link #record} is a handful of
 * array indexings and increments: no tag look-up, no allocation, no lock. {@link DnsCollector} reads the
 * adders at scrape time.
 *
 * <p>Design note: histogram buckets are per bucket, not cumulative, so one observation is one increment;
 * the bucket of a duration is computed arithmetically from the nanoseconds (the bounds are powers of two
 * times 250 µs), not searched.
 */
public final class DnsMetrics {
    /** CoreDNS's {@code type} label values (plugin/metrics/vars monitorType); every other type is "other". */
    static final String[] TYPES = {"A", "AAAA", "CNAME", "DNSKEY", "DS", "MX", "NSEC3", "NSEC", "NS", "PTR",
        "RRSIG", "SOA", "SRV", "TXT", "HTTPS", "IXFR", "AXFR", "ANY", "other"};
    private static final int[] TYPE_CODES = {RecordType.A, RecordType.AAAA, RecordType.CNAME, 48, 43, 15, 50, 47,
        RecordType.NS, RecordType.PTR, 46, RecordType.SOA, RecordType.SRV, RecordType.TXT, 65, RecordType.IXFR,
        RecordType.AXFR, RecordType.ANY};
    static final int OTHER_TYPE = TYPES.length - 1;
    private static final byte[] TYPE_INDEX = new byte[256];

    /** {@code proto} label: index 0 udp, 1 tcp. */
    static final String[] PROTOS = {"udp", "tcp"};
    /** {@code family} label: index 0 "1" (IPv4), 1 "2" (IPv6), the IANA address family numbers CoreDNS uses. */
    static final String[] FAMILIES = {"1", "2"};

    /** {@code plugin} label of a response: who wrote it. "" is the server itself (FORMERR, REFUSED). */
    public static final int PLUGIN_NONE = 0;
    public static final int PLUGIN_KUBERNETES = 1;
    /** Answered by an upstream, through the forwarder. */
    public static final int PLUGIN_FORWARD = 2;
    /** Answered from the cache of forwarded answers. */
    public static final int PLUGIN_CACHE = 3;
    static final String[] PLUGINS = {"", "kubernetes", "forward", "cache"};
    /** RCODEs 0..31 (the 4-bit header RCODE plus the first OPT extension bit, enough for BADVERS). */
    static final int RCODES = 32;

    /** CoreDNS's duration buckets: prometheus.ExponentialBuckets(0.00025, 2, 16), in nanoseconds. */
    static final int DURATION_BUCKETS = 16;
    private static final long FIRST_BOUND_NANOS = 250_000;
    /** CoreDNS's size buckets (plugin/metrics/vars: 0, 100, ... 64000 bytes). */
    static final int[] SIZE_BOUNDS = {0, 100, 200, 300, 400, 511, 1023, 2047, 4095, 8291, 16000, 32000, 48000, 64000};

    final LongAdder[] requests = adders(PROTOS.length * FAMILIES.length * TYPES.length);
    final LongAdder[] responses = adders(RCODES * PLUGINS.length);
    /** Per type: DURATION_BUCKETS finite buckets and +Inf. */
    final LongAdder[] durations = adders(TYPES.length * (DURATION_BUCKETS + 1));
    final LongAdder[] durationNanos = adders(TYPES.length);
    /** Per proto: SIZE_BOUNDS.length finite buckets and +Inf. */
    final LongAdder[] requestSizes = adders(PROTOS.length * (SIZE_BOUNDS.length + 1));
    final LongAdder[] requestBytes = adders(PROTOS.length);
    final LongAdder[] responseSizes = adders(PROTOS.length * (SIZE_BOUNDS.length + 1));
    final LongAdder[] responseBytes = adders(PROTOS.length);

    static {
        java.util.Arrays.fill(TYPE_INDEX, (byte) OTHER_TYPE);
        for (int i = 0; i < TYPE_CODES.length; i++) {
            TYPE_INDEX[TYPE_CODES[i]] = (byte) i;
        }
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** The {@link #TYPES} index of a query type; negative (unknown, unparsed) and large types are "other". */
    static int typeIndex(int qtype) {
        return qtype >= 0 && qtype < 256 ? TYPE_INDEX[qtype] : OTHER_TYPE;
    }

    /** Bucket of a duration: 0 for up to 250 µs, k for (250 µs * 2^(k-1), 250 µs * 2^k], 16 for +Inf. */
    static int durationBucket(long nanos) {
        if (nanos <= FIRST_BOUND_NANOS) {
            return 0;
        }
        long units = (nanos + FIRST_BOUND_NANOS - 1) / FIRST_BOUND_NANOS; // ceil(nanos / 250 µs) >= 2
        int k = 64 - Long.numberOfLeadingZeros(units - 1); // ceil(log2(units))
        return Math.min(k, DURATION_BUCKETS);
    }

    static int sizeBucket(int size) {
        int i = 0;
        while (i < SIZE_BOUNDS.length && size > SIZE_BOUNDS[i]) {
            i++;
        }
        return i;
    }

    /**
     * Records one answered query. Called on the event loop for every response; allocation-free.
     *
     * @param qtype the question's type, or -1 when the question could not be read
     * @param rcode the response's (extended) RCODE
     * @param plugin one of the {@code PLUGIN_} constants
     * @param nanos time from receiving the query to having the response ready
     */
    public void record(int qtype, boolean tcp, boolean ipv6, int rcode, int plugin, int requestSize,
                       int responseSize, long nanos) {
        int type = typeIndex(qtype);
        int proto = tcp ? 1 : 0;
        requests[(proto * FAMILIES.length + (ipv6 ? 1 : 0)) * TYPES.length + type].increment();
        responses[(rcode & (RCODES - 1)) * PLUGINS.length + plugin].increment();
        durations[type * (DURATION_BUCKETS + 1) + durationBucket(nanos)].increment();
        durationNanos[type].add(nanos);
        requestSizes[proto * (SIZE_BOUNDS.length + 1) + sizeBucket(requestSize)].increment();
        requestBytes[proto].add(requestSize);
        responseSizes[proto * (SIZE_BOUNDS.length + 1) + sizeBucket(responseSize)].increment();
        responseBytes[proto].add(responseSize);
    }

    /** Sum over all label sets of {@code coredns_dns_requests_total}; for logs and tests. */
    public long requestsTotal() {
        long n = 0;
        for (LongAdder a : requests) {
            n += a.sum();
        }
        return n;
    }
}
