package io.headlessdns.server.forward;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One query to one upstream, over UDP or TCP, on a given event loop; the listener is called on that
 * loop. UDP uses a new socket bound to port 0 for every query, so the kernel picks a random source port
 * (RFC 5452 9.2, together with the random ID); a reply from any other address or port is ignored
 * (RFC 5452 3). The listener decides whether a reply is the one awaited; either way the attempt ends
 * at its timeout, and the socket is closed when it ends.
 */
final class UpstreamSocket {
    /** Same transport as the listeners (DnsServer): epoll channels need an epoll loop. */
    static final boolean EPOLL = Epoll.isAvailable();

    interface Listener {
        /** A reply arrived from the upstream; true if it ends the attempt (false: not ours, keep waiting). */
        boolean onReply(byte[] reply);

        /** No acceptable reply within the timeout, or the socket failed. */
        void onFailure();
    }

    private final Listener listener;
    private Channel channel;
    private ScheduledFuture<?> timer;
    private boolean ended;

    private UpstreamSocket(Listener listener) {
        this.listener = listener;
    }

    static void udp(EventLoop loop, InetSocketAddress to, byte[] query, long timeoutMillis, Listener listener) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> udp(loop, to, query, timeoutMillis, listener)); // all state stays on the loop
            return;
        }
        UpstreamSocket s = new UpstreamSocket(listener);
        Bootstrap b = new Bootstrap().group(loop)
                .channel(EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        if (to.equals(p.sender())) {
                            s.reply(p.content());
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        s.fail();
                    }
                });
        s.arm(loop, timeoutMillis);
        ChannelFuture bound = b.bind(new InetSocketAddress(0));
        s.channel = bound.channel();
        bound.addListener(f -> {
            if (!f.isSuccess()) {
                s.fail();
                return;
            }
            s.channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(query), to)).addListener(w -> {
                if (!w.isSuccess()) {
                    s.fail();
                }
            });
        });
    }

    static void tcp(EventLoop loop, InetSocketAddress to, byte[] query, long timeoutMillis, Listener listener) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> tcp(loop, to, query, timeoutMillis, listener)); // all state stays on the loop
            return;
        }
        UpstreamSocket s = new UpstreamSocket(listener);
        Bootstrap b = new Bootstrap().group(loop)
                .channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeoutMillis))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(65535 + 2, 0, 2, 0, 2),
                                new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                                        s.reply(frame);
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        s.fail();
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        s.fail();
                                    }
                                });
                    }
                });
        s.arm(loop, timeoutMillis);
        ChannelFuture connected = b.connect(to);
        s.channel = connected.channel();
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                s.fail();
                return;
            }
            ByteBuf framed = s.channel.alloc().buffer(query.length + 2);
            framed.writeShort(query.length).writeBytes(query);
            s.channel.writeAndFlush(framed).addListener(w -> {
                if (!w.isSuccess()) {
                    s.fail();
                }
            });
        });
    }

    private void arm(EventLoop loop, long timeoutMillis) {
        timer = loop.schedule(this::fail, timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void reply(ByteBuf content) {
        if (ended) {
            return;
        }
        if (listener.onReply(ByteBufUtil.getBytes(content))) {
            end();
        }
    }

    private void fail() {
        if (ended) {
            return;
        }
        end();
        listener.onFailure();
    }

    private void end() {
        ended = true;
        timer.cancel(false);
        if (channel != null) {
            channel.close();
        }
    }
}
