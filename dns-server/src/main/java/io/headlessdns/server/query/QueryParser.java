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
        int length = buf.readableBytes();
        if (length < Header.LENGTH || length > q.message.length) {
            return DROP; // no header; or longer than any DNS message (TCP's 2-byte length caps it)
        }
        // one bulk copy into the engine's array, then plain array reads: a ByteBuf accessor checks bounds
        // and the reference count on every call, which was a third of a whole query (bench/README.md)
        byte[] m = q.message;
        buf.getBytes(buf.readerIndex(), m, 0, length);
        return parse(m, length, q);
    }

    private static int parse(byte[] m, int end, Question q) {
        q.id = u16(m, 0);
        q.flags = u16(m, Header.OFFSET_FLAGS);
        if ((q.flags & Header.QR) != 0) {
            return DROP;
        }
        if (Header.opcode(q.flags) != Header.OPCODE_QUERY) {
            return NOTIMP;
        }
        if (u16(m, Header.OFFSET_QDCOUNT) != 1) {
            return FORMERR;
        }
        int pos = Header.LENGTH;
        byte[] name = q.name.buffer();
        int n = 0;
        while (true) {
            if (pos >= end) {
                return FORMERR;
            }
            int len = m[pos] & 0xff;
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
            for (int i = pos + 1, last = pos + len; i <= last; i++) {
                byte c = m[i];
                name[n++] = c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
            }
            pos += len + 1;
        }
        if (pos + 4 > end) {
            return FORMERR;
        }
        q.nameLength = n;
        q.name.seal(n);
        q.qtype = u16(m, pos);
        q.qclass = u16(m, pos + 2);
        pos += 4;
        q.sectionLength = pos - Header.LENGTH;

        int others = u16(m, Header.OFFSET_ANCOUNT) + u16(m, Header.OFFSET_NSCOUNT);
        int additional = u16(m, Header.OFFSET_ARCOUNT);
        for (int i = 0; i < others + additional; i++) {
            int nameStart = pos;
            pos = skipName(m, pos, end);
            if (pos < 0 || pos + 10 > end) {
                return FORMERR;
            }
            int type = u16(m, pos);
            int rdlength = u16(m, pos + 8);
            int rdata = pos + 10;
            if (rdata + rdlength > end) {
                return FORMERR;
            }
            if (type == RecordType.OPT) {
                if (i < others || q.edns || pos - nameStart != 1 || !optionsWellFormed(m, rdata, rdata + rdlength)) {
                    return FORMERR; // OPT only in additional, only once, owned by the root (RFC 6891 6.1.1)
                }
                q.edns = true;
                q.udpPayload = u16(m, pos + 2);
                q.ednsVersion = m[pos + 5] & 0xff;
                q.dnssecOk = (u16(m, pos + 6) & 0x8000) != 0;
            }
            pos = rdata + rdlength;
        }
        if (q.edns && q.ednsVersion != 0) {
            return BADVERS;
        }
        return OK;
    }

    private static int u16(byte[] m, int i) {
        return (m[i] & 0xff) << 8 | m[i + 1] & 0xff;
    }

    /** Returns the position after the name at {@code pos}, or -1 if it is malformed. */
    private static int skipName(byte[] m, int pos, int end) {
        int after = -1;
        int total = 0;
        int jumps = 0;
        int p = pos;
        while (true) {
            if (p >= end) {
                return -1;
            }
            int len = m[p] & 0xff;
            if ((len & 0xC0) == 0xC0) {
                if (p + 1 >= end || ++jumps > MAX_POINTERS) {
                    return -1;
                }
                int target = ((len & 0x3F) << 8) | m[p + 1] & 0xff;
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

    private static boolean optionsWellFormed(byte[] m, int from, int to) {
        int p = from;
        while (p < to) {
            if (p + 4 > to) {
                return false;
            }
            p += 4 + u16(m, p + 2);
        }
        return p == to;
    }
}
