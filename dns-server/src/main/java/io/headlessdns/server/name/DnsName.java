package io.headlessdns.server.name;

import java.net.InetAddress;
import java.util.Locale;

/**
 * Domain names in uncompressed wire form (RFC 1035 3.1): length-prefixed labels ending with the root's
 * zero byte. Names built here are lower case, so byte equality is DNS name equality (RFC 4343).
 */
public final class DnsName {
    public static final int MAX_LENGTH = 255;
    public static final int MAX_LABEL = 63;
    public static final byte[] ROOT = {0};

    private DnsName() {
    }

    /**
     * Wire form of a textual name such as {@code sts-web-0.svc-sts-nginx.default.svc.cluster.local}
     * (a trailing dot is optional). Lower-cases ASCII letters.
     *
     * @throws IllegalArgumentException for an empty label, a label over 63 octets or a name over 255
     */
    public static byte[] fromText(String text) {
        int end = text.endsWith(".") ? text.length() - 1 : text.length();
        if (end == 0) {
            return ROOT.clone();
        }
        byte[] out = new byte[end + 2];
        int lengthAt = 0;
        int n = 1;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                close(out, lengthAt, n, text);
                lengthAt = n++;
            } else {
                if (c > 0x7f) {
                    throw new IllegalArgumentException("not an ASCII name: '" + text + "'");
                }
                out[n++] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
        }
        close(out, lengthAt, n, text);
        out[n] = 0;
        if (out.length > MAX_LENGTH) {
            throw new IllegalArgumentException("name over 255 octets: " + text);
        }
        return out;
    }

    private static void close(byte[] out, int lengthAt, int end, String text) {
        int len = end - lengthAt - 1;
        if (len == 0 || len > MAX_LABEL) {
            throw new IllegalArgumentException("bad label in name '" + text + "'");
        }
        out[lengthAt] = (byte) len;
    }

    /** Text form with a trailing dot, for logs, tests and the records dump. */
    public static String toText(byte[] wire) {
        return toText(wire, 0, wire.length);
    }

    public static String toText(byte[] wire, int offset, int length) {
        StringBuilder sb = new StringBuilder(length);
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int len = wire[i] & 0xff;
            if (len == 0) {
                break;
            }
            for (int j = 1; j <= len; j++) {
                char c = (char) (wire[i + j] & 0xff);
                if (c == '.' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append('.');
            i += len + 1;
        }
        return sb.length() == 0 ? "." : sb.toString();
    }

    /** Concatenates a relative prefix (e.g. one label) with an absolute wire name. */
    public static byte[] prepend(String label, byte[] suffix) {
        int n = label.length();
        if (n > 0 && n <= MAX_LABEL && label.indexOf('.') < 0) {
            // one label, the compiler's common case: written straight into the result
            byte[] out = new byte[1 + n + suffix.length];
            out[0] = (byte) n;
            for (int i = 0; i < n; i++) {
                char c = label.charAt(i);
                if (c > 0x7f) {
                    throw new IllegalArgumentException("not an ASCII name: '" + label + "'");
                }
                out[1 + i] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            System.arraycopy(suffix, 0, out, 1 + n, suffix.length);
            if (out.length > MAX_LENGTH) {
                throw new IllegalArgumentException("name over 255 octets");
            }
            return out;
        }
        byte[] l = fromText(label);
        byte[] out = new byte[l.length - 1 + suffix.length];
        System.arraycopy(l, 0, out, 0, l.length - 1);
        System.arraycopy(suffix, 0, out, l.length - 1, suffix.length);
        if (out.length > MAX_LENGTH) {
            throw new IllegalArgumentException("name over 255 octets");
        }
        return out;
    }

    /** Whether {@code name} equals {@code zone} or lies below it, on label boundaries. */
    public static boolean isAtOrBelow(byte[] name, byte[] zone) {
        int start = name.length - zone.length;
        if (start < 0) {
            return false;
        }
        if (!java.util.Arrays.equals(name, start, name.length, zone, 0, zone.length)) {
            return false;
        }
        int i = 0;
        while (i < start) {
            i += (name[i] & 0xff) + 1;
        }
        return i == start;
    }

    /** Number of labels, not counting the root. */
    public static int labelCount(byte[] wire) {
        int n = 0;
        int i = 0;
        while (wire[i] != 0) {
            i += (wire[i] & 0xff) + 1;
            n++;
        }
        return n;
    }

    /** The name with its first label removed; the root has no parent. */
    public static byte[] parent(byte[] wire) {
        if (wire[0] == 0) {
            throw new IllegalArgumentException("the root has no parent");
        }
        int skip = (wire[0] & 0xff) + 1;
        byte[] out = new byte[wire.length - skip];
        System.arraycopy(wire, skip, out, 0, out.length);
        return out;
    }

    /**
     * The reverse-mapping name of an address (RFC 1035 3.5 for IPv4, RFC 3596 2.5 for IPv6 nibbles).
     */
    public static byte[] reverse(InetAddress address) {
        return reverse(address.getAddress());
    }

    /** {@link #reverse(InetAddress)} of an address's bytes (4 or 16, network order). */
    public static byte[] reverse(byte[] a) {
        byte[] out;
        int n = 0;
        if (a.length == 4) {
            out = new byte[4 * 4 + IN_ADDR_ARPA.length];
            for (int i = 3; i >= 0; i--) {
                int v = a[i] & 0xff;
                int digits = v >= 100 ? 3 : v >= 10 ? 2 : 1;
                out[n++] = (byte) digits;
                for (int j = digits - 1; j >= 0; j--) {
                    out[n + j] = (byte) ('0' + v % 10);
                    v /= 10;
                }
                n += digits;
            }
            System.arraycopy(IN_ADDR_ARPA, 0, out, n, IN_ADDR_ARPA.length);
            n += IN_ADDR_ARPA.length;
        } else {
            out = new byte[64 + IP6_ARPA.length];
            for (int i = 15; i >= 0; i--) {
                out[n++] = 1;
                out[n++] = (byte) Character.forDigit(a[i] & 0xf, 16);
                out[n++] = 1;
                out[n++] = (byte) Character.forDigit((a[i] >> 4) & 0xf, 16);
            }
            System.arraycopy(IP6_ARPA, 0, out, n, IP6_ARPA.length);
            n += IP6_ARPA.length;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static final byte[] IN_ADDR_ARPA = fromText("in-addr.arpa");
    private static final byte[] IP6_ARPA = fromText("ip6.arpa");

    /**
     * The label CoreDNS and the spec use for an endpoint without a hostname: the address with dots (IPv4)
     * or colons of the fully expanded form (IPv6) replaced by dashes, e.g. {@code 10-244-3-40}.
     */
    public static String dashed(InetAddress address) {
        return dashed(address.getAddress());
    }

    /** {@link #dashed(InetAddress)} of an address's bytes (4 or 16, network order). */
    public static String dashed(byte[] a) {
        if (a.length == 16) {
            StringBuilder sb = new StringBuilder(39);
            for (int i = 0; i < 16; i += 2) {
                if (i > 0) {
                    sb.append('-');
                }
                sb.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff)));
            }
            return sb.toString();
        }
        return (a[0] & 0xff) + "-" + (a[1] & 0xff) + "-" + (a[2] & 0xff) + "-" + (a[3] & 0xff);
    }

    /** Whether a string is a valid DNS-1123 label, the only hostnames Kubernetes puts into DNS. */
    public static boolean isDns1123Label(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LABEL) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0 && i < s.length() - 1);
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
