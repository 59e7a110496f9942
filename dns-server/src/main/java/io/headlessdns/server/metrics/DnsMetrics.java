package io.headlessdns.server.metrics;

import io.headlessdns.server.wire.RecordType;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The per-query meters CoreDNS's metrics plugin exports ({@code coredns_dns_requests_total},
 * {@code coredns_dns_responses_total}, request duration and request/response size histograms), kept as
 * pre-created counters in flat arrays indexed by small
 * integers (query type, protocol, address family, RCODE, plugin, bucket). {@link #record} is a handful of
 * array indexings and increments: no tag look-up, no allocation, no lock. {@link DnsCollector} sums the
 * counters at scrape time.
 *
 * <p>Design note: every thread that records (each event loop) has its own {@link Shard} of plain
 * {@code long} counters in one flat array, written only by that thread with plain stores and summed by
 * the scraper with opaque loads (which are not hoisted, so a scrape sees each counter's latest store or
 * one shortly before it; a 64-bit HotSpot writes a {@code long} whole). A single writer needs no atomic
 * read-modify-write, so an increment costs what a store costs; atomic adders (a locked instruction
 * each, eight per query) cost more than the rest of a cached answer. Plain stores, not VarHandle ones:
 * inlined deep in the hot path a VarHandle call is a store too, but where the JIT's inlining budget runs
 * out it is a call through method handles, and that measured as a 40% loss (bench/metrics-cost.sh).
 *
 * <p>Design note: durations are measured per receive batch, not per query. The event loop reads up to
 * 16 datagrams with one recvmmsg and sends every response of the batch with one flush, so each query of
 * a batch waits from the batch's read to its flush: that interval, one clock read at the batch's first
 * query and one after its flush, is each query's time in the server ({@link Shard#count} then
 * {@link Shard#batchDone}). Two clock reads per query (a vDSO call each, tens of nanoseconds under
 * kvm-clock) cost more than the counting itself.
 *
 * <p>Design note: histogram buckets are per bucket, not cumulative, so one observation is one increment;
 * the bucket of a duration is computed arithmetically from the nanoseconds (the bounds are powers of two
 * times 250 µs), not searched.
 */
public final class DnsMetrics {
    /** CoreDNS's {@code type} label values (plugin/metrics/vars monitorType); every other type is "other". */
    /** At most 32: a batch's types are kept as bits of an int. */
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

    /** Which counter array of a shard: the first index of {@link #sum}. */
    static final int REQUESTS = 0;
    static final int RESPONSES = 1;
    /** Per type: DURATION_BUCKETS finite buckets and +Inf. */
    static final int DURATIONS = 2;
    static final int DURATION_NANOS = 3;
    /** Per proto: SIZE_BOUNDS.length finite buckets and +Inf. */
    static final int REQUEST_SIZES = 4;
    static final int REQUEST_BYTES = 5;
    static final int RESPONSE_SIZES = 6;
    static final int RESPONSE_BYTES = 7;
    private static final int[] LENGTHS = {PROTOS.length * FAMILIES.length * TYPES.length, RCODES * PLUGINS.length,
        TYPES.length * (DURATION_BUCKETS + 1), TYPES.length, PROTOS.length * (SIZE_BOUNDS.length + 1), PROTOS.length,
        PROTOS.length * (SIZE_BOUNDS.length + 1), PROTOS.length};
    /** Where each counter array starts in a shard's flat array. */
    private static final int[] OFFSETS = new int[LENGTHS.length];
    private static final int SHARD_LENGTH;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Every shard ever made; a shard outlives its thread so counters never go back. */
    private final List<Shard> shards = new CopyOnWriteArrayList<>();
    /** The shards of {@link #record} callers that hold none of their own (the forwarder's threads). */
    private final FastThreadLocal<Shard> threadShard = new FastThreadLocal<>() {
        @Override
        protected Shard initialValue() {
            return newShard();
        }
    };

    static {
        int offset = 0;
        for (int i = 0; i < LENGTHS.length; i++) {
            OFFSETS[i] = offset;
            offset += LENGTHS[i];
        }
        SHARD_LENGTH = offset;
        java.util.Arrays.fill(TYPE_INDEX, (byte) OTHER_TYPE);
        for (int i = 0; i < TYPE_CODES.length; i++) {
            TYPE_INDEX[TYPE_CODES[i]] = (byte) i;
        }
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
     * A new shard of counters for one thread to write (an event loop's query engine). Its counts are
     * part of every scrape from now on.
     */
    public Shard newShard() {
        Shard s = new Shard();
        shards.add(s);
        return s;
    }

    /**
     * Records one answered query, with its own duration, in the calling thread's shard: for answers
     * written outside a receive batch (a forwarded query's reply arriving later). Allocation-free.
     *
     * @param qtype the question's type, or -1 when the question could not be read
     * @param rcode the response's (extended) RCODE
     * @param plugin one of the {@code PLUGIN_} constants
     * @param nanos time from receiving the query to having the response ready
     */
    public void record(int qtype, boolean tcp, boolean ipv6, int rcode, int plugin, int requestSize,
                       int responseSize, long nanos) {
        Shard s = threadShard.get();
        int type = typeIndex(qtype);
        s.countAnswer(type, tcp, ipv6, rcode, plugin, requestSize, responseSize);
        s.observe(type, 1, nanos);
    }

    /** Counter {@code index} of array {@code which} ({@link #REQUESTS}, ...), summed over every shard. */
    long sum(int which, int index) {
        int i = OFFSETS[which] + index;
        long n = 0;
        for (Shard s : shards) {
            n += (long) LONGS.getOpaque(s.counters, i);
        }
        return n;
    }

    /** Sum over all label sets of {@code coredns_dns_requests_total}; for logs and tests. */
    public long requestsTotal() {
        long n = 0;
        for (int i = 0; i < LENGTHS[REQUESTS]; i++) {
            n += sum(REQUESTS, i);
        }
        return n;
    }

    /**
     * One thread's counters. Only that thread calls its methods; the scraper reads {@link #counters}
     * with opaque loads; see the class's design note.
     */
    public static final class Shard {
        private final long[] counters = new long[SHARD_LENGTH];
        /** Queries of the open batch per type index, and a bit per type index with any: thread-private. */
        private final int[] pendingByType = new int[TYPES.length];
        private int pendingTypes;

        private Shard() {
        }

        /**
         * Counts one answered query of the current receive batch: requests, responses and sizes now, its
         * duration when the batch is done ({@link #batchDone}).
         */
        public void count(int qtype, boolean tcp, boolean ipv6, int rcode, int plugin, int requestSize, int responseSize) {
            int type = typeIndex(qtype);
            countAnswer(type, tcp, ipv6, rcode, plugin, requestSize, responseSize);
            pendingByType[type]++;
            pendingTypes |= 1 << type;
        }

        /** Whether queries of the open batch wait for their duration. */
        public boolean batchOpen() {
            return pendingTypes != 0;
        }

        /** Ends the batch: every query counted since the last call took {@code nanos}. */
        public void batchDone(long nanos) {
            for (int types = pendingTypes; types != 0; types &= types - 1) {
                int type = Integer.numberOfTrailingZeros(types);
                observe(type, pendingByType[type], nanos);
                pendingByType[type] = 0;
            }
            pendingTypes = 0;
        }

        /** Requests, responses and both size histograms: everything of a query but its duration. */
        private void countAnswer(int type, boolean tcp, boolean ipv6, int rcode, int plugin, int requestSize,
                                 int responseSize) {
            int proto = tcp ? 1 : 0;
            long[] c = counters;
            add(c, OFFSETS[REQUESTS] + (proto * FAMILIES.length + (ipv6 ? 1 : 0)) * TYPES.length + type, 1);
            add(c, OFFSETS[RESPONSES] + (rcode & (RCODES - 1)) * PLUGINS.length + plugin, 1);
            add(c, OFFSETS[REQUEST_SIZES] + proto * (SIZE_BOUNDS.length + 1) + sizeBucket(requestSize), 1);
            add(c, OFFSETS[REQUEST_BYTES] + proto, requestSize);
            add(c, OFFSETS[RESPONSE_SIZES] + proto * (SIZE_BOUNDS.length + 1) + sizeBucket(responseSize), 1);
            add(c, OFFSETS[RESPONSE_BYTES] + proto, responseSize);
        }

        private void observe(int type, int n, long nanos) {
            add(counters, OFFSETS[DURATIONS] + type * (DURATION_BUCKETS + 1) + durationBucket(nanos), n);
            add(counters, OFFSETS[DURATION_NANOS] + type, n * nanos);
        }

        /** Only the shard's own thread writes it: a plain read and store, no atomic instruction. */
        private static void add(long[] counters, int i, long n) {
            counters[i] += n;
        }
    }
}
