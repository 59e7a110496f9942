package io.headlessdns.server.transport;

import io.netty.buffer.ByteBuf;
import io.headlessdns.server.wire.Header;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Response rate limiting for UDP (after BIND's RRL): at most N responses per second per client prefix,
 * /24 for IPv4 and /56 for IPv6. Of the responses over the limit, every {@code slip}-th is sent
 * truncated (TC=1, no records) so that a real client behind a spoofed flood can retry over TCP; the rest
 * are dropped. Shared by all UDP event loops; off unless configured.
 *
 * <p>Design note: a fixed table of counters indexed by a hash of the prefix, no map and no per-client
 * object. Each slot is one long packing the current second and the count in it, updated by CAS, so the
 * limiter takes no lock and allocates nothing for IPv4 (an IPv6 prefix is read from a copy of the address).
 * Two prefixes that share a slot share a budget; with 4096 slots that is rare, and it errs towards limiting.
 */
final class ResponseRateLimiter {
    static final int SEND = 0;
    static final int DROP = 1;
    static final int SLIP = 2;

    private static final int SLOTS = 4096;
    private static final int COUNT_BITS = 24;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

    private final int perSecond;
    private final int slip;
    private final LongSupplier nanos;
    private final AtomicLongArray slots = new AtomicLongArray(SLOTS);

    ResponseRateLimiter(int perSecond, int slip, LongSupplier nanos) {
        this.perSecond = perSecond;
        this.slip = slip;
        this.nanos = nanos;
    }

    /** What to do with one more response to {@code client}: {@link #SEND}, {@link #DROP} or {@link #SLIP}. */
    int admit(InetAddress client) {
        int slot = slot(client);
        long second = nanos.getAsLong() / 1_000_000_000L;
        long count;
        while (true) {
            long v = slots.get(slot);
            long next = (v >>> COUNT_BITS) == second ? Math.min(v + 1, (second << COUNT_BITS) | COUNT_MASK)
                    : (second << COUNT_BITS) | 1;
            if (slots.compareAndSet(slot, v, next)) {
                count = next & COUNT_MASK;
                break;
            }
        }
        if (count <= perSecond) {
            return SEND;
        }
        return slip > 0 && (count - perSecond) % slip == 0 ? SLIP : DROP;
    }

    private static int slot(InetAddress client) {
        long prefix;
        if (client instanceof Inet4Address) {
            prefix = client.hashCode() & 0xFFFFFF00L; // the IPv4 address itself; no copy
        } else {
            byte[] a = client.getAddress();
            prefix = 0x6L << 56;
            for (int i = 0; i < 7; i++) { // 56 bits
                prefix = prefix * 31 + (a[i] & 0xFF);
            }
        }
        long h = prefix * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 52) & (SLOTS - 1);
    }

    /**
     * Turns a UDP response in place into its truncated form: the header with TC set and no records, and the
     * question (which a response echoes uncompressed right after the header).
     */
    static void truncate(ByteBuf response) {
        int start = response.readerIndex();
        int p = start + Header.LENGTH;
        int end = response.writerIndex();
        if (response.getUnsignedShort(start + Header.OFFSET_QDCOUNT) == 1) {
            while (p < end && response.getUnsignedByte(p) != 0) {
                p += response.getUnsignedByte(p) + 1;
            }
            p = Math.min(p + 5, end);
        }
        response.setShort(start + Header.OFFSET_FLAGS, response.getUnsignedShort(start + Header.OFFSET_FLAGS) | Header.TC);
        response.setShort(start + Header.OFFSET_ANCOUNT, 0);
        response.setShort(start + Header.OFFSET_NSCOUNT, 0);
        response.setShort(start + Header.OFFSET_ARCOUNT, 0);
        response.writerIndex(p);
    }
}
