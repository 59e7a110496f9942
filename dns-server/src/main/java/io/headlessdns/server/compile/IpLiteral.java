package io.headlessdns.server.compile;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IP address literals from Kubernetes objects without ever resolving a host name
 * ({@link InetAddress#getByName} would send a DNS query for anything that is not a literal).
 */
public final class IpLiteral {
    private IpLiteral() {
    }

    /** The address, or throws IllegalArgumentException naming the bad value. */
    public static InetAddress parse(String s) {
        try {
            return InetAddress.getByAddress(bytes(s));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + s, e);
        }
    }

    /**
     * The address in network byte order (4 or 16 bytes), or throws IllegalArgumentException naming the bad
     * value. No InetAddress for IPv4, which the compiler parses once per endpoint.
     */
    public static byte[] bytes(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty IP address");
        }
        try {
            if (s.indexOf(':') >= 0) {
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                        throw new IllegalArgumentException("not an IP address: " + s);
                    }
                }
                // a string with ':' and only hex digits, dots and colons is parsed as a literal, never looked up
                return InetAddress.getByName(s).getAddress();
            }
            byte[] b = new byte[4];
            int octet = 0;
            int value = -1;
            int digits = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= '0' && c <= '9' && digits < 3) {
                    value = (value < 0 ? 0 : value * 10) + (c - '0');
                    digits++;
                } else if (c == '.' && value >= 0 && value <= 255 && octet < 3) {
                    b[octet++] = (byte) value;
                    value = -1;
                    digits = 0;
                } else {
                    throw new IllegalArgumentException("not an IP address: " + s);
                }
            }
            if (octet != 3 || value < 0 || value > 255) {
                throw new IllegalArgumentException("not an IP address: " + s);
            }
            b[3] = (byte) value;
            return b;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + s, e);
        }
    }
}
