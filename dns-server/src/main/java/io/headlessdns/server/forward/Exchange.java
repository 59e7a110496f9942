package io.headlessdns.server.forward;

import io.headlessdns.server.cache.CacheKey;
import io.headlessdns.server.cache.CachedReply;
import io.headlessdns.server.metrics.DnsMetrics;
import io.headlessdns.server.wire.Rcode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.List;
import org.xbill.DNS.Name;

/**
 * One client query on its way through the upstreams, confined to the client's event loop. Tries the
 * upstreams in the given order, each over UDP with a fresh ID and socket, over TCP when the answer comes
 * truncated (RFC 7766 5); a timeout, a socket error, SERVFAIL, REFUSED or a malformed reply moves on to
 * the next, until {@link #BUDGET_MILLIS} is spent. Then the client gets a stale answer (RFC 8767) or
 * SERVFAIL.
 *
 * <p>Design note: the budget and the per-try limit are chosen so that a client always hears back within
 * 2 s even when every upstream is silent, while one slow upstream (up to {@link #TRY_MILLIS}) still gets
 * its chance.
 */
final class Exchange implements UpstreamSocket.Listener {
    static final long TRY_MILLIS = 800;
    static final long BUDGET_MILLIS = 1600;
    /** RFC 8767 4: the TTL of a stale answer. */
    static final int STALE_TTL = 30;

    private final Forwarder forwarder;
    private final ClientQuery client;
    private final EventLoop loop;
    private final List<Upstream> order;
    private final Name questionName;
    private final long startNanos;
    private final long deadlineNanos;
    private final int maxTries;
    private int tries;
    private Upstream current;
    private int queryId;
    private byte[] query;
    private long sentNanos;
    private boolean overTcp;

    Exchange(Forwarder forwarder, ClientQuery client, EventLoop loop, List<Upstream> order) {
        this.forwarder = forwarder;
        this.client = client;
        this.loop = loop;
        this.order = order;
        this.questionName = client.name();
        this.startNanos = System.nanoTime();
        this.deadlineNanos = startNanos + BUDGET_MILLIS * 1_000_000L;
        this.maxTries = Math.max(order.size(), 2); // a single upstream gets a second chance (a lost datagram)
    }

    void start() {
        next();
    }

    private void next() {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        if (tries >= maxTries || left < 50) {
            giveUp();
            return;
        }
        current = order.get(tries % order.size());
        tries++;
        current.requests.increment();
        queryId = forwarder.randomId();
        query = UpstreamQuery.encode(queryId, client.lowerName, client.nameLength, client.qtype, client.qclass, client.dnssecOk);
        sentNanos = System.nanoTime();
        overTcp = false;
        UpstreamSocket.udp(loop, current.address, query, Math.min(TRY_MILLIS, left), this);
    }

    @Override
    public boolean onReply(byte[] reply) {
        if (reply.length < 12 || UpstreamQuery.id(reply) != queryId) {
            forwarder.mismatched.increment();
            return false; // RFC 5452 9.1: not the ID we sent; keep waiting for ours
        }
        long now = System.nanoTime();
        UpstreamReply r = UpstreamReply.check(reply, questionName, client.qtype, client.qclass, forwarder.ttls, overTcp, now);
        switch (r.kind) {
            case MISMATCH:
                forwarder.mismatched.increment();
                return false;
            case MALFORMED:
                forwarder.malformed.increment();
                current.answered(Rcode.SERVFAIL, now - sentNanos);
                next();
                return true;
            case TRUNCATED:
                overTcp = true;
                long left = Math.max(1, (deadlineNanos - now) / 1_000_000L);
                UpstreamSocket.tcp(loop, current.address, query, Math.min(TRY_MILLIS, left), this);
                return true;
            default:
                current.answered(r.rcode, now - sentNanos);
                if (r.reply == null) {
                    next(); // SERVFAIL or REFUSED: another upstream may do better; if none does, SERVFAIL
                    return true;
                }
                if (r.cacheable) {
                    forwarder.cache.put(CacheKey.of(client.lowerName, client.nameLength, client.qtype, client.dnssecOk), r.reply, now);
                }
                finish(r.reply, r.reply.ttl(), DnsMetrics.PLUGIN_FORWARD);
                return true;
        }
    }

    @Override
    public void onFailure() {
        forwarder.failed(current);
        next();
    }

    private void giveUp() {
        CachedReply stale = forwarder.cache.stale(
                CacheKey.of(client.lowerName, client.nameLength, client.qtype, client.dnssecOk), System.nanoTime());
        if (stale != null) {
            finish(stale, STALE_TTL, DnsMetrics.PLUGIN_CACHE);
            return;
        }
        forwarder.done();
        send(client.error(Rcode.SERVFAIL), Rcode.SERVFAIL, DnsMetrics.PLUGIN_FORWARD);
    }

    private void finish(CachedReply reply, long ttl, int plugin) {
        forwarder.done();
        send(reply.write(client.alloc, client.id, client.flags, client.question, 0, client.edns,
                client.udpPayload, client.dnssecOk, client.tcp, ttl), reply.rcode(), plugin);
    }

    private void send(ByteBuf response, int rcode, int plugin) {
        forwarder.meter(client.qtype, client.tcp, client.ipv6, rcode, plugin, client.requestSize, response, client.startNanos);
        client.responder.send(response);
    }
}
