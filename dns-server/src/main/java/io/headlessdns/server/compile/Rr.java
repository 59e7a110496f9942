package io.headlessdns.server.compile;

import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.table.NameKey;
import io.headlessdns.server.wire.RecordType;
import java.util.Arrays;

/**
 * One resource record before encoding: the RDATA is {@code fixed} bytes followed by an optional domain
 * name {@code target} (lower-case wire form) that the encoder may compress (RFC 1035 4.1.4 allows it for
 * CNAME, PTR, NS, SOA; RFC 2782 forbids it for SRV targets, and the encoder honours that).
 * The owner name is not part of the record: records are grouped under their owner.
 */
public final class Rr {
    private static final byte[] NONE = new byte[0];

    final int type;
    final int ttl;
    final byte[] fixed;
    final byte[] target;
    /** Preference among records of a name from different sources (PTR policy); not part of equality. */
    final int rank;

    public Rr(int type, int ttl, byte[] fixed, byte[] target) {
        this(type, ttl, fixed, target, 0);
    }

    public Rr(int type, int ttl, byte[] fixed, byte[] target, int rank) {
        this.type = type;
        this.ttl = ttl;
        this.fixed = fixed == null ? NONE : fixed;
        this.target = target;
        this.rank = rank;
    }

    /** This record with another TTL (the RDATA arrays are shared: they are never modified). */
    public Rr withTtl(int newTtl) {
        return new Rr(type, newTtl, fixed, target, rank);
    }

    public int rank() {
        return rank;
    }

    public int type() {
        return type;
    }

    public int ttl() {
        return ttl;
    }

    public byte[] fixed() {
        return fixed;
    }

    /** The name in the RDATA, or null. */
    public byte[] target() {
        return target;
    }

    /** The RDATA with the name uncompressed. */
    public byte[] rdata() {
        if (target == null) {
            return fixed;
        }
        byte[] out = Arrays.copyOf(fixed, fixed.length + target.length);
        System.arraycopy(target, 0, out, fixed.length, target.length);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        // TTL is left out on purpose: two records that differ only in TTL are the same record (RFC 2181 5.2)
        return o instanceof Rr r && r.type == type && Arrays.equals(r.fixed, fixed) && Arrays.equals(r.target, target);
    }

    @Override
    public int hashCode() {
        // no varargs array or boxing: a large headless service hashes every one of its addresses, and the
        // names' hash reads eight bytes a step where Arrays.hashCode reads one
        int h = 31 * type + NameKey.hash(fixed, 0, fixed.length);
        return target == null ? h : h * 31 + NameKey.hash(target, 0, target.length);
    }

    @Override
    public String toString() {
        return RecordType.name(type) + " " + ttl + " " + RdataText.of(this);
    }

    /** Presentation form of RDATA for logs, tests and the records dump (RFC 1035 5.1 style). */
    static final class RdataText {
        private RdataText() {
        }

        static String of(Rr r) {
            byte[] f = r.fixed;
            switch (r.type) {
                case RecordType.A:
                case RecordType.AAAA:
                    try {
                        return java.net.InetAddress.getByAddress(f).getHostAddress();
                    } catch (java.net.UnknownHostException e) {
                        return "?";
                    }
                case RecordType.SRV:
                    return u16(f, 0) + " " + u16(f, 2) + " " + u16(f, 4) + " " + DnsName.toText(r.target);
                case RecordType.CNAME:
                case RecordType.PTR:
                case RecordType.NS:
                    return DnsName.toText(r.target);
                case RecordType.TXT:
                    return '"' + new String(f, 1, f[0] & 0xff, java.nio.charset.StandardCharsets.US_ASCII) + '"';
                default:
                    return "\\# " + f.length;
            }
        }

        private static int u16(byte[] b, int i) {
            return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
        }
    }
}
