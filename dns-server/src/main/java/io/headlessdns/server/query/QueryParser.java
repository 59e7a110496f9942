package io.headlessdns.server.query;

import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import io.netty.buffer.ByteBuf;

/**
 * Parses a query in place on its ByteBuf into a {@link Question}: header, the one question, and the
 * other sections, of which only OPT (RFC 6891) matters. Never throws and never allocates; the result
 * says how to go on.
 *
 * <p>Design note: the question name may not use compression (nothing precedes it to point at), so any
 * pointer there is malformed. Names in the other sections may; their pointers must point backwards and
 * are followed at most {@link #MAX_POINTERS} times, which rules out loops.
 */
final class QueryParser {
    static final int OK = 0;
    /** Not even a readable header, or a response: say nothing (RFC 8906 3.1.1 for QR=1). */
    static final int DROP = 1;
    static final int FORMERR = 2;
    static final int NOTIMP = 3;
    static final int BADVERS = 4;

    private static final int MAX_POINTERS = 64;

    private QueryParser() {
    }

    static int parse(ByteBuf buf, Question q) {
        q.reset();
        int start = buf.readerIndex();
        int end = buf.writerIndex();
        if (end - start < Header.LENGTH) {
            return DROP;
        }
        q.id = buf.getUnsignedShort(start);
        q.flags = buf.getUnsignedShort(start + Header.OFFSET_FLAGS);
        if ((q.flags & Header.QR) != 0) {
            return DROP;
        }
        if (Header.opcode(q.flags) != Header.OPCODE_QUERY) {
            return NOTIMP;
        }
        if (buf.getUnsignedShort(start + Header.OFFSET_QDCOUNT) != 1) {
            return FORMERR;
        }
        int pos = start + Header.LENGTH;
        byte[] name = q.name.buffer();
        int n = 0;
        while (true) {
            if (pos >= end) {
                return FORMERR;
            }
            int len = buf.getUnsignedByte(pos);
            if (len == 0) {
                name[n++] = 0;
                pos++;
                break;
            }
            if (len > DnsName.MAX_LABEL || n + len + 2 > DnsName.MAX_LENGTH || pos + 1 + len > end) {
                return FORMERR; // a pointer or reserved label type (top bits set), or too long, or cut off
            }
            q.labelOffsets[q.labelCount++] = n;
            name[n++] = (byte) len;
            for (int i = 1; i <= len; i++) {
                byte c = buf.getByte(pos + i);
                name[n++] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
            }
            pos += len + 1;
        }
        if (pos + 4 > end) {
            return FORMERR;
        }
        q.nameLength = n;
        q.name.seal(n);
        q.qtype = buf.getUnsignedShort(pos);
        q.qclass = buf.getUnsignedShort(pos + 2);
        pos += 4;
        q.sectionLength = pos - start - Header.LENGTH;

        int others = buf.getUnsignedShort(start + Header.OFFSET_ANCOUNT) + buf.getUnsignedShort(start + Header.OFFSET_NSCOUNT);
        int additional = buf.getUnsignedShort(start + Header.OFFSET_ARCOUNT);
        for (int i = 0; i < others + additional; i++) {
            int nameStart = pos;
            pos = skipName(buf, start, pos, end);
            if (pos < 0 || pos + 10 > end) {
                return FORMERR;
            }
            int type = buf.getUnsignedShort(pos);
            int rdlength = buf.getUnsignedShort(pos + 8);
            int rdata = pos + 10;
            if (rdata + rdlength > end) {
                return FORMERR;
            }
            if (type == RecordType.OPT) {
                if (i < others || q.edns || pos - nameStart != 1 || !optionsWellFormed(buf, rdata, rdata + rdlength)) {
                    return FORMERR; // OPT only in additional, only once, owned by the root (RFC 6891 6.1.1)
                }
                q.edns = true;
                q.udpPayload = buf.getUnsignedShort(pos + 2);
                q.ednsVersion = buf.getUnsignedByte(pos + 5);
                q.dnssecOk = (buf.getUnsignedShort(pos + 6) & 0x8000) != 0;
            }
            pos = rdata + rdlength;
        }
        if (q.edns && q.ednsVersion != 0) {
            return BADVERS;
        }
        return OK;
    }

    /** Returns the position after the name at {@code pos}, or -1 if it is malformed. */
    private static int skipName(ByteBuf buf, int msgStart, int pos, int end) {
        int after = -1;
        int total = 0;
        int jumps = 0;
        int p = pos;
        while (true) {
            if (p >= end) {
                return -1;
            }
            int len = buf.getUnsignedByte(p);
            if ((len & 0xC0) == 0xC0) {
                if (p + 1 >= end || ++jumps > MAX_POINTERS) {
                    return -1;
                }
                int target = msgStart + (((len & 0x3F) << 8) | buf.getUnsignedByte(p + 1));
                if (target >= p) {
                    return -1; // forward or self pointer
                }
                if (after < 0) {
                    after = p + 2;
                }
                p = target;
                continue;
            }
            if ((len & 0xC0) != 0) {
                return -1;
            }
            total += len + 1;
            if (total > DnsName.MAX_LENGTH) {
                return -1;
            }
            if (len == 0) {
                return after < 0 ? p + 1 : after;
            }
            p += len + 1;
        }
    }

    private static boolean optionsWellFormed(ByteBuf buf, int from, int to) {
        int p = from;
        while (p < to) {
            if (p + 4 > to) {
                return false;
            }
            p += 4 + buf.getUnsignedShort(p + 2);
        }
        return p == to;
    }
}
