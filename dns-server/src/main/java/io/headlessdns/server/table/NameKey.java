package io.headlessdns.server.table;

import io.headlessdns.server.name.DnsName;
import java.util.Arrays;

/**
 * A lower-case wire-form name as a hash key. Keys stored in the table are immutable; the query path
 * uses one mutable {@link Probe} per thread, filled from the packet, so a lookup allocates nothing.
 * Both kinds hash and compare the same bytes, so a probe finds the stored key.
 */
public class NameKey {
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long MIX = 0x9E3779B97F4A7C15L;

    /** The name; a stored key's is exactly the name, a probe's is a buffer (see {@link Probe#length}). */
    byte[] bytes;
    int hash;

    NameKey() {
    }

    /** An immutable key for the given lower-case wire name (the array is not copied). */
    public static NameKey of(byte[] lowerWire) {
        NameKey k = new NameKey();
        k.bytes = lowerWire;
        k.hash = hash(lowerWire, 0, lowerWire.length);
        return k;
    }

    public static NameKey ofText(String name) {
        return of(DnsName.fromText(name));
    }

    /** The wire bytes; callers must not modify them. */
    public byte[] wire() {
        return bytes;
    }

    /**
     * The name's length in bytes. A stored key keeps no length field: its array is exactly the name (4
     * bytes less in each of the writer's 300k name states, which makes them 32 bytes rather than 40).
     */
    public int length() {
        return bytes.length;
    }

    /**
     * The hash of a lower-case wire name's bytes, shared by every key over names. Eight bytes per step (a
     * cluster name is 30-60 bytes: a byte-at-a-time polynomial spent about 30 ns of a query on it); the
     * last step reads the final eight bytes again when the length is not a multiple of eight.
     */
    public static int hash(byte[] b, int off, int len) {
        long h = len * MIX;
        int end = off + len;
        if (len < 8) {
            long tail = 0;
            for (int i = off; i < end; i++) {
                tail = tail << 8 | (b[i] & 0xff);
            }
            h = (h ^ tail) * MIX;
        } else {
            int i = off;
            for (; i + 8 <= end; i += 8) {
                h = (h ^ (long) LONGS.get(b, i)) * MIX;
                h ^= h >>> 29;
            }
            if (i < end) {
                h = (h ^ (long) LONGS.get(b, end - 8)) * MIX;
            }
        }
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public final int hashCode() {
        return hash;
    }

    @Override
    public final boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NameKey)) {
            return false;
        }
        NameKey k = (NameKey) o;
        return k.hash == hash && Arrays.equals(bytes, 0, length(), k.bytes, 0, k.length());
    }

    @Override
    public String toString() {
        return DnsName.toText(bytes, 0, length());
    }

    /**
     * A reusable key over a caller-owned buffer. Not thread-safe: one per query engine. Never stored in
     * the table (the table only takes immutable keys from the writer).
     */
    public static final class Probe extends NameKey {
        /** How much of the buffer the name fills. */
        int length;

        public Probe(int capacity) {
            bytes = new byte[capacity];
        }

        /** The buffer the caller writes a lower-case wire name into before {@link #seal}. */
        public byte[] buffer() {
            return bytes;
        }

        /** Fixes the length and computes the hash of what was written into {@link #buffer()}. */
        public void seal(int len) {
            length = len;
            hash = hash(bytes, 0, len);
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public byte[] wire() {
            return Arrays.copyOf(bytes, length);
        }
    }
}
