package io.headlessdns.server.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.name.DnsName;
import org.junit.jupiter.api.Test;

/** The bound, CLOCK eviction, TTL expiry and the serve-stale window (RFC 8767) of the forwarded-answer cache. */
class ReplyCacheTest {
    private static final long S = 1_000_000_000L;

    private static CachedReply reply(int ttl, long stored, boolean denial) {
        return new CachedReply(new byte[12], 12, new int[0], ttl, stored, denial);
    }

    private static CacheKey key(String name) {
        byte[] w = DnsName.fromText(name);
        return CacheKey.of(w, w.length, 1, false);
    }

    private static CachedReply get(ReplyCache c, String name, long now) {
        byte[] w = DnsName.fromText(name);
        return c.get(w, w.length, 1, false, now);
    }

    @Test
    void staysWithinItsSize_andEvictsTheUnreferencedFirst() {
        ReplyCache c = new ReplyCache(3, 0);
        c.put(key("a."), reply(60, 0, false), 0);
        c.put(key("b."), reply(60, 0, false), 0);
        c.put(key("c."), reply(60, 0, false), 0);
        assertThat(get(c, "a.", S)).isNotNull(); // a is referenced: it gets a second chance
        c.put(key("d."), reply(60, 0, true), S);
        assertThat(c.size()).isEqualTo(3);
        assertThat(get(c, "a.", S)).isNotNull();
        assertThat(get(c, "b.", S)).as("b was the first unreferenced one").isNull();
        for (int i = 0; i < 100; i++) {
            c.put(key("n" + i + "."), reply(60, 0, false), S);
            assertThat(c.size()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void keyIsCaseFoldedNameTypeAndDoBit() {
        ReplyCache c = new ReplyCache(10, 0);
        c.put(key("www.example.com."), reply(60, 0, false), 0);
        byte[] w = DnsName.fromText("www.example.com.");
        assertThat(c.get(w, w.length, 1, false, S)).isNotNull();
        assertThat(c.get(w, w.length, 28, false, S)).isNull();
        assertThat(c.get(w, w.length, 1, true, S)).as("DO=1 wants RRSIGs: another entry").isNull();
    }

    @Test
    void expiredEntries_areMisses_butServedStaleWithinTheWindow_rfc8767() {
        ReplyCache c = new ReplyCache(10, 3600);
        c.put(key("x."), reply(5, 0, false), 0);
        assertThat(get(c, "x.", 4 * S)).isNotNull();
        assertThat(get(c, "x.", 5 * S)).isNull();
        assertThat(c.stale(key("x."), 6 * S)).isNotNull();
        assertThat(c.stale(key("x."), 5 * S + 3601 * S)).isNull();
        assertThat(new ReplyCache(10, 0).stale(key("x."), 6 * S)).isNull();
    }

    @Test
    void ttlCountsDownFromTheTimeStored() {
        CachedReply r = reply(300, 10 * S, false);
        assertThat(r.remaining(10 * S)).isEqualTo(300);
        assertThat(r.remaining(12 * S + S / 2)).isEqualTo(298);
    }
}
