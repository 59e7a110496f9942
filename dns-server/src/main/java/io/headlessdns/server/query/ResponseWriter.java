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
 */
final class ResponseWriter {
    private static final int OPT_LENGTH = 11;

    private boolean truncated;

    boolean truncated() {
        return truncated;
    }

    ByteBuf write(ByteBuf query, Question q, Outcome outcome, EncodedAnswer answer, Zone zone,
                  byte[] podAddress, int podAddressLength, int podTtl, int limit, boolean tcp, ByteBufAllocator alloc) {
        truncated = false;
        switch (outcome) {
            case FORMERR:
            case NOTIMP:
                return bare(q, outcome, tcp, alloc);
            default:
                break;
        }
        int opt = q.edns ? OPT_LENGTH : 0;
        int fixed = Header.LENGTH + q.sectionLength + opt;
        int an = 0;
        int ar = 0;
        int bodyLength = 0;
        int authorityLength = 0;
        byte[] soa = null;
        if (outcome == Outcome.HIT && answer != null) {
            an = answer.answerCount();
            ar = answer.additionalCount();
            bodyLength = answer.data().length;
            if (fixed + bodyLength > limit) {
                ar = 0; // additional records may be left out without TC (RFC 2181 9)
                bodyLength = answer.answerLength();
                if (fixed + bodyLength > limit) {
                    truncated = true;
                    int fit = 0;
                    while (fit < an && fixed + answer.rrEnd(fit) <= limit) {
                        fit++;
                    }
                    an = fit;
                    bodyLength = fit == 0 ? 0 : answer.rrEnd(fit - 1);
                }
            }
        } else if (outcome == Outcome.HIT) {
            an = 1; // a synthesised pod address
            bodyLength = 12 + podAddressLength;
        } else if (outcome == Outcome.NODATA || outcome == Outcome.NXDOMAIN) {
            soa = zone.soaBody();
            authorityLength = 2 + soa.length;
        }
        int length = fixed + bodyLength + authorityLength;
        ByteBuf out = alloc.ioBuffer(length + (tcp ? 2 : 0));
        if (tcp) {
            out.writeShort(length);
        }
        int rcode = outcome.rcode();
        boolean authoritative = outcome == Outcome.HIT || outcome == Outcome.NODATA || outcome == Outcome.NXDOMAIN;
        int flags = Header.QR | (q.flags & (Header.OPCODE_MASK | Header.RD | Header.CD)) | (rcode & 0xF)
                | (authoritative ? Header.AA : 0) | (truncated ? Header.TC : 0);
        out.writeShort(q.id);
        out.writeShort(flags);
        out.writeShort(1);
        out.writeShort(an);
        out.writeShort(soa != null ? 1 : 0);
        out.writeShort(ar + (q.edns ? 1 : 0));
        out.writeBytes(query, query.readerIndex() + Header.LENGTH, q.sectionLength);
        if (answer != null && outcome == Outcome.HIT) {
            out.writeBytes(answer.data(), 0, bodyLength);
        } else if (outcome == Outcome.HIT) {
            out.writeShort(0xC000 | Header.LENGTH);
            out.writeShort(podAddressLength == 4 ? RecordType.A : RecordType.AAAA);
            out.writeShort(Header.CLASS_IN);
            out.writeInt(podTtl);
            out.writeShort(podAddressLength);
            out.writeBytes(podAddress, 0, podAddressLength);
        } else if (soa != null) {
            // the SOA's owner is the zone apex, a suffix of the question name: point at it
            out.writeShort(0xC000 | (Header.LENGTH + q.nameLength - zone.apexLength()));
            out.writeBytes(soa);
        }
        if (q.edns) {
            writeOpt(out, q, rcode);
        }
        return out;
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

    private static void writeOpt(ByteBuf out, Question q, int rcode) {
        out.writeByte(0);
        out.writeShort(RecordType.OPT);
        out.writeShort(Header.EDNS_UDP_PAYLOAD);
        out.writeByte(rcode >>> 4); // the upper 8 bits of a 12-bit RCODE such as BADVERS (RFC 6891 6.1.3)
        out.writeByte(0);
        out.writeShort(q.dnssecOk ? 0x8000 : 0);
        out.writeShort(0);
    }
}
