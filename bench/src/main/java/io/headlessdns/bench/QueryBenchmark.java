package io.headlessdns.bench;

import io.headlessdns.server.compile.TableUpdater;
import io.headlessdns.server.metrics.DnsMetrics;
import io.headlessdns.server.query.QueryCounters;
import io.headlessdns.server.query.QueryEngine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole query path on one thread, as an event loop runs it: parse the packet, look the name up,
 * copy the pre-encoded answer into a pooled buffer, release it. 1000 headless services of 2 pods.
 *
 * <p>JMH runs it on a Netty thread ({@link NettyThreadExecutor}): Netty's pooled allocator recycles
 * buffers only on its own threads (event loops are such threads), so this measures the allocator as
 * the server uses it. Leak detection is off, as {@code Main} sets it for the server.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar QueryBenchmark -prof gc}. The figure to read
 * is {@code gc.alloc.rate.norm} (bytes allocated per query): the hot path rule is 0 on a hit. With
 * {@code metrics=on} the engine meters as the server does: counts per query, durations per receive
 * batch ({@code wholeQuery} is a batch of one, {@code batchOf16} a full recvmmsg batch).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=io.headlessdns.bench.NettyThreadExecutor"})
public class QueryBenchmark {
    /** Datagrams per receive batch: the server's recvmmsg batch (DnsServer). */
    static final int BATCH = 16;

    /** service: A of a headless service; pod: A of a per-pod name; nxdomain: a missing name; srv: SRV. */
    @Param({"service", "pod", "nxdomain", "srv"})
    public String kind;

    /** on: every query is counted as the server counts it for /metrics (CoreDNS's coredns_dns_* families). */
    @Param({"off", "on"})
    public String metrics;

    private QueryEngine engine;
    private ByteBuf query;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @Setup
    public void setUp() {
        TableUpdater updater = BenchCluster.updater();
        for (int i = 0; i < 1000; i++) {
            updater.serviceChanged(BenchCluster.headless(i, 2, 0));
        }
        updater.synced();
        engine = new QueryEngine(updater.table(), BenchCluster.OPTIONS, new QueryCounters(), updater::isSynced,
                "on".equals(metrics) ? new DnsMetrics() : null, null);
        String name;
        int type = 1;
        switch (kind) {
            case "service": name = "svc-500.bench.svc.cluster.local"; break;
            case "pod": name = "svc-500-1.svc-500.bench.svc.cluster.local"; break;
            case "nxdomain": name = "nope-500.bench.svc.cluster.local"; break;
            case "srv": name = "_web._tcp.svc-500.bench.svc.cluster.local"; type = 33; break;
            default: throw new IllegalArgumentException(kind);
        }
        query = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(Queries.encode(name, type, true)));
        ByteBuf check = engine.respond(query, alloc, false);
        if (check == null || (check.getByte(3) & 0xf) != ("nxdomain".equals(kind) ? 3 : 0)) {
            throw new IllegalStateException("unexpected answer for " + name);
        }
        check.release();
    }

    /** One query in its own receive batch (a lightly loaded server: recvmmsg returns one datagram). */
    @Benchmark
    public int wholeQuery() {
        ByteBuf r = engine.respond(query, alloc, false);
        int n = r.readableBytes();
        r.release();
        engine.batchDone();
        return n;
    }

    /**
     * A full receive batch as the server reads it at line rate: 16 queries (one recvmmsg), then the
     * batch's end (after the flush), where the metered engine reads the clock once for all 16.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batchOf16() {
        int n = 0;
        for (int i = 0; i < BATCH; i++) {
            ByteBuf r = engine.respond(query, alloc, false);
            n += r.readableBytes();
            r.release();
        }
        engine.batchDone();
        return n;
    }
}
