package io.headlessdns.bench;

import io.headlessdns.server.compile.TableUpdater;
import io.headlessdns.server.query.QueryCounters;
import io.headlessdns.server.query.QueryEngine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole query path as {@link QueryBenchmark} runs it, but over many names in a random order, as
 * dnsperf's query files ask them: each query looks up a name the last ones did not touch, so the table's
 * slots, nodes, names and answers come from wherever the CPU caches keep them. With 10,000 headless
 * services of 2 pods (70,000 names, about 10 MB of nodes, names and answers) most of that is beyond
 * the 1-2 MB of a core's L2 cache. This is the look-up's cost in the server, where the kernel's network
 * path runs between two wake-ups, more than {@link QueryBenchmark}'s one cached name.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SpreadQueryBenchmark -prof gc}. Metrics off.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=io.headlessdns.bench.NettyThreadExecutor"})
public class SpreadQueryBenchmark {
    private static final int SERVICES = 10_000;
    /** Distinct queries cycled through: a power of two, for the index mask. */
    private static final int QUERIES = 1 << 16;

    /** service: A of a random headless service; pod: A of a random per-pod name. */
    @Param({"service", "pod"})
    public String kind;

    private QueryEngine engine;
    private final ByteBuf[] queries = new ByteBuf[QUERIES];
    private int next;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @Setup
    public void setUp() {
        TableUpdater updater = BenchCluster.updater();
        for (int i = 0; i < SERVICES; i++) {
            updater.serviceChanged(BenchCluster.headless(i, 2, 0));
        }
        updater.synced();
        engine = new QueryEngine(updater.table(), BenchCluster.OPTIONS, new QueryCounters(), updater::isSynced);
        Random random = new Random(42);
        for (int q = 0; q < QUERIES; q++) {
            int s = random.nextInt(SERVICES);
            String name = "service".equals(kind) ? "svc-" + s + ".bench.svc.cluster.local"
                    : "svc-" + s + "-" + random.nextInt(2) + ".svc-" + s + ".bench.svc.cluster.local";
            queries[q] = Unpooled.unreleasableBuffer(Unpooled.directBuffer(64).writeBytes(Queries.encode(name, 1, true)));
            ByteBuf check = engine.respond(queries[q], alloc, false);
            if (check == null || (check.getByte(3) & 0xf) != 0 || check.getUnsignedShort(6) == 0) {
                throw new IllegalStateException("no answer for " + name);
            }
            check.release();
        }
    }

    @Benchmark
    public int wholeQuery() {
        ByteBuf r = engine.respond(queries[next++ & (QUERIES - 1)], alloc, false);
        int n = r.readableBytes();
        r.release();
        return n;
    }
}
