package io.headlessdns.server.cache;

import io.headlessdns.server.table.NameKey;
import java.util.Arrays;

/**
 * What a forwarded answer is cached under: the lower-case wire name, the type and the DO bit (an answer
 * with RRSIGs is not the answer without). Stored keys are immutable; the query path fills one mutable
 * {@link Probe} per thread, so a look-up allocates nothing.
 */
public class CacheKey {
    byte[] name;
    int length;
    int qtype;
    boolean dnssecOk;
    int hash;

    CacheKey() {
    }

    /** An immutable key; copies the name. */
    public static CacheKey of(byte[] lowerWire, int length, int qtype, boolean dnssecOk) {
        CacheKey k = new CacheKey();
        k.set(Arrays.copyOf(lowerWire, length), length, qtype, dnssecOk);
        return k;
    }

    final void set(byte[] lowerWire, int len, int type, boolean dok) {
        name = lowerWire;
        length = len;
        qtype = type;
        dnssecOk = dok;
        hash = (NameKey.hash(lowerWire, 0, len) * 31 + type) * 2 + (dok ? 1 : 0);
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
        if (!(o instanceof CacheKey)) {
            return false;
        }
        CacheKey k = (CacheKey) o;
        return k.hash == hash && k.qtype == qtype && k.dnssecOk == dnssecOk
                && Arrays.equals(name, 0, length, k.name, 0, k.length);
    }

    @Override
    public String toString() {
        return io.headlessdns.server.name.DnsName.toText(name, 0, length) + " type " + qtype + (dnssecOk ? " +do" : "");
    }

    /** A reusable key over a caller-owned name buffer; one per thread, never stored. */
    static final class Probe extends CacheKey {
        CacheKey fill(byte[] lowerWire, int len, int type, boolean dok) {
            set(lowerWire, len, type, dok);
            return this;
        }
    }
}
