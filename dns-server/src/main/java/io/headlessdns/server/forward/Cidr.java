package io.headlessdns.server.forward;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fc00::/7}, for {@code --allow-cidr}. An IPv4
 * block never matches an IPv6 address and the other way round.
 */
public record Cidr(byte[] network, int prefix) {
    public Cidr {
        network = network.clone();
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("prefix /" + prefix + " too long for the address");
        }
        for (int bit = prefix; bit < network.length * 8; bit++) {
            network[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7)); // host bits off, so matching compares prefixes only
        }
    }

    /** Parses {@code ADDR/PREFIX}; a bare address is a /32 or /128. Never looks a name up (literals only). */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        if (addr.isEmpty() || !(addr.indexOf(':') >= 0 || addr.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            throw new IllegalArgumentException("not an address block: '" + text + "' (expected e.g. 10.0.0.0/8 or fc00::/7)");
        }
        byte[] a;
        try {
            a = InetAddress.getByName(addr).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address block: '" + text + "'");
        }
        try {
            return new Cidr(a, slash < 0 ? a.length * 8 : Integer.parseInt(t.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
    }

    /** Whether the address lies in this block. Allocation-free for IPv4 (the common client). */
    public boolean contains(InetAddress address) {
        if (address instanceof Inet4Address) {
            if (network.length != 4) {
                return false;
            }
            // Inet4Address.hashCode() is its address as an int (stable since JDK 1.0), which avoids the
            // array copy of getAddress() on the forwarding path
            int a = address.hashCode();
            int n = ((network[0] & 0xff) << 24) | ((network[1] & 0xff) << 16) | ((network[2] & 0xff) << 8) | (network[3] & 0xff);
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            return (a & mask) == n;
        }
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix >>> 3;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix & 7;
        return rest == 0 || ((a[full] ^ network[full]) & (0xff00 >>> rest) & 0xff) == 0;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
