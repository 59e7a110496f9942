package io.headlessdns.server.table;

import io.headlessdns.server.compile.Rr;
import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the records of an {@link EncodedAnswer} back: compares them with compiled records, or rebuilds
 * them. This lets the table writer keep no compiled records for a name whose one contribution is exactly
 * its published answer (see {@link NameState#encoded()}).
 *
 * <p>Only the types whose RDATA splits into the {@link Rr} fields by type alone are read: A and AAAA (all
 * fixed), SRV (6 fixed bytes, then a target the encoder never compresses) and PTR and CNAME (a target,
 * which may hold a pointer into the question or an earlier record). Writer thread only.
 */
final class AnswerDecoder {
    /** Type, class, TTL and RDLENGTH after each answer record's owner pointer. */
    private static final int RR_HEADER = 10;

    private AnswerDecoder() {
    }

    /** Whether records of this type can be read back exactly. */
    static boolean readable(int type) {
        return type == RecordType.A || type == RecordType.AAAA || type == RecordType.SRV
                || type == RecordType.PTR || type == RecordType.CNAME;
    }

    private static int fixedLength(int type, int rdlength) {
        return switch (type) {
            case RecordType.SRV -> 6;
            case RecordType.PTR, RecordType.CNAME -> 0;
            default -> rdlength;
        };
    }

    private static boolean hasTarget(int type) {
        return type == RecordType.SRV || type == RecordType.PTR || type == RecordType.CNAME;
    }

    /**
     * Whether the answer's records are {@code rrs}, in order, compared as {@link Rr#equals} does (type and
     * RDATA; TTL and rank are not part of a record's identity). Allocates nothing.
     */
    static boolean holds(EncodedAnswer a, byte[] owner, List<Rr> rrs) {
        if (a.answerCount != rrs.size()) {
            return false;
        }
        byte[] d = a.data;
        int p = 0;
        for (int i = 0; i < rrs.size(); i++) {
            Rr rr = rrs.get(i);
            int type = u16(d, p + 2);
            int rdlength = u16(d, p + 10);
            int rdata = p + 2 + RR_HEADER;
            if (type != rr.type() || !readable(type)) {
                return false;
            }
            int fixed = fixedLength(type, rdlength);
            if (fixed != rr.fixed().length || !Arrays.equals(d, rdata, rdata + fixed, rr.fixed(), 0, fixed)) {
                return false;
            }
            if (hasTarget(type) != (rr.target() != null)
                    || hasTarget(type) && !nameEquals(d, owner, rdata + fixed, rr.target())) {
                return false;
            }
            p = rdata + rdlength;
        }
        return true;
    }

    /** The answer's records as compiled records of the given rank (the additional section is not read). */
    static Rr[] records(EncodedAnswer a, byte[] owner, int rank) {
        byte[] d = a.data;
        Rr[] out = new Rr[a.answerCount];
        int p = 0;
        for (int i = 0; i < out.length; i++) {
            int type = u16(d, p + 2);
            int ttl = (u16(d, p + 6) << 16) | u16(d, p + 8);
            int rdlength = u16(d, p + 10);
            int rdata = p + 2 + RR_HEADER;
            if (!readable(type)) {
                throw new IllegalStateException("records of type " + type + " are kept compiled, not read back");
            }
            int fixed = fixedLength(type, rdlength);
            byte[] target = hasTarget(type) ? readName(d, owner, rdata + fixed) : null;
            // an RRset's SRV records nearly always share priority, weight and port: one array for all, as compiled
            byte[] previous = i > 0 ? out[i - 1].fixed() : null;
            byte[] fixedPart = fixed == 0 ? null
                    : previous != null && Arrays.equals(previous, 0, previous.length, d, rdata, rdata + fixed) ? previous
                    : Arrays.copyOfRange(d, rdata, rdata + fixed);
            out[i] = new Rr(type, ttl, fixedPart, target, rank);
            p = rdata + rdlength;
        }
        return out;
    }

    /** Whether the (possibly compressed) name at {@code at} in the answer is the uncompressed wire name. */
    private static boolean nameEquals(byte[] d, byte[] owner, int at, byte[] name) {
        return walkName(d, owner, at, null, name) == name.length;
    }

    /** The name at {@code at}, uncompressed; sized exactly (a first pass measures it), as it may be kept. */
    private static byte[] readName(byte[] d, byte[] owner, int at) {
        byte[] out = new byte[walkName(d, owner, at, null, null)];
        walkName(d, owner, at, out, null);
        return out;
    }

    /**
     * Walks the (possibly compressed) name at {@code at}, label by label; a pointer leads into the question
     * (the owner, at offset 12 of the message) or into the answer data. Copies each label into {@code out}
     * and compares it with {@code expected}, each unless null. Returns the uncompressed length, or -1 at
     * the first label that differs from (or runs past) {@code expected}.
     */
    private static int walkName(byte[] d, byte[] owner, int at, byte[] out, byte[] expected) {
        int base = base(owner);
        int n = 0;
        byte[] src = d;
        int p = at;
        while (true) {
            int len = src[p] & 0xff;
            if ((len & 0xC0) == 0xC0) {
                int offset = ((len & 0x3F) << 8) | (src[p + 1] & 0xff);
                src = offset >= base ? d : owner;
                p = offset >= base ? offset - base : offset - Header.LENGTH;
                continue;
            }
            if (expected != null && (n + len + 1 > expected.length
                    || !Arrays.equals(src, p, p + len + 1, expected, n, n + len + 1))) {
                return -1;
            }
            if (out != null) {
                System.arraycopy(src, p, out, n, len + 1);
            }
            n += len + 1;
            if (len == 0) {
                return n;
            }
            p += len + 1;
        }
    }

    /** Offset in the message of the answer's first byte: header, question name, type and class. */
    private static int base(byte[] owner) {
        return Header.LENGTH + owner.length + 4;
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }
}
