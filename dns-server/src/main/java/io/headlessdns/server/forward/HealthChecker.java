package io.headlessdns.server.forward;

import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Watches upstreams that failed, as CoreDNS forward's health check does: probes with {@code . IN NS}
 * every {@link #INTERVAL_MILLIS}; every unanswered probe adds a failure (taking the upstream out of the
 * rotation at {@link Upstream#MAX_FAILS}); any reply, whatever its RCODE, proves it alive and puts it
 * back. Runs on its own single-thread loop, away from the query loops; that loop also carries the
 * start-up loop check.
 */
final class HealthChecker implements AutoCloseable {
    static final long INTERVAL_MILLIS = 500;
    static final long PROBE_TIMEOUT_MILLIS = 450;

    private final Forwarder forwarder;
    private final EventLoopGroup group;
    final EventLoop loop;
    private volatile boolean closed;

    HealthChecker(Forwarder forwarder) {
        this.forwarder = forwarder;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("dns-health", true),
                UpstreamSocket.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
    }

    /** Starts probing {@code u} unless it is being probed already. */
    void watch(Upstream u) {
        if (!closed && u.probing.compareAndSet(false, true)) {
            loop.execute(() -> probe(u));
        }
    }

    private void probe(Upstream u) {
        if (closed) {
            return;
        }
        int id = forwarder.randomId();
        byte[] query = UpstreamQuery.encode(id, DnsName.ROOT, 1, RecordType.NS, Header.CLASS_IN, false);
        long started = System.nanoTime();
        UpstreamSocket.udp(loop, u.address, query, PROBE_TIMEOUT_MILLIS, new UpstreamSocket.Listener() {
            @Override
            public boolean onReply(byte[] reply) {
                if (reply.length < Header.LENGTH || UpstreamQuery.id(reply) != id || (reply[2] & 0x80) == 0) {
                    return false;
                }
                u.fails.set(0);
                u.probing.set(false);
                return true;
            }

            @Override
            public void onFailure() {
                u.fails.incrementAndGet();
                u.healthcheckFailures.increment();
                long wait = INTERVAL_MILLIS - (System.nanoTime() - started) / 1_000_000L;
                if (!closed) {
                    loop.schedule(() -> probe(u), Math.max(0, wait), TimeUnit.MILLISECONDS);
                }
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
