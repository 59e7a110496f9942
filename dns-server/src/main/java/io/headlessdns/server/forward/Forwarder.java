package io.headlessdns.server.forward;

import io.headlessdns.server.cache.CachedReply;
import io.headlessdns.server.cache.ReplyCache;
import io.headlessdns.server.metrics.DnsMetrics;
import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.query.QueryEngine;
import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.Rcode;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Resolves names outside the cluster zones through upstream servers, as CoreDNS's forward and cache
 * plugins do. The transport hands it every query the engine marked {@link QueryEngine#FORWARD}; it
 * answers at once (a refusal, a cache hit) or starts an {@link Exchange} that answers later on the
 * client's event loop.
 *
 * <p>Order of checks: the client must be allowed ({@code --allow-cidr}: no open resolver, and no cache
 * snooping either), then the cache, then the route (a stub domain's upstreams or the default ones), then
 * the cap on queries in flight ({@code --max-concurrent}, REFUSED beyond, as CoreDNS).
 */
public final class Forwarder implements AutoCloseable {
    private final AccessList allow;
    final ReplyCache cache;
    final TtlPolicy ttls;
    private final int maxConcurrent;
    /** Default upstreams; empty when only stub domains are configured. */
    private final List<Upstream> defaults;
    /** Stub domains, longest zone first, so the most specific wins. */
    private final List<Route> stubs;
    private final HealthChecker health;
    private final LoopDetector loops;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger inFlight = new AtomicInteger();

    final LongAdder mismatched = new LongAdder();
    final LongAdder malformed = new LongAdder();
    private final LongAdder refusedClients = new LongAdder();
    private final LongAdder maxConcurrentRejects = new LongAdder();
    private final LongAdder broken = new LongAdder();

    private record Route(byte[] zone, List<Upstream> upstreams) {
    }

    /** Per-query CoreDNS meters ({@code coredns_dns_*}) for answers written here; null when metrics are off. */
    final DnsMetrics dnsMetrics;
    private final MeterRegistry registry;

    /**
     * @param dnsMetrics where answers written by the forwarder (plugin "forward" or "cache") are metered,
     *     like the engine's; null for none
     */
    public Forwarder(ForwardOptions options, MeterRegistry registry, DnsMetrics dnsMetrics) {
        this.registry = registry;
        this.dnsMetrics = dnsMetrics;
        this.allow = options.allow();
        this.maxConcurrent = options.maxConcurrent();
        this.ttls = new TtlPolicy(options.cacheMinTtl(), options.cacheMaxTtl(), options.cacheNegativeMaxTtl());
        this.cache = new ReplyCache(options.cacheSize(), options.serveStale().toSeconds());
        Map<InetSocketAddress, Upstream> all = new LinkedHashMap<>();
        this.defaults = upstreams(options.upstreams(), all, registry);
        List<Route> routes = new ArrayList<>();
        options.stubDomains().forEach((zone, addrs) -> routes.add(new Route(DnsName.fromText(zone), upstreams(addrs, all, registry))));
        routes.sort(Comparator.comparingInt((Route r) -> r.zone.length).reversed());
        this.stubs = List.copyOf(routes);
        this.health = new HealthChecker(this);
        this.loops = new LoopDetector(this, health, new ArrayList<>(all.values()));
        FunctionCounter.builder("coredns.forward.healthcheck.broken", broken, LongAdder::sum)
                .description("Counter of the number of complete failures of the healthchecks.").register(registry);
        FunctionCounter.builder("coredns.forward.max.concurrent.rejects", maxConcurrentRejects, LongAdder::sum)
                .description("Counter of the number of queries rejected because the concurrent queries were at maximum.")
                .register(registry);
        FunctionCounter.builder("headlessdns.forward.malformed.replies", malformed, LongAdder::sum)
                .description("Upstream replies that could not be parsed; the client got SERVFAIL or the next upstream's answer.")
                .register(registry);
        FunctionCounter.builder("headlessdns.forward.mismatched.replies", mismatched, LongAdder::sum)
                .description("Upstream replies ignored for a wrong ID or question (RFC 5452).").register(registry);
        FunctionCounter.builder("headlessdns.forward.refused.clients", refusedClients, LongAdder::sum)
                .description("Queries for outside names refused because the client is outside --allow-cidr.").register(registry);
        Gauge.builder("headlessdns.forward.in.flight", inFlight, AtomicInteger::get)
                .description("Queries waiting for an upstream.").register(registry);
    }

    private static List<Upstream> upstreams(List<InetSocketAddress> addrs, Map<InetSocketAddress, Upstream> all, MeterRegistry registry) {
        List<Upstream> out = new ArrayList<>();
        for (InetSocketAddress a : addrs) {
            out.add(all.computeIfAbsent(a, x -> new Upstream(x, registry)));
        }
        return List.copyOf(out);
    }

    /** Registers the cache meters under the listener's label ({@code server}), once it is bound. */
    public void registerCacheMetrics(String server) {
        cache.register(registry, server);
    }

    /**
     * Checks that no upstream sends our queries back to us (CoreDNS's loop plugin): throws
     * {@link IllegalStateException} naming the upstream if one does. Call once the listener is up.
     */
    public void checkLoops() throws InterruptedException {
        loops.check();
    }

    /**
     * The answer to a query the engine marked FORWARD, or null when it will be sent later. The engine
     * still holds the parsed query (same thread, before its next query).
     */
    public ByteBuf forward(QueryEngine engine, ByteBuf query, boolean tcp, ChannelHandlerContext ctx, InetSocketAddress sender) {
        long now = System.nanoTime();
        byte[] name = engine.questionName();
        int nameLength = engine.questionNameLength();
        int qStart = query.readerIndex() + Header.LENGTH;
        boolean ipv6 = sender.getAddress() instanceof Inet6Address;
        if (loops.isProbe(name, nameLength)) { // before the access check: the probe may come from any local address
            return ClientQuery.error(ctx.alloc(), query.getUnsignedShort(query.readerIndex()), engine.queryFlags(), query,
                    qStart, engine.questionSectionLength(), engine.edns(), engine.dnssecOk(), tcp, Rcode.SERVFAIL);
        }
        if (!allow.allows(sender.getAddress())) {
            refusedClients.increment();
            return engine.refuse(query, ctx.alloc(), tcp, ipv6);
        }
        CachedReply hit = cache.get(name, nameLength, engine.questionType(), engine.dnssecOk(), now);
        if (hit != null) {
            ByteBuf out = hit.write(ctx.alloc(), query.getUnsignedShort(query.readerIndex()), engine.queryFlags(), query, qStart,
                    engine.edns(), engine.udpPayload(), engine.dnssecOk(), tcp, hit.remaining(now));
            engine.meterAnswer(hit.rcode(), DnsMetrics.PLUGIN_CACHE, tcp, ipv6, query.readableBytes(),
                    out.readableBytes() - (tcp ? 2 : 0));
            return out;
        }
        return miss(engine, query, tcp, ipv6, ctx, sender, name, nameLength, qStart, now);
    }

    /** Meters an answer written here as the engine meters its own (CoreDNS's coredns_dns_* families). */
    void meter(int qtype, boolean tcp, boolean ipv6, int rcode, int plugin, int requestSize, ByteBuf out, long startNanos) {
        if (dnsMetrics != null) {
            dnsMetrics.record(qtype, tcp, ipv6, rcode, plugin, requestSize, out.readableBytes() - (tcp ? 2 : 0),
                    System.nanoTime() - startNanos);
        }
    }

    private ByteBuf miss(QueryEngine engine, ByteBuf query, boolean tcp, boolean ipv6, ChannelHandlerContext ctx,
                         InetSocketAddress sender, byte[] name, int nameLength, int qStart, long startNanos) {
        List<Upstream> route = route(name, nameLength);
        if (route.isEmpty()) {
            return engine.refuse(query, ctx.alloc(), tcp, ipv6); // only stub domains are configured, and not this one
        }
        if (inFlight.incrementAndGet() > maxConcurrent) {
            inFlight.decrementAndGet();
            maxConcurrentRejects.increment();
            return engine.refuse(query, ctx.alloc(), tcp, ipv6);
        }
        byte[] question = new byte[engine.questionSectionLength()];
        query.getBytes(qStart, question);
        ClientQuery.Responder responder = tcp
                ? response -> ctx.writeAndFlush(response, ctx.voidPromise())
                : response -> ctx.writeAndFlush(new DatagramPacket(response, sender), ctx.voidPromise());
        ClientQuery client = new ClientQuery(query.getUnsignedShort(query.readerIndex()), engine.queryFlags(), question,
                java.util.Arrays.copyOf(name, nameLength), nameLength, engine.questionType(), engine.questionClass(),
                engine.edns(), engine.udpPayload(), engine.dnssecOk(), tcp, ipv6, query.readableBytes(), startNanos,
                ctx.alloc(), responder);
        new Exchange(this, client, ctx.channel().eventLoop(), order(route)).start();
        return null;
    }

    private List<Upstream> route(byte[] name, int nameLength) {
        for (Route r : stubs) {
            if (atOrBelow(name, nameLength, r.zone)) {
                return r.upstreams;
            }
        }
        return defaults;
    }

    /** Healthy upstreams in random order (CoreDNS's default policy); all of them when none is healthy. */
    private List<Upstream> order(List<Upstream> route) {
        List<Upstream> healthy = new ArrayList<>(route.size());
        for (Upstream u : route) {
            if (!u.down()) {
                healthy.add(u);
            }
        }
        if (healthy.isEmpty()) {
            broken.increment(); // every upstream is down: try them anyway, as CoreDNS does
            healthy.addAll(route);
        }
        if (healthy.size() > 1) {
            Collections.shuffle(healthy, ThreadLocalRandom.current());
        }
        return healthy;
    }

    static boolean atOrBelow(byte[] name, int length, byte[] zone) {
        int start = length - zone.length;
        if (start < 0 || !java.util.Arrays.equals(name, start, length, zone, 0, zone.length)) {
            return false;
        }
        int i = 0;
        while (i < start) {
            i += (name[i] & 0xff) + 1;
        }
        return i == start;
    }

    int randomId() {
        return random.nextInt(0x10000);
    }

    /** A query to {@code u} timed out or its socket failed: count it and let the health checker watch it. */
    void failed(Upstream u) {
        u.fails.incrementAndGet();
        health.watch(u);
    }

    void done() {
        inFlight.decrementAndGet();
    }

    public ReplyCache cache() {
        return cache;
    }

    public long refusedClients() {
        return refusedClients.sum();
    }

    public long maxConcurrentRejects() {
        return maxConcurrentRejects.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    @Override
    public void close() {
        health.close();
    }
}
