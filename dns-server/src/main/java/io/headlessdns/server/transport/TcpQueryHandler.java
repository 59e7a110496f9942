package io.headlessdns.server.transport;

import io.headlessdns.server.forward.Forwarder;
import io.headlessdns.server.query.QueryEngine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers each length-framed query of a TCP connection (RFC 7766 6.2.1.1 pipelining: a client may send
 * several before reading). Cluster answers go out in order; a forwarded query's answer goes out when the
 * upstream replies, possibly after later ones, which RFC 7766 6.2.1.1 allows (clients match by ID). A
 * frame that cannot be answered (no readable header) closes the connection, as does a connection that
 * stays idle past the idle timeout. One per connection.
 *
 * <p>Design note: a client that pipelines queries but does not read the answers must not make the server
 * buffer without bound (RFC 7766 6.2.3). The connection's write-buffer water marks are set so that it is
 * unwritable exactly while a response waits to be written; {@link #inFlight} counts responses written
 * since the buffer was last empty. Past the limit the handler turns auto-read off (the frame decoder then
 * emits nothing more) and turns it back on, replaying what is already buffered, once the buffer drains.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final EngineProvider engines;
    private final LongAdder errors;
    private final LongAdder pauses;
    private final Panics panics;
    /** Null when nothing is forwarded (the engine then never says FORWARD). */
    private final Forwarder forwarder;
    private final int maxInFlight;
    private int inFlight;
    private ChannelHandlerContext ctx;
    /** Resumes reading outside of the flush that drained the buffer (a read there would re-enter the decoder). */
    private final Runnable resume = this::resume;

    TcpQueryHandler(EngineProvider engines, LongAdder errors, LongAdder pauses, Panics panics, Forwarder forwarder,
                    int maxInFlight) {
        this.engines = engines;
        this.errors = errors;
        this.pauses = pauses;
        this.panics = panics;
        this.forwarder = forwarder;
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
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
        if (++inFlight >= maxInFlight) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                pauses.increment();
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        engines.get().batchDone(); // after the flush: the batch's responses have left
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            inFlight = 0;
            if (!ctx.channel().config().isAutoRead()) {
                ctx.executor().execute(resume);
            }
        }
        super.channelWritabilityChanged(ctx);
    }

    private void resume() {
        if (ctx.channel().isActive() && ctx.channel().isWritable() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
            // frames that arrived before the pause are still in the decoder: an empty read decodes them
            ctx.pipeline().fireChannelRead(Unpooled.EMPTY_BUFFER);
            ctx.pipeline().fireChannelReadComplete();
        }
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
        // a reset connection, or an I/O error
        errors.increment();
        ctx.close();
    }
}
