package io.headlessdns.server.query;

import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.metrics.DnsMetrics;
import io.headlessdns.server.table.EncodedAnswer;
import io.headlessdns.server.table.Node;
import io.headlessdns.server.table.RecordTable;
import io.headlessdns.server.table.Zone;
import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.function.BooleanSupplier;

/**
 * Answers one query: parse it on its ByteBuf, look the name up, copy the pre-encoded answer. One engine
 * per event loop thread (it reuses its parse state); it never throws, never logs and, on a hit,
 * allocates nothing but the response buffer from the (pooled) allocator.
 *
 * <p>Like Knot's query processing, the work is two steps: {@link #resolve} decides an {@link Outcome}
 * and selects the bytes; {@link ResponseWriter} turns that into a message, applying the size limit of
 * the transport (truncation is a result, not an error).
 */
public final class QueryEngine {
    /**
     * Returned by {@link #respond} for {@link Outcome#FORWARD}: the transport passes the query to the
     * forwarder, which reads the parsed question from this engine ({@link #questionName} and friends)
     * before the next query. Compared by identity; never written or released.
     */
    public static final ByteBuf FORWARD = Unpooled.unreleasableBuffer(Unpooled.directBuffer(0, 0));

    private final RecordTable table;
    private final PodRecordMode podRecords;
    private final int podTtl;
    private final QueryCounters.Shard counters;
    private final BooleanSupplier ready;
    /** Whether names outside the zones go to an upstream (else REFUSED, DESIGN section 3). */
    private final boolean forwarding;
    /** This engine's CoreDNS-shaped per-query meters, or null when metrics are off (--metrics=false, benchmarks). */
    private final DnsMetrics.Shard metrics;
    /**
     * Whether a receive batch is open, and when its first query was read: the start of every duration
     * in it (see {@link DnsMetrics}). Only kept when metrics or the query log are on.
     */
    private boolean timing;
    private long batchStart;
    /** The sampled query log, or null; {@link #untilLogged} counts down to the next sampled query. */
    private final QueryLog queryLog;
    private int untilLogged;
    private final Question q = new Question();
    private final ResponseWriter writer = new ResponseWriter();
    /** {@link UdpAnswerPolicy#FIT}: oversized UDP answers of self-contained records are fitted, not truncated. */
    private final boolean fitUdp;
    /** {@link LoadBalancePolicy#ROUND_ROBIN}: multi-record A and AAAA answers start at a rotating record. */
    private final boolean roundRobin;
    /** Set by {@link #resolve} for an NXDOMAIN at a headless service without ready endpoints (RFC 8914). */
    private boolean explained;

    /** Set by {@link #resolve}: the answer of a HIT, the zone of a negative answer. */
    private EncodedAnswer answer;
    private Zone zone;
    /** A synthesised pod address (insecure pod records), used when {@link #answer} is null on a HIT. */
    private final byte[] podAddress = new byte[16];
    private int podAddressLength;

    /** An engine without the per-query CoreDNS meters (outcome counters only). */
    public QueryEngine(RecordTable table, ZoneOptions options, QueryCounters counters, BooleanSupplier ready) {
        this(table, options, counters, ready, null, null, false);
    }

    /** An engine without meters that marks out-of-zone queries FORWARD when {@code forwarding}. */
    public QueryEngine(RecordTable table, ZoneOptions options, QueryCounters counters, BooleanSupplier ready,
                       boolean forwarding) {
        this(table, options, counters, ready, null, null, forwarding);
    }

    public QueryEngine(RecordTable table, ZoneOptions options, QueryCounters counters, BooleanSupplier ready,
                       DnsMetrics metrics, QueryLog queryLog) {
        this(table, options, counters, ready, metrics, queryLog, false);
    }

    /**
     * @param metrics the per-query meters to record into, or null for none
     * @param queryLog the sampled query log, or null for none
     * @param forwarding whether names outside the zones are marked FORWARD (an upstream is configured)
     */
    public QueryEngine(RecordTable table, ZoneOptions options, QueryCounters counters, BooleanSupplier ready,
                       DnsMetrics metrics, QueryLog queryLog, boolean forwarding) {
        this(table, options, counters, ready, metrics, queryLog, forwarding, UdpAnswerPolicy.TRUNCATE);
    }

    /**
     * Rotating multi-record A and AAAA answers ({@link LoadBalancePolicy#ROUND_ROBIN}, the server's default).
     *
     * @param udpAnswers what an answer too large for the client's UDP buffer becomes
     */
    public QueryEngine(RecordTable table, ZoneOptions options, QueryCounters counters, BooleanSupplier ready,
                       DnsMetrics metrics, QueryLog queryLog, boolean forwarding, UdpAnswerPolicy udpAnswers) {
        this(table, options, counters, ready, metrics, queryLog, forwarding, udpAnswers, LoadBalancePolicy.ROUND_ROBIN);
    }

    /** @param loadBalance the order of multi-record A and AAAA answers ({@code --loadbalance}) */
    public QueryEngine(RecordTable table, ZoneOptions options, QueryCounters counters, BooleanSupplier ready,
                       DnsMetrics metrics, QueryLog queryLog, boolean forwarding, UdpAnswerPolicy udpAnswers,
                       LoadBalancePolicy loadBalance) {
        this.fitUdp = udpAnswers == UdpAnswerPolicy.FIT;
        this.roundRobin = loadBalance == LoadBalancePolicy.ROUND_ROBIN;
        this.forwarding = forwarding;
        this.metrics = metrics == null ? null : metrics.newShard();
        this.queryLog = queryLog;
        this.untilLogged = queryLog == null ? 0 : queryLog.every();
        this.table = table;
        this.podRecords = options.podRecords();
        this.podTtl = options.ttls().pod();
        this.counters = counters.newShard();
        this.ready = ready;
    }

    /**
     * The response to {@code query} (its readable bytes), or null when the query is dropped. Over TCP the
     * response starts with its 2-byte length (RFC 1035 4.2.2). The query buffer is not released.
     */
    public ByteBuf respond(ByteBuf query, ByteBufAllocator alloc, boolean tcp) {
        return respond(query, alloc, tcp, false);
    }

    /** {@link #respond(ByteBuf, ByteBufAllocator, boolean)} for a client of the given address family. */
    public ByteBuf respond(ByteBuf query, ByteBufAllocator alloc, boolean tcp, boolean ipv6) {
        if (!timing && (metrics != null || queryLog != null)) {
            timing = true;
            batchStart = System.nanoTime();
        }
        Outcome outcome;
        int parsed = QueryParser.parse(query, q);
        switch (parsed) {
            case QueryParser.OK:
                outcome = resolve();
                break;
            case QueryParser.FORMERR:
                outcome = Outcome.FORMERR;
                break;
            case QueryParser.NOTIMP:
                outcome = Outcome.NOTIMP;
                break;
            case QueryParser.BADVERS:
                outcome = Outcome.BADVERS;
                break;
            default:
                outcome = Outcome.DROPPED;
                break;
        }
        counters.count(outcome, tcp);
        if (outcome == Outcome.DROPPED) {
            return null;
        }
        if (outcome == Outcome.FORWARD) {
            return FORWARD; // metered by the forwarder when it answers
        }
        return write(query, alloc, tcp, ipv6, outcome, parsed);
    }

    /**
     * A REFUSED response to the query last passed to {@link #respond}, which returned {@link #FORWARD}:
     * for clients that may not use the forwarder (not an open resolver) and for queries over the cap.
     */
    public ByteBuf refuse(ByteBuf query, ByteBufAllocator alloc, boolean tcp, boolean ipv6) {
        answer = null;
        explained = false;
        return write(query, alloc, tcp, ipv6, Outcome.REFUSED, QueryParser.OK);
    }

    /**
     * Ends the receive batch: the transport calls it after flushing the batch's responses (each
     * channelReadComplete), and every query answered since the batch's first is metered with the time
     * from that first read to now. One clock read per batch, not two per query.
     */
    public void batchDone() {
        if (timing) {
            timing = false;
            if (metrics != null && metrics.batchOpen()) {
                metrics.batchDone(System.nanoTime() - batchStart);
            }
        }
    }

    /**
     * Meters an answer the transport wrote for the query last passed to {@link #respond} (the forwarder's
     * cache hits) as this engine meters its own: its duration comes at {@link #batchDone}.
     */
    public void meterAnswer(int rcode, int plugin, boolean tcp, boolean ipv6, int requestSize, int responseSize) {
        if (metrics != null) {
            metrics.count(q.qtype, tcp, ipv6, rcode, plugin, requestSize, responseSize);
        }
    }

    private ByteBuf write(ByteBuf query, ByteBufAllocator alloc, boolean tcp, boolean ipv6, Outcome outcome, int parsed) {
        int limit = tcp ? 65535 : q.edns ? Math.max(Header.CLASSIC_UDP_PAYLOAD, Math.min(q.udpPayload, Header.EDNS_UDP_PAYLOAD))
                : Header.CLASSIC_UDP_PAYLOAD;
        ByteBuf out = writer.write(q, outcome, answer, zone, podAddress, podAddressLength, podTtl, limit, tcp,
                fitUdp, roundRobin, explained, alloc);
        if (writer.truncated()) {
            counters.truncated();
        }
        boolean questionRead = parsed == QueryParser.OK || parsed == QueryParser.BADVERS;
        if (metrics != null) {
            int plugin = outcome == Outcome.HIT || outcome == Outcome.NODATA || outcome == Outcome.NXDOMAIN
                    || outcome == Outcome.SERVFAIL ? DnsMetrics.PLUGIN_KUBERNETES : DnsMetrics.PLUGIN_NONE;
            int framing = tcp ? 2 : 0;
            metrics.count(questionRead ? q.qtype : -1, tcp, ipv6, outcome.rcode(), plugin,
                    query.readableBytes(), out.readableBytes() - framing);
        }
        if (queryLog != null && --untilLogged == 0) {
            untilLogged = queryLog.every();
            logQuery(questionRead, tcp, outcome, query.readableBytes(), out.readableBytes() - (tcp ? 2 : 0), System.nanoTime() - batchStart);
        }
        return out;
    }

    /** One line as CoreDNS's log plugin writes it, less the client address: built only for sampled queries. */
    private void logQuery(boolean questionRead, boolean tcp, Outcome outcome, int requestSize, int responseSize, long nanos) {
        String question = questionRead
                ? RecordType.name(q.qtype) + " " + (q.qclass == Header.CLASS_IN ? "IN" : "CLASS" + q.qclass) + " " + q.name
                : "- - -";
        queryLog.offer(q.id + " \"" + question + " " + (tcp ? "tcp" : "udp") + " " + requestSize + " " + q.dnssecOk
                + " " + (q.edns ? q.udpPayload : Header.CLASSIC_UDP_PAYLOAD) + "\" "
                + io.headlessdns.server.wire.Rcode.name(outcome.rcode()) + " " + responseSize + " " + nanos / 1e9 + "s");
    }

    private Outcome resolve() {
        answer = null;
        zone = null;
        explained = false;
        podAddressLength = 0;
        if (q.qclass != Header.CLASS_IN) {
            return Outcome.REFUSED; // CHAOS version.bind and friends: no version leak
        }
        switch (q.qtype) {
            case RecordType.AXFR:
            case RecordType.IXFR:
                return Outcome.REFUSED; // no zone transfers of the cluster
            case RecordType.OPT:
                return Outcome.FORMERR; // a meta type cannot be asked for
            default:
                break;
        }
        Node node = table.lookup(q.name);
        if (node != null) {
            if (!ready.getAsBoolean()) {
                return Outcome.SERVFAIL;
            }
            java.util.concurrent.atomic.LongAdder negatives = node.explainedNegatives();
            if (negatives != null) {
                negatives.increment();
                explained = true;
                zone = zoneOfQuestion(); // for the SOA
                return Outcome.NXDOMAIN;
            }
            answer = q.qtype == RecordType.ANY ? node.anyAnswer() : node.answer(q.qtype);
            if (answer != null) {
                return Outcome.HIT;
            }
            zone = zoneOfQuestion(); // for the SOA; a node does not keep its zone
            return Outcome.NODATA;
        }
        zone = zoneOfQuestion();
        if (zone == null || !zone.authoritative()) {
            return forwarding ? Outcome.FORWARD : Outcome.REFUSED;
        }
        if (!ready.getAsBoolean()) {
            return Outcome.SERVFAIL;
        }
        if (podRecords == PodRecordMode.INSECURE && (podAddressLength = PodName.parse(q, zone.apexLength(), podAddress)) > 0) {
            return q.qtype == RecordType.A && podAddressLength == 4 || q.qtype == RecordType.AAAA && podAddressLength == 16
                    || q.qtype == RecordType.ANY ? Outcome.HIT : Outcome.NODATA;
        }
        return Outcome.NXDOMAIN;
    }

    private Zone zoneOfQuestion() {
        return table.zoneOf(q.name.buffer(), q.nameLength, q.labelOffsets, q.labelCount);
    }

    /** The last query's name in lower-case wire form (valid up to {@link #questionNameLength}). */
    public byte[] questionName() {
        return q.name.buffer();
    }

    public int questionNameLength() {
        return q.nameLength;
    }

    public int questionType() {
        return q.qtype;
    }

    public int questionClass() {
        return q.qclass;
    }

    /** Header flags of the last query. */
    public int queryFlags() {
        return q.flags;
    }

    /** Length of the last query's question section (name, type, class), which starts at offset 12. */
    public int questionSectionLength() {
        return q.sectionLength;
    }

    public boolean edns() {
        return q.edns;
    }

    public int udpPayload() {
        return q.udpPayload;
    }

    public boolean dnssecOk() {
        return q.dnssecOk;
    }
}
