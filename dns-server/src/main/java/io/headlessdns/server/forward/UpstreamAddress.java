package io.headlessdns.server.forward;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Parses an {@code --upstream} or {@code --stub-domain} target: {@code ADDR}, {@code ADDR:PORT},
 * {@code [IPV6]:PORT} or a bare IPv6 address (port 53), or {@code resolv.conf} (the system's) or the
 * path of a resolv.conf-format file. Only address literals: a forwarder that needs DNS to find its
 * upstream cannot start when DNS is what is broken.
 */
public final class UpstreamAddress {
    private UpstreamAddress() {
    }

    public static List<InetSocketAddress> parse(String text) throws IOException {
        String t = text.trim();
        if (t.equals("resolv.conf")) {
            return ResolvConf.read(ResolvConf.SYSTEM);
        }
        if (t.contains("/")) {
            Path p = Path.of(t);
            if (!Files.isRegularFile(p)) {
                throw new IOException("no such resolv.conf file: " + t);
            }
            return ResolvConf.read(p);
        }
        return List.of(parseAddress(t));
    }

    static InetSocketAddress parseAddress(String t) {
        String host;
        int port = 53;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in '" + t + "'");
            }
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("expected ':PORT' after ']' in '" + t + "'");
                }
                port = parsePort(rest.substring(1), t);
            }
        } else if (t.indexOf(':') != t.lastIndexOf(':')) {
            host = t; // a bare IPv6 address
        } else if (t.indexOf(':') >= 0) {
            host = t.substring(0, t.indexOf(':'));
            port = parsePort(t.substring(t.indexOf(':') + 1), t);
        } else {
            host = t;
        }
        if (!isLiteral(host)) {
            throw new IllegalArgumentException("upstream must be an IP address (optionally :PORT) or a resolv.conf file, not '" + t + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address '" + t + "'");
        }
    }

    private static int parsePort(String p, String whole) {
        try {
            int port = Integer.parseInt(p);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + whole + "'");
        }
    }

    /** An IPv4 dotted quad or something with a colon (IPv6): never a name to look up. */
    static boolean isLiteral(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    /** {@code 127.0.0.1:53} or {@code [::1]:53}, CoreDNS's {@code to} label. */
    public static String label(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
