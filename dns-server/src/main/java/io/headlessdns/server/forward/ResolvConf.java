package io.headlessdns.server.forward;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The name servers of a resolv.conf file, read as glibc reads it (resolv.conf(5)): {@code nameserver}
 * lines, the first three only (MAXNS), port 53; comments start with {@code #} or {@code ;}. The
 * {@code search} and {@code options} lines (ndots, timeout, attempts) are for stub resolvers and do not
 * apply to a forwarder, which has its own timeouts; they are ignored, as CoreDNS's forward plugin does.
 */
public final class ResolvConf {
    /** glibc's MAXNS: further nameserver lines are ignored. */
    static final int MAX_NAMESERVERS = 3;
    public static final Path SYSTEM = Path.of("/etc/resolv.conf");

    private ResolvConf() {
    }

    public static List<InetSocketAddress> read(Path file) throws IOException {
        List<InetSocketAddress> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
                continue;
            }
            String[] words = t.split("\\s+");
            if (!words[0].equals("nameserver") || words.length < 2) {
                continue;
            }
            if (out.size() == MAX_NAMESERVERS) {
                break;
            }
            String addr = words[1];
            int zone = addr.indexOf('%'); // fe80::1%eth0: the scope is kept by InetAddress
            if (!UpstreamAddress.isLiteral(zone < 0 ? addr : addr.substring(0, zone))) {
                throw new IOException(file + ":" + lineNo + ": nameserver is not an IP address: " + addr);
            }
            out.add(new InetSocketAddress(InetAddress.getByName(addr), 53));
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no nameserver line");
        }
        return out;
    }
}
