package io.headlessdns.server.cache;

import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * An upstream answer, checked and re-encoded once: ID 0, the question in lower case, no OPT record, and
 * the offset of every record's TTL. Writing it for a client copies the bytes and patches the ID, the
 * question (the client's case, RFC 4343 / 0x20), the TTLs (counting down since it was stored) and adds
 * the client's OPT, so a cache hit allocates only the output buffer. Immutable apart from
 * {@code referenced}, the CLOCK bit for eviction (set by hits, cleared by the eviction hand).
 *
 * @param wire         the message (header with ID 0 and the upstream's flags and counts)
 * @param questionEnd  offset just after the question section
 * @param ttlOffsets   where each record's 4-byte TTL is
 * @param ttl          seconds the answer may be served, already capped; every record is given this TTL
 *                     minus the seconds since {@code storedNanos}, as CoreDNS's cache does
 * @param denial       NXDOMAIN or NODATA (RFC 2308), cached by the SOA
 */
public record CachedReply(byte[] wire, int questionEnd, int[] ttlOffsets, int ttl, long storedNanos, boolean denial,
                          boolean[] referenced) {
    private static final int OPT_LENGTH = 11;

    public CachedReply(byte[] wire, int questionEnd, int[] ttlOffsets, int ttl, long storedNanos, boolean denial) {
        this(wire, questionEnd, ttlOffsets, ttl, storedNanos, denial, new boolean[1]);
    }

    public int rcode() {
        return wire[3] & 0xF;
    }

    /** Seconds left at {@code now}; negative once expired. */
    public long remaining(long nowNanos) {
        return ttl - (nowNanos - storedNanos) / 1_000_000_000L;
    }

    /**
     * The response for a client. {@code question} holds the client's question section at
     * {@code questionOffset} (same name as ours up to case). Over UDP the reply must fit the client's
     * limit (512 without EDNS, its payload size with it); when it does not, the header and question are
     * sent with TC set, and the client retries over TCP (RFC 1035 4.2.1, RFC 7766 5).
     */
    public ByteBuf write(ByteBufAllocator alloc, int id, int clientFlags, ByteBuf question, int questionOffset,
                         boolean edns, int udpPayload, boolean dnssecOk, boolean tcp, long ttlNow) {
        int limit = tcp ? 65535 : edns ? Math.max(Header.CLASSIC_UDP_PAYLOAD, udpPayload) : Header.CLASSIC_UDP_PAYLOAD;
        int opt = edns ? OPT_LENGTH : 0;
        boolean truncated = wire.length + opt > limit;
        int length = (truncated ? questionEnd : wire.length) + opt;
        ByteBuf out = alloc.ioBuffer(length + (tcp ? 2 : 0));
        if (tcp) {
            out.writeShort(length);
        }
        int base = out.writerIndex();
        int flags = ((wire[2] & 0xff) << 8) | (wire[3] & 0xff);
        // not authoritative for what came from elsewhere; RD echoed; recursion is available here;
        // AD only for a client that asked for DNSSEC data (RFC 6840 5.8)
        flags = flags & ~(Header.AA | Header.RD | Header.TC | Header.AD)
                | Header.QR | Header.RA | (clientFlags & Header.RD) | (truncated ? Header.TC : 0)
                | ((dnssecOk || (clientFlags & Header.AD) != 0) ? flags & Header.AD : 0);
        out.writeShort(id);
        out.writeShort(flags);
        out.writeShort(1);
        if (truncated) {
            out.writeShort(0);
            out.writeShort(0);
            out.writeShort(edns ? 1 : 0);
            out.writeBytes(question, questionOffset, questionEnd - Header.LENGTH);
        } else {
            out.writeBytes(wire, 6, 4);
            out.writeShort(((wire[10] & 0xff) << 8 | (wire[11] & 0xff)) + (edns ? 1 : 0));
            out.writeBytes(question, questionOffset, questionEnd - Header.LENGTH);
            out.writeBytes(wire, questionEnd, wire.length - questionEnd);
            int t = (int) Math.max(0, Math.min(ttlNow, Integer.MAX_VALUE));
            for (int off : ttlOffsets) {
                out.setInt(base + off, t);
            }
        }
        if (edns) {
            out.writeByte(0);
            out.writeShort(RecordType.OPT);
            out.writeShort(Header.EDNS_UDP_PAYLOAD);
            out.writeByte(0);
            out.writeByte(0);
            out.writeShort(dnssecOk ? 0x8000 : 0);
            out.writeShort(0);
        }
        return out;
    }
}
