package io.headlessdns.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Splits a TCP stream into DNS messages by their two-byte length prefix (RFC 1035 4.2.2) and closes a
 * connection whose message started but did not complete within the message timeout (slow-loris; RFC
 * 7766 10). One per connection.
 *
 * <p>Design note: a frame is emitted only once all its bytes have arrived, and nothing is allocated for
 * the claimed length, so a 65535 prefix followed by silence costs only the bytes actually sent until the
 * timeout closes it. While the query handler has paused the connection (too many responses in flight,
 * auto-read off) no further frame is emitted; the handler re-fires an empty read to resume.
 */
final class TcpFrameDecoder extends ByteToMessageDecoder {
    private final long messageTimeoutNanos;
    private ScheduledFuture<?> timeout;
    /** Closes the connection; made once per connection so arming the timeout allocates only the task. */
    private Runnable close;

    TcpFrameDecoder(long messageTimeoutMillis) {
        this.messageTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(messageTimeoutMillis);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // one frame per call: the decoder hands it on before asking again, so a pause takes effect at once
        boolean emitted = false;
        boolean reading = ctx.channel().config().isAutoRead();
        if (reading && in.readableBytes() >= 2) {
            int length = in.getUnsignedShort(in.readerIndex());
            if (in.readableBytes() >= 2 + length) {
                in.skipBytes(2);
                out.add(in.readRetainedSlice(length));
                emitted = true;
            }
        }
        if (!in.isReadable() || !reading) {
            cancelTimeout(); // nothing partial, or we are the ones not reading: the idle timeout bounds that
        } else if (timeout == null || emitted) {
            cancelTimeout(); // a new message has started: its own clock
            timeout = ctx.executor().schedule(close, messageTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().config().isAutoRead()) {
            super.channelReadComplete(ctx);
        } else {
            // paused: the superclass would ask for one more read when no frame came out, and so buffer on
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        close = ctx::close;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelTimeout();
        super.channelInactive(ctx);
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
