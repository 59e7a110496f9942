package io.headlessdns.server.query;

import io.headlessdns.server.table.EncodedAnswer;
import io.headlessdns.server.table.Zone;
import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes a response for an {@link Outcome}: the header with the query's ID and RD/CD, the question as
 * the client sent it (its case echoed), the pre-encoded answer, the SOA of negative answers, and OPT
 * when the query had one. Sizes the buffer exactly before writing. Applies the transport's size limit:
 * additional records go first, then answer records from the end, and then TC is set (RFC 2181 9).
 * With {@code --loadbalance round_robin}, a whole A or AAAA RRset of several records starts one record
 * further on each time, wrapping around (a rotation of the stored bytes: no record is re-encoded).
 */
final class ResponseWriter {
    private static final int OPT_LENGTH = 11;
    /**
     * The EDNS option of an explained negative, RFC 8914: OPTION-CODE 15 (Extended DNS Error), length,
     * INFO-CODE 0 (Other), EXTRA-TEXT (UTF-8, no terminator). Constant, so it is copied, never built.
     */
    static final byte[] EDE_NO_READY_ENDPOINTS = ede("service exists, no ready endpoints");

    private boolean truncated;
    /** Where a response is composed: the largest message plus TCP's length prefix. */
    private final byte[] scratch = new byte[2 + 65535];
    /** The rotation of {@code --udp-answer-policy fit}: where the next fitted answer starts (modulo its RRset size). */
    private int rotation;
    /**
     * The rotation of {@code --loadbalance round_robin}: the record the next rotated A answer starts with
     * (0 when that is past its RRset's end), one step per rotated answer. A plain int: there is one writer per event loop.
     */
    private int nextFirst;
    /**
     * The same for AAAA answers. Apart, because a resolver asks A and AAAA together (getaddrinfo): with one
     * counter, a lone client of a dual-stack service of two pods would get the same first address forever.
     */
    private int nextFirstAaaa;

    private static byte[] ede(String text) {
        byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] o = new byte[6 + t.length];
        o[1] = 15;
        o[2] = (byte) ((2 + t.length) >>> 8);
        o[3] = (byte) (2 + t.length);
        System.arraycopy(t, 0, o, 6, t.length);
        return o;
    }

    boolean truncated() {
        return truncated;
    }

    /**
     * @param fit        {@code --udp-answer-policy fit}: an RRset of self-contained records that does not fit
     *                   gets as many whole records as fit, from a rotating start, and no TC
     * @param roundRobin {@code --loadbalance round_robin}: a whole A or AAAA RRset of several records is
     *                   written from a rotating start; a truncated or fitted one is not rotated again
     * @param explained  an NXDOMAIN that carries the Extended DNS Error "service exists, no ready endpoints"
     *                   (when the query had EDNS)
     */
    ByteBuf write(Question q, Outcome outcome, EncodedAnswer answer, Zone zone,
                  byte[] podAddress, int podAddressLength, int podTtl, int limit, boolean tcp, boolean fit,
                  boolean roundRobin, boolean explained, ByteBufAllocator alloc) {
        truncated = false;
        switch (outcome) {
            case FORMERR:
            case NOTIMP:
                return bare(q, outcome, tcp, alloc);
            default:
                break;
        }
        byte[] ede = explained && q.edns && outcome == Outcome.NXDOMAIN ? EDE_NO_READY_ENDPOINTS : null;
        int opt = q.edns ? OPT_LENGTH + (ede != null ? ede.length : 0) : 0;
        int fixed = Header.LENGTH + q.sectionLength + opt;
        int an = 0;
        int ar = 0;
        int bodyLength = 0;
        int authorityLength = 0;
        byte[] soa = null;
        // a fitted or load-balanced answer: records [first, an) and then [0, wrapped) of the RRset
        int first = 0;
        int wrapped = 0;
        if (outcome == Outcome.HIT && answer != null && fit && !tcp && answer.selfContained()
                && fixed + answer.answerLength() > limit) {
            an = answer.answerCount();
            first = Integer.remainderUnsigned(rotation, an);
            int room = limit - fixed;
            int taken = 0;
            for (int i = first; taken < an && answer.rrEnd(i) - answer.rrStart(i) <= room; i = i + 1 == an ? 0 : i + 1) {
                room -= answer.rrEnd(i) - answer.rrStart(i);
                taken++;
            }
            // the next fitted answer starts after this one's last record: successive queries get disjoint
            // windows, so the clients of one engine spread over all the endpoints
            rotation = first + Math.max(taken, 1);
            wrapped = Math.max(0, first + taken - an);
            bodyLength = limit - fixed - room;
            an = taken;
        } else if (outcome == Outcome.HIT && answer != null) {
            an = answer.answerCount();
            ar = answer.additionalCount();
            bodyLength = answer.data().length;
            if (fixed + bodyLength > limit) {
                ar = 0; // additional records may be left out without TC (RFC 2181 9)
                bodyLength = answer.answerLength();
                if (fixed + bodyLength > limit) {
                    truncated = true;
                    int whole = 0;
                    while (whole < an && fixed + answer.rrEnd(whole) <= limit) {
                        whole++;
                    }
                    an = whole;
                    bodyLength = whole == 0 ? 0 : answer.rrEnd(whole - 1);
                }
            }
            if (roundRobin && !truncated && an > 1 && answer.addresses()) {
                // records [k, n) then [0, k), k one further per rotated answer: over n answers each record
                // comes first once (CoreDNS's loadbalance shuffles at random; a rotation spreads clients the
                // same without a random number). Owners point at the question and A/AAAA RDATA holds no
                // name, so moving records breaks no pointer. A truncated answer keeps its first records
                // (RFC 2181 9); the TCP retry rotates. The position wraps to 0 past this RRset's end: a
                // compare, not a division per answer
                if (answer.type() == RecordType.AAAA) {
                    first = nextFirstAaaa < an ? nextFirstAaaa : 0;
                    nextFirstAaaa = first + 1;
                } else {
                    first = nextFirst < an ? nextFirst : 0;
                    nextFirst = first + 1;
                }
                wrapped = first;
            }
        } else if (outcome == Outcome.HIT) {
            an = 1; // a synthesised pod address
            bodyLength = 12 + podAddressLength;
        } else if (outcome == Outcome.NODATA || outcome == Outcome.NXDOMAIN) {
            soa = zone.soaBody();
            authorityLength = 2 + soa.length;
        }
        int length = fixed + bodyLength + authorityLength;
        // composed in this writer's array with plain stores, then copied into the buffer at once: each
        // ByteBuf write checks bounds and the reference count, a dozen times per response otherwise
        byte[] o = scratch;
        int p = 0;
        if (tcp) {
            p = u16(o, p, length);
        }
        int rcode = outcome.rcode();
        boolean authoritative = outcome == Outcome.HIT || outcome == Outcome.NODATA || outcome == Outcome.NXDOMAIN;
        int flags = Header.QR | (q.flags & (Header.OPCODE_MASK | Header.RD | Header.CD)) | (rcode & 0xF)
                | (authoritative ? Header.AA : 0) | (truncated ? Header.TC : 0);
        p = u16(o, p, q.id);
        p = u16(o, p, flags);
        p = u16(o, p, 1);
        p = u16(o, p, an);
        p = u16(o, p, soa != null ? 1 : 0);
        p = u16(o, p, ar + (q.edns ? 1 : 0));
        System.arraycopy(q.message, Header.LENGTH, o, p, q.sectionLength); // the question as asked: its case echoed
        p += q.sectionLength;
        if (answer != null && outcome == Outcome.HIT && (first > 0 || wrapped > 0)) {
            int to = wrapped > 0 ? answer.answerLength() : answer.rrStart(first) + bodyLength;
            p = bytes(o, p, answer.data(), answer.rrStart(first), to - answer.rrStart(first));
            if (wrapped > 0) {
                p = bytes(o, p, answer.data(), 0, answer.rrEnd(wrapped - 1));
            }
            if (ar > 0) {
                // the additional section follows the answers unchanged (a fitted answer has none); nothing
                // in it can point into address records, which hold no names
                p = bytes(o, p, answer.data(), answer.answerLength(), answer.additionalLength());
            }
        } else if (answer != null && outcome == Outcome.HIT) {
            p = bytes(o, p, answer.data(), 0, bodyLength);
        } else if (outcome == Outcome.HIT) {
            p = u16(o, p, 0xC000 | Header.LENGTH);
            p = u16(o, p, podAddressLength == 4 ? RecordType.A : RecordType.AAAA);
            p = u16(o, p, Header.CLASS_IN);
            p = u16(o, p, podTtl >>> 16);
            p = u16(o, p, podTtl);
            p = u16(o, p, podAddressLength);
            p = bytes(o, p, podAddress, 0, podAddressLength);
        } else if (soa != null) {
            // the SOA's owner is the zone apex, a suffix of the question name: point at it
            p = u16(o, p, 0xC000 | (Header.LENGTH + q.nameLength - zone.apexLength()));
            p = bytes(o, p, soa, 0, soa.length);
        }
        if (q.edns) {
            p = writeOpt(o, p, q, rcode, ede);
        }
        ByteBuf out = alloc.ioBuffer(p);
        out.writeBytes(o, 0, p);
        return out;
    }

    private static int u16(byte[] o, int p, int v) {
        o[p] = (byte) (v >>> 8);
        o[p + 1] = (byte) v;
        return p + 2;
    }

    private static int bytes(byte[] o, int p, byte[] from, int offset, int length) {
        System.arraycopy(from, offset, o, p, length);
        return p + length;
    }

    /** Header-only response: FORMERR (the question may be unreadable) and NOTIMP (RFC 8906 3.1.3). */
    private static ByteBuf bare(Question q, Outcome outcome, boolean tcp, ByteBufAllocator alloc) {
        ByteBuf out = alloc.ioBuffer(Header.LENGTH + (tcp ? 2 : 0));
        if (tcp) {
            out.writeShort(Header.LENGTH);
        }
        int keep = outcome == Outcome.NOTIMP ? Header.OPCODE_MASK : (Header.OPCODE_MASK | Header.RD);
        out.writeShort(q.id);
        out.writeShort(Header.QR | (q.flags & keep) | outcome.rcode());
        out.writeZero(8);
        return out;
    }

    private static int writeOpt(byte[] o, int p, Question q, int rcode, byte[] ede) {
        o[p++] = 0; // the root
        p = u16(o, p, RecordType.OPT);
        p = u16(o, p, Header.EDNS_UDP_PAYLOAD);
        o[p++] = (byte) (rcode >>> 4); // the upper 8 bits of a 12-bit RCODE such as BADVERS (RFC 6891 6.1.3)
        o[p++] = 0;
        p = u16(o, p, q.dnssecOk ? 0x8000 : 0);
        p = u16(o, p, ede == null ? 0 : ede.length);
        return ede == null ? p : bytes(o, p, ede, 0, ede.length);
    }
}
