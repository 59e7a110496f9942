package io.headlessdns.server.table;

import java.util.Arrays;

/**
 * A zone this server answers for: the cluster domain, or a reverse tree (in-addr.arpa, ip6.arpa).
 * Holds the SOA used in the authority section of negative answers, pre-encoded without its owner name
 * (the owner becomes a pointer into the question at query time).
 *
 * <p>{@code authoritative}: every name under the apex is known here, so an unknown name is NXDOMAIN.
 * A reverse zone is not: reverse names not known from the cluster fall through (REFUSED without an
 * upstream), as CoreDNS's {@code fallthrough in-addr.arpa ip6.arpa} does.
 */
public final class Zone {
    final byte[] apex;
    final boolean authoritative;
    /** SOA type, class, TTL, RDLENGTH and RDATA; replaced (one volatile write) when the serial moves. */
    volatile byte[] soaBody;

    public Zone(byte[] apex, boolean authoritative) {
        this.apex = apex;
        this.authoritative = authoritative;
        this.soaBody = new byte[0];
    }

    public byte[] apex() {
        return apex.clone();
    }

    public int apexLength() {
        return apex.length;
    }

    /** The pre-encoded SOA body for negative answers; shared, callers must not modify it. */
    public byte[] soaBody() {
        return soaBody;
    }

    public boolean authoritative() {
        return authoritative;
    }

    /** Whether the name in {@code buf[0, len)} (lower-case wire) equals the apex or lies below it. */
    boolean contains(byte[] buf, int len, int[] labelOffsets, int labelCount) {
        int start = len - apex.length;
        if (start < 0 || !Arrays.equals(buf, start, len, apex, 0, apex.length)) {
            return false;
        }
        if (start == 0) {
            return true;
        }
        for (int i = 0; i < labelCount; i++) {
            if (labelOffsets[i] == start) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return io.headlessdns.server.name.DnsName.toText(apex);
    }
}
