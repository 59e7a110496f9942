package io.headlessdns.server.query;

import io.headlessdns.server.compile.IpLiteral;

/**
 * Recognises insecure pod names, {@code <dashed-ip>.<namespace>.pod.<zone>} (Kubernetes DNS spec 2.6 as
 * CoreDNS serves it with {@code pods insecure}): {@code 10-244-1-7} is 10.244.1.7, and an IPv6 address
 * has its colons written as dashes ({@code fd00--7}). IPv4 is parsed without allocation; IPv6, rarely
 * asked for, goes through the literal parser.
 */
final class PodName {
    private PodName() {
    }

    /** Writes the address into {@code out} and returns its length (4 or 16), or 0 if this is no pod name. */
    static int parse(Question q, int apexLength, byte[] out) {
        byte[] name = q.name.buffer();
        // exactly three labels above the zone: <dashed-ip> <namespace> pod
        if (q.labelCount < 4 || q.labelOffsets[3] != q.nameLength - apexLength) {
            return 0;
        }
        int podAt = q.labelOffsets[2];
        if (name[podAt] != 3 || name[podAt + 1] != 'p' || name[podAt + 2] != 'o' || name[podAt + 3] != 'd') {
            return 0;
        }
        int len = name[0] & 0xff;
        int v4 = parseV4(name, 1, len, out);
        if (v4 > 0) {
            return v4;
        }
        return parseV6(name, 1, len, out);
    }

    private static int parseV4(byte[] b, int from, int len, byte[] out) {
        int octet = 0;
        int value = -1;
        for (int i = from; i < from + len; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return 0;
                }
            } else if (c == '-' && value >= 0 && octet < 3) {
                out[octet++] = (byte) value;
                value = -1;
            } else {
                return 0;
            }
        }
        if (octet != 3 || value < 0) {
            return 0;
        }
        out[3] = (byte) value;
        return 4;
    }

    private static int parseV6(byte[] b, int from, int len, byte[] out) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = from; i < from + len; i++) {
            char c = (char) b[i];
            if (c == '-') {
                sb.append(':');
            } else if (Character.digit(c, 16) >= 0) {
                sb.append(c);
            } else {
                return 0;
            }
        }
        if (sb.indexOf(":") < 0) {
            return 0;
        }
        try {
            byte[] a = IpLiteral.parse(sb.toString()).getAddress();
            if (a.length != 16) {
                return 0;
            }
            System.arraycopy(a, 0, out, 0, 16);
            return 16;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
