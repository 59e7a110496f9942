package io.headlessdns.bench;

import io.headlessdns.server.cache.CacheKey;
import io.headlessdns.server.cache.CachedReply;
import io.headlessdns.server.compile.TableUpdater;
import io.headlessdns.server.forward.ForwardOptions;
import io.headlessdns.server.forward.Forwarder;
import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.query.QueryCounters;
import io.headlessdns.server.query.QueryEngine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A forwarded name answered from the cache against a cluster name, on one thread as an event loop runs
 * them: the engine parses and says FORWARD, the forwarder checks the client's address, finds the
 * cached reply and writes it with the client's ID, case and counted-down TTL. 1000 headless services.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar ForwardCacheBenchmark -prof gc}. Read
 * {@code gc.alloc.rate.norm}: the cache hit may allocate only the (pooled) output buffer, so ~0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Djmh.executor=CUSTOM",
    "-Djmh.executor.class=io.headlessdns.bench.NettyThreadExecutor"})
public class ForwardCacheBenchmark {
    /** cluster: A of a headless service from the table; cachedOutside: A of www.example.org from the cache. */
    @Param({"cluster", "cachedOutside"})
    public String kind;

    private QueryEngine engine;
    private Forwarder forwarder;
    private EmbeddedChannel channel;
    private ChannelHandlerContext ctx;
    private ByteBuf query;
    private final InetSocketAddress client = new InetSocketAddress("10.244.1.7", 40000);

    @Setup
    public void setUp() {
        TableUpdater updater = BenchCluster.updater();
        for (int i = 0; i < 1000; i++) {
            updater.serviceChanged(BenchCluster.headless(i, 2, 0));
        }
        updater.synced();
        engine = new QueryEngine(updater.table(), BenchCluster.OPTIONS, new QueryCounters(), updater::isSynced, true);
        forwarder = new Forwarder(ForwardOptions.NONE.withUpstreams(List.of(new InetSocketAddress("192.0.2.53", 53))),
                new SimpleMeterRegistry(), null);
        byte[] www = DnsName.fromText("www.example.org");
        forwarder.cache().put(CacheKey.of(www, www.length, 1, false), cached(www), System.nanoTime());
        channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT); // as QueryBenchmark, to compare like with like
        ctx = channel.pipeline().firstContext();
        String name = kind.equals("cluster") ? "svc-500.bench.svc.cluster.local" : "WWW.example.org";
        query = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(Queries.encode(name, 1, true)));
        ByteBuf check = answer();
        if (check == null || (check.getByte(3) & 0xf) != 0 || check.getUnsignedShort(6) < 1) {
            throw new IllegalStateException("unexpected answer for " + name);
        }
        check.release();
    }

    /** A cached reply as the forwarder stores it: ID 0, lower-case question, one A record, no OPT. */
    private static CachedReply cached(byte[] name) {
        ByteBuffer b = ByteBuffer.allocate(12 + name.length + 4 + 16);
        b.putShort((short) 0).putShort((short) 0x8180).putShort((short) 1).putShort((short) 1).putShort((short) 0).putShort((short) 0);
        b.put(name).putShort((short) 1).putShort((short) 1);
        int ttlAt = b.position() + 6;
        b.putShort((short) 0xC00C).putShort((short) 1).putShort((short) 1).putInt(3600).putShort((short) 4)
                .put(new byte[] {(byte) 192, 0, 2, 1});
        return new CachedReply(b.array(), 12 + name.length + 4, new int[] {ttlAt}, 3600, System.nanoTime(), false);
    }

    private ByteBuf answer() {
        ByteBuf r = engine.respond(query, ctx.alloc(), false);
        return r == QueryEngine.FORWARD ? forwarder.forward(engine, query, false, ctx, client) : r;
    }

    @Benchmark
    public int query() {
        ByteBuf r = answer();
        int n = r.readableBytes();
        r.release();
        return n;
    }

    @TearDown
    public void tearDown() {
        forwarder.close();
        channel.finishAndReleaseAll();
    }
}
