package io.headlessdns.server.cache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Forwarded answers by (name, type, DO), for their TTL (plus the serve-stale window). Cluster answers
 * never come here: they are always fresh from the record table.
 *
 * <p>Design note: a {@link ConcurrentHashMap} read with a per-thread probe key is lock- and
 * allocation-free. The bound is kept by CLOCK (second chance): keys sit in a ring in insertion order; a
 * hit sets the entry's referenced bit (written only when clear, so hot entries do not bounce a cache line
 * between event loops; a lost race only makes eviction slightly less exact); an insert over the size
 * moves the hand, clearing bits, and evicts the first entry not referenced since the last pass (or
 * expired beyond the stale window). Inserts happen on misses only and take a lock there; hits never do.
 */
public final class ReplyCache {
    private final ConcurrentHashMap<CacheKey, CachedReply> entries;
    private final int capacity;
    /** CLOCK ring of keys; guarded by {@code this} (the insert path). */
    private final CacheKey[] ring;
    private int hand;
    private final long staleNanos;
    private final FastThreadLocal<CacheKey.Probe> probes = new FastThreadLocal<>() {
        @Override
        protected CacheKey.Probe initialValue() {
            return new CacheKey.Probe();
        }
    };

    private final LongAdder requests = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder servedStale = new LongAdder();
    /** Index 0: success, 1: denial (CoreDNS's {@code type} label). */
    private final LongAdder[] hits = {new LongAdder(), new LongAdder()};
    private final LongAdder[] evictions = {new LongAdder(), new LongAdder()};
    private final LongAdder[] sizes = {new LongAdder(), new LongAdder()};

    public ReplyCache(int capacity, long staleSeconds) {
        this.capacity = capacity;
        this.staleNanos = staleSeconds * 1_000_000_000L;
        this.entries = new ConcurrentHashMap<>(Math.min(capacity, 1 << 16));
        this.ring = new CacheKey[capacity];
    }

    /** Registers CoreDNS's cache metrics; {@code server} is the listener, e.g. {@code dns://:53}. */
    public void register(MeterRegistry registry, String server) {
        String[] types = {"success", "denial"};
        for (int i = 0; i < 2; i++) {
            LongAdder size = sizes[i];
            Gauge.builder("coredns.cache.entries", size, LongAdder::sum).tag("server", server).tag("type", types[i])
                    .description("The number of elements in the cache.").register(registry);
            FunctionCounter.builder("coredns.cache.hits", hits[i], LongAdder::sum).tag("server", server)
                    .tag("type", types[i]).description("The count of cache hits.").register(registry);
            FunctionCounter.builder("coredns.cache.evictions", evictions[i], LongAdder::sum).tag("server", server)
                    .tag("type", types[i]).description("The count of cache evictions.").register(registry);
        }
        FunctionCounter.builder("coredns.cache.requests", requests, LongAdder::sum).tag("server", server)
                .description("The count of cache requests.").register(registry);
        FunctionCounter.builder("coredns.cache.misses", misses, LongAdder::sum).tag("server", server)
                .description("The count of cache misses.").register(registry);
        FunctionCounter.builder("coredns.cache.served.stale", servedStale, LongAdder::sum).tag("server", server)
                .description("The number of requests served from stale cache entries.").register(registry);
    }

    /**
     * The fresh entry for a question, counting a hit, or null (a miss, counted). Entries past their TTL
     * but inside the serve-stale window stay for {@link #stale}; beyond it they are dropped.
     */
    public CachedReply get(byte[] lowerName, int nameLength, int qtype, boolean dnssecOk, long nowNanos) {
        requests.increment();
        CachedReply r = entries.get(probes.get().fill(lowerName, nameLength, qtype, dnssecOk));
        if (r != null && r.remaining(nowNanos) > 0) {
            hits[r.denial() ? 1 : 0].increment();
            boolean[] referenced = r.referenced();
            if (!referenced[0]) {
                referenced[0] = true;
            }
            return r;
        }
        misses.increment();
        return null;
    }

    /** An expired entry still inside the serve-stale window (RFC 8767), or null; counts it when served. */
    public CachedReply stale(CacheKey key, long nowNanos) {
        if (staleNanos == 0) {
            return null;
        }
        CachedReply r = entries.get(key);
        if (r == null || expiredFor(r, nowNanos) > staleNanos) {
            return null;
        }
        servedStale.increment();
        return r;
    }

    public synchronized void put(CacheKey key, CachedReply reply, long nowNanos) {
        if (capacity == 0) {
            return;
        }
        CachedReply old = entries.put(key, reply);
        sizes[reply.denial() ? 1 : 0].increment();
        if (old != null) {
            sizes[old.denial() ? 1 : 0].decrement();
            return; // the key already has its slot in the ring
        }
        ring[freeSlot(nowNanos)] = key;
    }

    /** Moves the hand to a slot whose key may be dropped, dropping it. At most two turns of the ring. */
    private int freeSlot(long nowNanos) {
        for (int step = 0; step < 2 * capacity + 1; step++) {
            int slot = hand;
            hand = (hand + 1) % capacity;
            CacheKey k = ring[slot];
            CachedReply r = k == null ? null : entries.get(k);
            if (r == null) {
                return slot;
            }
            if (r.referenced()[0] && expiredFor(r, nowNanos) <= staleNanos) {
                r.referenced()[0] = false; // second chance
                continue;
            }
            if (entries.remove(k, r)) {
                int type = r.denial() ? 1 : 0;
                sizes[type].decrement();
                evictions[type].increment();
            }
            return slot;
        }
        throw new IllegalStateException("unreachable: the second turn finds every bit clear");
    }

    private static long expiredFor(CachedReply r, long nowNanos) {
        return nowNanos - r.storedNanos() - r.ttl() * 1_000_000_000L;
    }

    public int size() {
        return entries.size();
    }

    public long hits() {
        return hits[0].sum() + hits[1].sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long servedStale() {
        return servedStale.sum();
    }
}
