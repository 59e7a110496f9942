package io.headlessdns.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
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

    TcpQueryHandler(EngineProvider engines, LongAdder errors) {
        this.engines = engines;
        this.errors = errors;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        ByteBuf response = engines.get().respond(frame, ctx.alloc(), true);
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
