package io.headlessdns.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers each length-framed query of a TCP connection in order (RFC 7766 6.2.1.1 pipelining: a client
 * may send several before reading). A frame that cannot be answered (no readable header) closes the
 * connection, as does a connection that stays idle past the idle timeout.
 */
@ChannelHandler.Sharable
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final EngineProvider engines;
    private final LongAdder errors;
    private final Panics panics;

    TcpQueryHandler(EngineProvider engines, LongAdder errors, Panics panics) {
        this.engines = engines;
        this.errors = errors;
        this.panics = panics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        boolean ipv6 = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() instanceof Inet6Address;
        ByteBuf response;
        try {
            response = engines.get().respond(frame, ctx.alloc(), true, ipv6);
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
