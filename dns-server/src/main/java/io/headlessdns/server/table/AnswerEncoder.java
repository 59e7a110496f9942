package io.headlessdns.server.table;

import io.headlessdns.server.compile.Rr;
import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private final Map<Suffix, Integer> dictionary = new HashMap<>();
    private int base;
    private final int[] starts = new int[128];
    private final int[] hashes = new int[128];
    /** The owner, remembered in the dictionary only once a name needs compressing. */
    private byte[] owner;

    /** A record of the additional section: its owner name and the record. */
    record Additional(byte[] owner, Rr rr) {
    }

    EncodedAnswer encode(byte[] owner, List<Rr> answers, List<Additional> additional) {
        size = 0;
        dictionary.clear();
        base = Header.LENGTH + owner.length + 4;
        this.owner = owner;
        int[] ends = new int[answers.size()];
        for (int i = 0; i < answers.size(); i++) {
            writePointer(Header.LENGTH);
            writeRecordBody(answers.get(i));
            ends[i] = size;
        }
        int answerLength = size;
        for (Additional a : additional) {
            writeName(a.owner(), true);
            writeRecordBody(a.rr());
        }
        return new EncodedAnswer(Arrays.copyOf(buf, size), answers.size(), answerLength, additional.size(), ends);
    }

    /** Encodes one record, for the pre-encoded SOA of negative answers (owner written at query time). */
    static byte[] recordBodyUncompressed(Rr rr) {
        AnswerEncoder e = new AnswerEncoder();
        e.base = Integer.MAX_VALUE / 2; // nothing is remembered beyond MAX_POINTER: no compression
        e.writeRecordBody(rr);
        return Arrays.copyOf(e.buf, e.size);
    }

    private void writeRecordBody(Rr rr) {
        u16(rr.type());
        u16(Header.CLASS_IN);
        u32(rr.ttl());
        byte[] fixed = rr.fixed();
        byte[] target = rr.target();
        int lengthAt = size;
        u16(0);
        write(fixed, 0, fixed.length);
        if (target != null) {
            writeName(target, rr.type() != RecordType.SRV);
        }
        int rdlength = size - lengthAt - 2;
        buf[lengthAt] = (byte) (rdlength >>> 8);
        buf[lengthAt + 1] = (byte) rdlength;
    }

    private void writeName(byte[] name, boolean compress) {
        if (owner != null) {
            remember(owner, Header.LENGTH);
            owner = null;
        }
        int[] hashes = suffixHashes(name);
        int label = 0;
        int i = 0;
        while (name[i] != 0) {
            Suffix suffix = new Suffix(name, i, hashes[label++]);
            if (compress) {
                Integer at = dictionary.get(suffix);
                if (at != null) {
                    writePointer(at);
                    return;
                }
            }
            int offset = base + size;
            if (offset <= MAX_POINTER) {
                dictionary.putIfAbsent(suffix, offset);
            }
            int len = name[i] & 0xff;
            write(name, i, len + 1);
            i += len + 1;
        }
        write1(0);
    }

    private void remember(byte[] name, int messageOffset) {
        int[] hashes = suffixHashes(name);
        int label = 0;
        for (int i = 0; name[i] != 0; i += (name[i] & 0xff) + 1) {
            dictionary.putIfAbsent(new Suffix(name, i, hashes[label++]), messageOffset + i);
        }
    }

    /**
     * Fills {@link #hashes} with the hash of the suffix starting at each label, computed from the root up
     * so each costs O(label); reuses the encoder's arrays (single-threaded, nothing allocated).
     */
    private int[] suffixHashes(byte[] name) {
        int count = 0;
        for (int i = 0; name[i] != 0; i += (name[i] & 0xff) + 1) {
            starts[count++] = i;
        }
        int h = 0;
        for (int l = count - 1; l >= 0; l--) {
            int from = starts[l];
            h = 31 * h + NameKey.hash(name, from, (name[from] & 0xff) + 1);
            hashes[l] = h;
        }
        return hashes;
    }

    /** A name from one of its labels to the end, without copying it (a dictionary key). */
    private record Suffix(byte[] name, int from, int hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Suffix x && x.hash == hash
                    && Arrays.equals(x.name, x.from, x.name.length, name, from, name.length);
        }

        @Override
        public int hashCode() {
            return hash;
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

    private void u32(int v) {
        u16(v >>> 16);
        u16(v & 0xffff);
    }
}
