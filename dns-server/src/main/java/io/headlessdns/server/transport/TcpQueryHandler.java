package io.headlessdns.server.transport;

import io.headlessdns.server.forward.Forwarder;
import io.headlessdns.server.query.QueryEngine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers each length-framed query of a TCP connection (RFC 7766 6.2.1.1 pipelining: a client may send
 * several before reading). Cluster answers go out in order; a forwarded query's answer goes out when the
 * upstream replies, possibly after later ones, which RFC 7766 6.2.1.1 allows (clients match by ID). A frame that cannot be answered (no readable header) closes the
 * connection, as does a connection that stays idle past the idle timeout.
 */
@ChannelHandler.Sharable
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final EngineProvider engines;
    private final LongAdder errors;
    private final Panics panics;
    /** Null when nothing is forwarded (the engine then never says FORWARD). */
    private final Forwarder forwarder;

    TcpQueryHandler(EngineProvider engines, LongAdder errors, Panics panics, Forwarder forwarder) {
        this.engines = engines;
        this.errors = errors;
        this.panics = panics;
        this.forwarder = forwarder;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        boolean ipv6 = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() instanceof Inet6Address;
        ByteBuf response;
        try {
            QueryEngine engine = engines.get();
            response = engine.respond(frame, ctx.alloc(), true, ipv6);
            if (response == QueryEngine.FORWARD) {
                response = forwarder.forward(engine, frame, true, ctx, (InetSocketAddress) ctx.channel().remoteAddress());
                if (response == null) {
                    return; // answered later, when the upstream replies
                }
            }
        } catch (RuntimeException bug) {
            panics.record(bug); // never expected: count it and drop the connection, as for a dropped query
            response = null;
        }
        if (response == null) {
            ctx.close();
            return;
        }
        ctx.write(response, ctx.voidPromise());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a frame-length error (a length prefix the peer never fills) or a reset connection
        errors.increment();
        ctx.close();
    }
}
