package io.headlessdns.server.transport;

import io.headlessdns.server.forward.Forwarder;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The UDP and TCP listeners on one address and port. With epoll (Linux), every event loop gets its own
 * UDP socket on the same port through SO_REUSEPORT, so the kernel spreads datagrams over the loops;
 * without it (NIO), one UDP channel serves all. {@link #start} binds or throws with the cause (port in
 * use, no permission); {@link #close} is idempotent.
 */
public final class DnsServer implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DnsServer.class);
    /** Large enough for any EDNS query a client may send (3000-byte queries are parsed whole). */
    static final int MAX_UDP_QUERY = 4096;
    /**
     * Datagrams per receive system call under epoll (recvmmsg): the receive buffer holds this many
     * maximum-size queries and is sliced per datagram, so a burst costs one syscall per batch. 32, not
     * Netty's usual 16: at saturation (bench/load.sh's batched client) 32 answered 1.02x more queries
     * than 16 in 6 of 6 alternated pairs; below saturation a wake-up finds one or two queries either way.
     */
    static final int UDP_BATCH = 32;
    static final int UDP_RECEIVE_BUFFER = 4 << 20;

    private final InetSocketAddress bind;
    private final int threads;
    private final EngineProvider engines;
    private final TransportLimits limits;
    private final Forwarder forwarder;
    private final LongAdder transportErrors = new LongAdder();
    private final LongAdder tcpRejected = new LongAdder();
    private final LongAdder tcpPauses = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final AtomicInteger tcpOpen = new AtomicInteger();
    private final Panics panics = new Panics();
    private final List<Channel> channels = new ArrayList<>();
    /** The UDP channels' batch receive buffers under epoll, kept from read to read. */
    private final BatchReceiveBuffer receiveBuffers = new BatchReceiveBuffer(MAX_UDP_QUERY * UDP_BATCH);
    private EventLoopGroup group;
    private final boolean cpuAffinity;
    private boolean epoll;
    private int port;

    public DnsServer(InetSocketAddress bind, int threads, EngineProvider engines) {
        this(bind, threads, engines, null);
    }

    /** @param forwarder answers queries the engines mark FORWARD; null when nothing is forwarded */
    public DnsServer(InetSocketAddress bind, int threads, EngineProvider engines, Forwarder forwarder) {
        this(bind, threads, engines, forwarder, TransportLimits.DEFAULT);
    }

    public DnsServer(InetSocketAddress bind, int threads, EngineProvider engines, Forwarder forwarder, TransportLimits limits) {
        this(bind, threads, engines, forwarder, limits, false);
    }

    /** @param cpuAffinity pin event loop i to the i-th CPU the process may use ({@link CpuAffinity}) */
    public DnsServer(InetSocketAddress bind, int threads, EngineProvider engines, Forwarder forwarder, TransportLimits limits,
                     boolean cpuAffinity) {
        this.cpuAffinity = cpuAffinity;
        this.bind = bind;
        this.threads = threads;
        this.engines = engines;
        this.forwarder = forwarder;
        this.limits = limits;
    }

    public synchronized void start() throws InterruptedException {
        epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("dns", true), io);
        try {
            if (cpuAffinity) {
                pinEventLoops();
            }
            // a specific IPv4 address gets IPv4 sockets: Netty's epoll sockets are otherwise IPv6 ones that
            // carry IPv4 as mapped addresses, and the kernel then takes its IPv6 UDP path for every
            // datagram. The wildcard keeps the dual-stack socket, so 0.0.0.0 also answers IPv6 clients.
            SocketProtocolFamily family = bind.getAddress() instanceof Inet4Address && !bind.getAddress().isAnyLocalAddress()
                    ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
            ServerBootstrap tcpBootstrap = new ServerBootstrap().group(group);
            if (epoll) {
                tcpBootstrap.channelFactory((ChannelFactory<EpollServerSocketChannel>) () -> new EpollServerSocketChannel(family));
            } else {
                tcpBootstrap.channel(NioServerSocketChannel.class);
            }
            Channel tcp = tcpBootstrap
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    // unwritable exactly while a response waits to be written: TcpQueryHandler counts those
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1, 1))
                    .childHandler(new TcpInitializer(this))
                    .bind(bind).sync().channel();
            channels.add(tcp);
            port = ((InetSocketAddress) tcp.localAddress()).getPort();
            InetSocketAddress udpAddress = new InetSocketAddress(bind.getAddress(), port);
            ResponseRateLimiter limiter = limits.rrlResponsesPerSecond() == 0 ? null
                    : new ResponseRateLimiter(limits.rrlResponsesPerSecond(), limits.rrlSlip(), System::nanoTime);
            UdpQueryHandler udpHandler = new UdpQueryHandler(engines, transportErrors, panics, forwarder, limiter, rateLimited,
                    PooledByteBufAllocator.DEFAULT);
            Bootstrap udp = new Bootstrap().group(group);
            if (epoll) {
                udp.channelFactory((ChannelFactory<EpollDatagramChannel>) () -> new EpollDatagramChannel(family));
            } else {
                udp.channel(NioDatagramChannel.class);
            }
            udp.option(ChannelOption.SO_RCVBUF, UDP_RECEIVE_BUFFER)
                    // the pooled allocator recycles response buffers on the event loops: nothing
                    // allocated per query (Netty 4.2's default adaptive allocator allocates per buffer)
                    .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                    .handler(udpHandler);
            int udpChannels = 1;
            if (epoll) {
                udp.option(EpollChannelOption.SO_REUSEPORT, true)
                        .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_UDP_QUERY)
                        .option(ChannelOption.RECVBUF_ALLOCATOR, receiveBuffers);
                udpChannels = threads;
            } else {
                udp.option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_UDP_QUERY));
            }
            for (int i = 0; i < udpChannels; i++) {
                channels.add(udp.bind(udpAddress).sync().channel());
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Pins each event loop to its own CPU, on the loop's thread, before any channel is registered. */
    private void pinEventLoops() {
        java.util.List<Integer> cpus = CpuAffinity.allowedCpus(); // the process's CPUs, read on this unpinned thread
        int index = 0;
        for (io.netty.util.concurrent.EventExecutor loop : group) {
            int i = index++;
            loop.submit(() -> {
                int cpu = CpuAffinity.pinCurrentThread(cpus, i);
                if (cpu >= 0) {
                    LOG.info("event loop {} pinned to CPU {} (of {})", Thread.currentThread().getName(), cpu, cpus);
                }
            }).syncUninterruptibly();
        }
    }

    /** The event loops, once started: for tests that look at their threads. */
    EventLoopGroup eventLoops() {
        return group;
    }

    /** The bound port (the chosen one when started on port 0). */
    public int port() {
        return port;
    }

    /** The local addresses of the UDP sockets (one per event loop under epoll). */
    synchronized List<java.net.SocketAddress> udpAddresses() {
        List<java.net.SocketAddress> out = new ArrayList<>();
        for (Channel c : channels) {
            if (!(c instanceof io.netty.channel.ServerChannel)) {
                out.add(c.localAddress());
            }
        }
        return out;
    }

    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    /** Queries whose handling threw (CoreDNS's coredns_panics_total). */
    public long panics() {
        return panics.count();
    }

    /** Socket errors seen so far. */
    public long transportErrors() {
        return transportErrors.sum();
    }

    /** TCP connections closed on arrival because {@code --tcp-max-connections} were open. */
    public long tcpRejected() {
        return tcpRejected.sum();
    }

    /** Times a TCP connection stopped being read because too many of its responses were unwritten. */
    public long tcpPauses() {
        return tcpPauses.sum();
    }

    /** TCP connections open now. */
    public int tcpOpen() {
        return tcpOpen.get();
    }

    /** UDP responses dropped or truncated by response rate limiting. */
    public long rateLimited() {
        return rateLimited.sum();
    }

    @Override
    public synchronized void close() {
        for (Channel c : channels) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        channels.clear();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            group = null;
        }
        receiveBuffers.close();
    }

    /**
     * Per TCP connection: the connection cap, then the idle timeout, RFC 1035 4.2.2 framing with the
     * per-message timeout, and the query handler with its in-flight bound.
     */
    private static final class TcpInitializer extends ChannelInitializer<SocketChannel> {
        private final DnsServer server;

        TcpInitializer(DnsServer server) {
            this.server = server;
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            if (server.tcpOpen.incrementAndGet() > server.limits.tcpMaxConnections()) {
                server.tcpOpen.decrementAndGet();
                server.tcpRejected.increment();
                ch.close();
                return;
            }
            ch.closeFuture().addListener(f -> server.tcpOpen.decrementAndGet());
            tcpPipeline(ch.pipeline(), server.engines, server.limits, server.transportErrors, server.tcpPauses, server.panics,
                    server.forwarder);
        }
    }

    /** The handlers of one TCP connection (also used by tests on an EmbeddedChannel). */
    static void tcpPipeline(ChannelPipeline p, EngineProvider engines, TransportLimits limits, LongAdder errors, LongAdder pauses,
                            Panics panics, Forwarder forwarder) {
        p.addLast(new IdleStateHandler(limits.tcpIdleMillis(), 0, 0, TimeUnit.MILLISECONDS),
                new TcpFrameDecoder(limits.tcpMessageMillis()),
                new TcpQueryHandler(engines, errors, pauses, panics, forwarder, limits.tcpMaxInFlight()));
    }
}
