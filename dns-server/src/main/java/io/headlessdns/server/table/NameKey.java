package io.headlessdns.server.table;

import io.headlessdns.server.name.DnsName;
import java.util.Arrays;

/**
 * A lower-case wire-form name as a hash key. Keys stored in the table are immutable; the query path
 * uses one mutable {@link Probe} per thread, filled from the packet, so a lookup allocates nothing.
 * Both kinds hash and compare the same bytes, so a probe finds the stored key.
 */
public class NameKey {
    byte[] bytes;
    int length;
    int hash;

    NameKey() {
    }

    /** An immutable key for the given lower-case wire name (the array is not copied). */
    public static NameKey of(byte[] lowerWire) {
        NameKey k = new NameKey();
        k.bytes = lowerWire;
        k.length = lowerWire.length;
        k.hash = hash(lowerWire, 0, lowerWire.length);
        return k;
    }

    public static NameKey ofText(String name) {
        return of(DnsName.fromText(name));
    }

    /** The wire bytes; callers must not modify them. */
    public byte[] wire() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }

    public int length() {
        return length;
    }

    /** The hash of a lower-case wire name's bytes, shared by every key over names. */
    public static int hash(byte[] b, int off, int len) {
        int h = 1;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
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
        return k.hash == hash && Arrays.equals(bytes, 0, length, k.bytes, 0, k.length);
    }

    @Override
    public String toString() {
        return DnsName.toText(bytes, 0, length);
    }

    /**
     * A reusable key over a caller-owned buffer. Not thread-safe: one per query engine. Never stored in
     * the table (the table only takes immutable keys from the writer).
     */
    public static final class Probe extends NameKey {
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
    }
}
