package io.headlessdns.server.table;

import io.headlessdns.server.compile.Rr;
import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import java.util.Arrays;

/**
 * Encodes an RRset (and its additional records) into an {@link EncodedAnswer} for a response whose
 * question name is the owner. Runs on the writer thread when the cluster changes, never per query.
 *
 * <p>Owner names become the pointer {@code 0xC00C} to the question. Names in RDATA are compressed
 * against the question and earlier names (RFC 1035 4.1.4), except SRV targets, which RFC 2782 says
 * must not be compressed; their suffixes are still remembered, so the additional section's owners
 * (the SRV targets) shrink to a pointer each.
 */
final class AnswerEncoder {
    private static final int MAX_POINTER = 0x3FFF;

    private byte[] buf = new byte[512];
    private int size;
    private final Dictionary dictionary = new Dictionary();
    private int base;
    private final int[] starts = new int[128];
    private final int[] ownerStarts = new int[128];
    /** Whether the record being written is the message's last: its names need not be remembered. */
    private boolean last;
    /** The owner, remembered in the dictionary only once a name needs compressing. */
    private byte[] owner;

    /** The additional section being collected: owner names and records, reused per RRset. */
    static final class Glue {
        private byte[][] owners = new byte[16][];
        private Rr[] rrs = new Rr[16];
        /** For a record copied from a published answer instead: that answer, and where its body starts. */
        private EncodedAnswer[] from = new EncodedAnswer[16];
        private int[] bodyStarts = new int[16];
        private int count;

        void clear() {
            Arrays.fill(owners, 0, count, null);
            Arrays.fill(rrs, 0, count, null);
            Arrays.fill(from, 0, count, null);
            count = 0;
        }

        /**
         * Adds the answer records of a published A or AAAA answer, owned by {@code owner}: their bodies
         * (type, class, TTL, RDATA) are copied as they are, since they hold no name. Allocates nothing.
         */
        void addEncoded(byte[] owner, EncodedAnswer a) {
            for (int i = 0; i < a.answerCount; i++) {
                grow();
                owners[count] = owner;
                from[count] = a;
                bodyStarts[count++] = a.rrStart(i) + 2; // after the owner's pointer
            }
        }

        /** Adds the records of {@code type} among {@code recs} (an Rr or an Rr[]), owned by {@code owner}. */
        void addOfType(byte[] owner, Object recs, int type) {
            for (int i = 0, n = NameState.count(recs); i < n; i++) {
                Rr rr = NameState.at(recs, i);
                if (rr.type() == type) {
                    add(owner, rr);
                }
            }
        }

        void add(byte[] owner, Rr rr) {
            grow();
            owners[count] = owner;
            rrs[count++] = rr;
        }

        private void grow() {
            if (count == rrs.length) {
                owners = Arrays.copyOf(owners, count * 2);
                rrs = Arrays.copyOf(rrs, count * 2);
                from = Arrays.copyOf(from, count * 2);
                bodyStarts = Arrays.copyOf(bodyStarts, count * 2);
            }
        }
    }

    /** Encodes the first {@code n} of {@code answers} with {@code glue} as the additional section. */
    EncodedAnswer encode(byte[] owner, Rr[] answers, int n, Glue glue) {
        size = 0;
        dictionary.clear();
        base = Header.LENGTH + owner.length + 4;
        this.owner = owner;
        int[] ends = n > 1 ? new int[n] : null;
        for (int i = 0; i < n; i++) {
            last = i == n - 1 && glue.count == 0;
            writePointer(Header.LENGTH);
            writeRecordBody(answers[i]);
            if (ends != null) {
                ends[i] = size;
            }
        }
        int answerLength = size;
        for (int i = 0; i < glue.count; i++) {
            last = i == glue.count - 1;
            writeName(glue.owners[i], true);
            if (glue.rrs[i] != null) {
                writeRecordBody(glue.rrs[i]);
            } else {
                byte[] d = glue.from[i].data;
                int at = glue.bodyStarts[i];
                write(d, at, 10 + ((d[at + 8] & 0xff) << 8 | (d[at + 9] & 0xff))); // type to RDLENGTH, then RDATA
            }
        }
        return new EncodedAnswer(Arrays.copyOf(buf, size), n, answerLength, glue.count, ends);
    }

    /** Encodes one record, for the pre-encoded SOA of negative answers (owner written at query time). */
    byte[] recordBodyUncompressed(Rr rr) {
        size = 0;
        dictionary.clear();
        owner = null;
        base = Integer.MAX_VALUE / 2; // nothing is remembered beyond MAX_POINTER: no compression
        last = true;
        writeRecordBody(rr);
        return Arrays.copyOf(buf, size);
    }

    private void writeRecordBody(Rr rr) {
        byte[] fixed = rr.fixed();
        byte[] target = rr.target();
        // TYPE, CLASS, TTL and RDLENGTH (filled in below) in one step: a large RRset writes thousands
        ensure(10 + fixed.length);
        byte[] b = buf;
        int at = size;
        int type = rr.type();
        int ttl = rr.ttl();
        b[at] = (byte) (type >>> 8);
        b[at + 1] = (byte) type;
        b[at + 2] = (byte) (Header.CLASS_IN >>> 8);
        b[at + 3] = (byte) Header.CLASS_IN;
        b[at + 4] = (byte) (ttl >>> 24);
        b[at + 5] = (byte) (ttl >>> 16);
        b[at + 6] = (byte) (ttl >>> 8);
        b[at + 7] = (byte) ttl;
        int lengthAt = at + 8;
        System.arraycopy(fixed, 0, b, at + 10, fixed.length);
        size = at + 10 + fixed.length;
        if (target != null) {
            writeName(target, rr.type() != RecordType.SRV);
        }
        int rdlength = size - lengthAt - 2;
        buf[lengthAt] = (byte) (rdlength >>> 8);
        buf[lengthAt + 1] = (byte) rdlength;
    }

    private void writeName(byte[] name, boolean compress) {
        if (owner != null && last) {
            // the only name of the RRset, as in most PTR and CNAME answers: the owner is the only earlier name
            if (compress) {
                writeAgainstOwner(name);
            } else {
                write(name, 0, name.length);
            }
            return;
        }
        if (owner != null) {
            remember(owner, Header.LENGTH);
            owner = null;
        }
        int i = 0;
        // once a suffix is known, its own suffixes are too (each name is remembered down to the root)
        boolean known = last;
        while (name[i] != 0) {
            // hashed only as far as the walk goes: most names stop at their second label, known or found
            int hash = NameKey.hash(name, i, name.length - i);
            if (compress) {
                int at = dictionary.get(name, i, hash);
                if (at >= 0) {
                    writePointer(at);
                    return;
                }
            }
            int offset = base + size;
            if (offset <= MAX_POINTER && !known) {
                known = !dictionary.putIfAbsent(name, i, hash, offset);
            }
            int len = name[i] & 0xff;
            write(name, i, len + 1);
            i += len + 1;
        }
        write1(0);
    }

    /**
     * Writes a name compressed against the owner alone: the longest suffix it shares with the owner, on
     * label boundaries, becomes a pointer into the question. The same bytes the dictionary would give
     * while it holds nothing but the owner, without hashing a suffix.
     */
    private void writeAgainstOwner(byte[] name) {
        int nameLabels = labelStarts(name, starts);
        int ownerLabels = labelStarts(owner, ownerStarts);
        int i = nameLabels;
        int j = ownerLabels;
        while (i > 0 && j > 0 && sameLabel(name, starts[i - 1], owner, ownerStarts[j - 1])) {
            i--;
            j--;
        }
        if (i == nameLabels) {
            write(name, 0, name.length);
        } else {
            write(name, 0, starts[i]);
            writePointer(Header.LENGTH + ownerStarts[j]);
        }
    }

    private static int labelStarts(byte[] name, int[] into) {
        int count = 0;
        for (int i = 0; name[i] != 0; i += (name[i] & 0xff) + 1) {
            into[count++] = i;
        }
        return count;
    }

    private static boolean sameLabel(byte[] a, int ai, byte[] b, int bi) {
        int len = (a[ai] & 0xff) + 1;
        return Arrays.equals(a, ai, ai + len, b, bi, bi + len);
    }

    private void remember(byte[] name, int messageOffset) {
        for (int i = 0; name[i] != 0; i += (name[i] & 0xff) + 1) {
            dictionary.putIfAbsent(name, i, NameKey.hash(name, i, name.length - i), messageOffset + i);
        }
    }

    private void writePointer(int offset) {
        u16(0xC000 | offset);
    }

    private void u16(int v) {
        write1(v >>> 8);
        write1(v);
    }

    private void write1(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    private void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
