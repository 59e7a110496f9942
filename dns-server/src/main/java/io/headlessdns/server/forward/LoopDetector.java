package io.headlessdns.server.forward;

import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.wire.Header;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Finds forwarding loops at start-up, as CoreDNS's loop plugin does: sends each upstream a query for a
 * random name {@code <random>.<random>.} (type HINFO) and watches whether that name arrives back here.
 * It does when the upstream is this server (same address and port, or a local address with our port)
 * or a resolver that forwards to it (a node's resolv.conf naming 127.0.0.x on our port). A probe that
 * comes back is answered SERVFAIL at once, so the loop stops after one turn.
 */
final class LoopDetector {
    static final long WAIT_MILLIS = 1500;

    private final Forwarder forwarder;
    private final HealthChecker health;
    private final List<Upstream> upstreams;
    /** Probe name (text, lower case) -> upstream; non-null only while checking. */
    private volatile Map<String, Upstream> probes;
    private final java.util.Set<String> returned = ConcurrentHashMap.newKeySet();

    LoopDetector(Forwarder forwarder, HealthChecker health, List<Upstream> upstreams) {
        this.forwarder = forwarder;
        this.health = health;
        this.upstreams = List.copyOf(upstreams);
    }

    /** Whether a query is one of our probes coming back; one volatile read when no check is running. */
    boolean isProbe(byte[] name, int length) {
        Map<String, Upstream> p = probes;
        if (p == null) {
            return false;
        }
        String text = DnsName.toText(name, 0, length);
        if (p.containsKey(text)) {
            returned.add(text);
            return true;
        }
        return false;
    }

    void check() throws InterruptedException {
        Map<String, Upstream> p = new HashMap<>();
        HexFormat hex = HexFormat.of();
        for (Upstream u : upstreams) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            p.put(hex.toHexDigits(r.nextLong()) + "." + hex.toHexDigits(r.nextLong()) + ".", u);
        }
        probes = Map.copyOf(p);
        try {
            CountDownLatch answered = new CountDownLatch(p.size());
            p.forEach((name, u) -> {
                byte[] wire = DnsName.fromText(name);
                int id = forwarder.randomId();
                byte[] query = UpstreamQuery.encode(id, wire, wire.length, 13 /* HINFO */, Header.CLASS_IN, false);
                UpstreamSocket.udp(health.loop, u.address, query, WAIT_MILLIS, new UpstreamSocket.Listener() {
                    @Override
                    public boolean onReply(byte[] reply) {
                        if (reply.length < Header.LENGTH || UpstreamQuery.id(reply) != id) {
                            return false;
                        }
                        answered.countDown();
                        return true;
                    }

                    @Override
                    public void onFailure() {
                        answered.countDown(); // an unreachable upstream is not a loop; queries will fail over
                    }
                });
            });
            answered.await(WAIT_MILLIS + 500, TimeUnit.MILLISECONDS);
            for (String name : returned) {
                Upstream u = p.get(name);
                throw new IllegalStateException("forwarding loop detected: the query for " + name + " sent to upstream "
                        + u.label + " came back to this server. That upstream (or the resolv.conf naming it) points at"
                        + " headless-dns itself; give --upstream a resolver outside the cluster DNS (like CoreDNS's loop plugin).");
            }
        } finally {
            probes = null;
        }
    }
}
