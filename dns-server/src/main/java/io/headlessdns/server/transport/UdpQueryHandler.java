package io.headlessdns.server.transport;

import io.headlessdns.server.forward.Forwarder;
import io.headlessdns.server.query.QueryEngine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.Inet6Address;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each datagram with one datagram (or nothing, for a dropped query). Writes are flushed once
 * per read batch; a forwarded query's answer is written and flushed by the forwarder when it comes. With
 * response rate limiting on, a local answer over the limit is dropped or sent truncated. The packet is
 * released by the superclass after {@link #channelRead0}.
 */
@ChannelHandler.Sharable
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(UdpQueryHandler.class);

    private final EngineProvider engines;
    private final LongAdder errors;
    private final Panics panics;
    /** Null when nothing is forwarded (the engine then never says FORWARD). */
    private final Forwarder forwarder;
    /** Null when response rate limiting is off: then nothing about it runs per query. */
    private final ResponseRateLimiter limiter;
    private final LongAdder rateLimited;
    /** Each event loop's {@link UdpResponseBuffers}, let go of when the loop's thread ends. */
    private final FastThreadLocal<UdpResponseBuffers> responseBuffers;

    UdpQueryHandler(EngineProvider engines, LongAdder errors, Panics panics, Forwarder forwarder,
                    ResponseRateLimiter limiter, LongAdder rateLimited, ByteBufAllocator pool) {
        this.responseBuffers = new FastThreadLocal<>() {
            @Override
            protected UdpResponseBuffers initialValue() {
                return new UdpResponseBuffers(pool);
            }

            @Override
            protected void onRemoval(UdpResponseBuffers buffers) {
                buffers.close();
            }
        };
        this.engines = engines;
        this.errors = errors;
        this.panics = panics;
        this.forwarder = forwarder;
        this.limiter = limiter;
        this.rateLimited = rateLimited;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        boolean ipv6 = packet.sender().getAddress() instanceof Inet6Address;
        ByteBuf response;
        try {
            QueryEngine engine = engines.get();
            response = engine.respond(packet.content(), responseBuffers.get(), false, ipv6);
            if (response == QueryEngine.FORWARD) {
                response = forwarder.forward(engine, packet.content(), false, ctx, packet.sender()); // null: answered later
            }
        } catch (RuntimeException bug) {
            panics.record(bug); // the engine never throws by design; if it does, count it and drop the query
            return;
        }
        if (response != null && limiter != null) {
            int verdict = limiter.admit(packet.sender().getAddress());
            if (verdict != ResponseRateLimiter.SEND) {
                rateLimited.increment();
                if (verdict == ResponseRateLimiter.DROP) {
                    response.release();
                    return;
                }
                ResponseRateLimiter.truncate(response);
            }
        }
        if (response != null) {
            ctx.write(new DatagramPacket(response, packet.sender()), ctx.voidPromise());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        engines.get().batchDone(); // after the flush: the batch's responses have left
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a UDP socket error (e.g. ICMP unreachable surfaced as an exception) must not close the listener
        errors.increment();
        if (errors.sum() % 1000 == 1) {
            log.warn("UDP error (logged 1 in 1000): {}", cause.toString());
        }
    }
}
