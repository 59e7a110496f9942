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
 * <p>Design note: a query is counted with as few increments as its label sets allow, and the scrape
 * derives the rest. One counter per (rcode, plugin, proto, family, type) is both
 * {@code coredns_dns_requests_total} (summed over rcode and plugin) and {@code coredns_dns_responses_total}
 * (summed over the others); a size below 1024 bytes (every size but those of large answers) is counted
 * at its exact value, from which the scrape derives the size buckets (CoreDNS's bounds up to 1023 fall on
 * whole sizes) and the byte sum. So a query costs three increments and its batch's type bookkeeping, not
 * six (requests, responses, two buckets, two sums) plus two bucket searches: that took the line-rate
 * cost of metering from 6-9% to within noise (bench/README.md, "What metering costs").
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

    /** Sizes below this are counted per exact byte count; the size bounds up to 1023 are CoreDNS's. */
    static final int EXACT_SIZES = 1024;
    private static final int SIZE_BUCKETS = SIZE_BOUNDS.length + 1;

    /*
     * Where each counter array starts in a shard's flat array. Constants, not a table: a static final
     * array's elements are loads on the hot path, a static final int is folded into the instruction.
     * ANSWERS: one counter per (rcode, plugin, proto, family, type); requests and responses are its sums.
     * DURATIONS: per type, DURATION_BUCKETS finite buckets and +Inf; DURATION_NANOS: per type.
     * REQUEST_EXACT / RESPONSE_EXACT: per proto, one counter per size below EXACT_SIZES; the buckets and
     * the byte sum are derived from them at scrape time. *_LARGE: per proto, the buckets of larger sizes;
     * *_LARGE_BYTES: per proto, their byte sum.
     */
    private static final int ANSWERS = 0;
    private static final int ANSWERS_LENGTH = RCODES * PLUGINS.length * PROTOS.length * FAMILIES.length * TYPES.length;
    private static final int DURATIONS = ANSWERS + ANSWERS_LENGTH;
    private static final int DURATION_NANOS = DURATIONS + TYPES.length * (DURATION_BUCKETS + 1);
    private static final int REQUEST_EXACT = DURATION_NANOS + TYPES.length;
    private static final int REQUEST_LARGE = REQUEST_EXACT + PROTOS.length * EXACT_SIZES;
    private static final int REQUEST_LARGE_BYTES = REQUEST_LARGE + PROTOS.length * SIZE_BUCKETS;
    private static final int RESPONSE_EXACT = REQUEST_LARGE_BYTES + PROTOS.length;
    private static final int RESPONSE_LARGE = RESPONSE_EXACT + PROTOS.length * EXACT_SIZES;
    private static final int RESPONSE_LARGE_BYTES = RESPONSE_LARGE + PROTOS.length * SIZE_BUCKETS;
    private static final int SHARD_LENGTH = RESPONSE_LARGE_BYTES + PROTOS.length;
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

    /** Where the answer counter of one label set is, for the query path and the scrape alike. */
    private static int answerIndex(int rcode, int plugin, int proto, int family, int type) {
        return ANSWERS + (((rcode * PLUGINS.length + plugin) * PROTOS.length + proto) * FAMILIES.length + family)
                * TYPES.length + type;
    }

    /** Every shard's counters summed, for one scrape. */
    Totals totals() {
        long[] t = new long[SHARD_LENGTH];
        for (Shard s : shards) {
            for (int i = 0; i < SHARD_LENGTH; i++) {
                t[i] += (long) LONGS.getOpaque(s.counters, i);
            }
        }
        return new Totals(t);
    }

    /** Sum over all label sets of {@code coredns_dns_requests_total}; for logs and tests. */
    public long requestsTotal() {
        long[] t = totals().counters;
        long n = 0;
        for (int i = ANSWERS; i < ANSWERS + ANSWERS_LENGTH; i++) {
            n += t[i];
        }
        return n;
    }

    /** The summed counters of a scrape, read by CoreDNS's label sets. */
    static final class Totals {
        private final long[] counters;

        private Totals(long[] counters) {
            this.counters = counters;
        }

        /** {@code coredns_dns_requests_total} of one label set: its answers of every rcode and plugin. */
        long requests(int proto, int family, int type) {
            long n = 0;
            for (int rcode = 0; rcode < RCODES; rcode++) {
                for (int plugin = 0; plugin < PLUGINS.length; plugin++) {
                    n += counters[answerIndex(rcode, plugin, proto, family, type)];
                }
            }
            return n;
        }

        /** {@code coredns_dns_responses_total} of one label set: its answers of every proto, family and type. */
        long responses(int rcode, int plugin) {
            long n = 0;
            for (int proto = 0; proto < PROTOS.length; proto++) {
                for (int family = 0; family < FAMILIES.length; family++) {
                    for (int type = 0; type < TYPES.length; type++) {
                        n += counters[answerIndex(rcode, plugin, proto, family, type)];
                    }
                }
            }
            return n;
        }

        /** Per-bucket (not cumulative) duration counts of a type: DURATION_BUCKETS finite ones and +Inf. */
        long[] durationBuckets(int type) {
            long[] b = new long[DURATION_BUCKETS + 1];
            System.arraycopy(counters, DURATIONS + type * b.length, b, 0, b.length);
            return b;
        }

        long durationNanos(int type) {
            return counters[DURATION_NANOS + type];
        }

        /** Per-bucket request size counts of a proto (SIZE_BOUNDS and +Inf), and their byte sum last. */
        long[] requestSizes(int proto) {
            return sizes(REQUEST_EXACT, REQUEST_LARGE, REQUEST_LARGE_BYTES, proto);
        }

        long[] responseSizes(int proto) {
            return sizes(RESPONSE_EXACT, RESPONSE_LARGE, RESPONSE_LARGE_BYTES, proto);
        }

        private long[] sizes(int exact, int large, int largeBytes, int proto) {
            long[] b = new long[SIZE_BUCKETS + 1];
            for (int i = 0; i < SIZE_BUCKETS; i++) {
                b[i] = counters[large + proto * SIZE_BUCKETS + i];
            }
            long bytes = counters[largeBytes + proto];
            for (int size = 0; size < EXACT_SIZES; size++) {
                long n = counters[exact + proto * EXACT_SIZES + size];
                b[sizeBucket(size)] += n;
                bytes += n * size;
            }
            b[SIZE_BUCKETS] = bytes;
            return b;
        }
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

        /**
         * Requests, responses and both size histograms: everything of a query but its duration, in three
         * increments (one answer counter, one per size).
         */
        private void countAnswer(int type, boolean tcp, boolean ipv6, int rcode, int plugin, int requestSize,
                                 int responseSize) {
            int proto = tcp ? 1 : 0;
            long[] c = counters;
            c[answerIndex(rcode & (RCODES - 1), plugin, proto, ipv6 ? 1 : 0, type)]++;
            countSize(c, REQUEST_EXACT, REQUEST_LARGE, REQUEST_LARGE_BYTES, proto, requestSize);
            countSize(c, RESPONSE_EXACT, RESPONSE_LARGE, RESPONSE_LARGE_BYTES, proto, responseSize);
        }

        /** One size: a counter per exact size below EXACT_SIZES (nearly all), else its bucket and bytes. */
        private static void countSize(long[] c, int exact, int large, int largeBytes, int proto, int size) {
            if (size < EXACT_SIZES) {
                c[exact + proto * EXACT_SIZES + size]++;
            } else {
                c[large + proto * SIZE_BUCKETS + sizeBucket(size)]++;
                c[largeBytes + proto] += size;
            }
        }

        private void observe(int type, int n, long nanos) {
            counters[DURATIONS + type * (DURATION_BUCKETS + 1) + durationBucket(nanos)] += n;
            counters[DURATION_NANOS + type] += n * nanos;
        }
    }
}
