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
                return InetAddress.getByName(s);
            }
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                throw new IllegalArgumentException("not an IP address: " + s);
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 3 || !parts[i].chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("not an IP address: " + s);
                }
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    throw new IllegalArgumentException("not an IP address: " + s);
                }
                b[i] = (byte) v;
            }
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + s, e);
        }
    }
}
