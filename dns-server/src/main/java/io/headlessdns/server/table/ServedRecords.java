package io.headlessdns.server.table;

import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.RecordType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the table serves, read back from the pre-encoded answers, for the {@code /records} debugging dump
 * (kube-dns's {@code /cache}): "does the server have my pod's name, and what does it answer?".
 *
 * <p>Design note: it reads the {@link RecordTable}'s published nodes, never the writer's own maps, which
 * only the writer thread may touch. It decodes exactly the bytes a query would copy, so the dump shows
 * what clients get. Runs on the HTTP thread; allocation is fine here.
 */
public final class ServedRecords {
    private ServedRecords() {
    }

    /** One resource record as zone-file fields. */
    public record Record(String name, int ttl, String type, String data) {
    }

    /**
     * Every served name (sorted, absolute, lower case) with its answer records; an empty list marks a name
     * that exists without records (an empty non-terminal). With {@code only} non-null, just that name.
     */
    public static Map<String, List<Record>> dump(RecordTable table, String only) {
        Map<String, List<Record>> out = new TreeMap<>();
        if (only != null) {
            NameKey key = NameKey.ofText(only);
            Node node = table.lookup(key);
            if (node != null && node.explainedNegatives() == null) {
                out.put(key.toString(), records(key.wire(), node));
            }
            return out;
        }
        for (Node node : table.nodes()) {
            if (node.explainedNegatives() != null) {
                continue; // an explained negative: the name does not exist
            }
            out.put(node.name().toString(), records(node.name().wire(), node));
        }
        return out;
    }

    private static List<Record> records(byte[] owner, Node node) {
        List<Record> out = new ArrayList<>();
        node.forEach((type, a) -> decode(owner, a, out));
        return out;
    }

    /** Rebuilds the message prefix the answer was encoded against (header, question) and reads its records. */
    private static void decode(byte[] owner, EncodedAnswer a, List<Record> out) {
        byte[] msg = new byte[Header.LENGTH + owner.length + 4 + a.data.length];
        System.arraycopy(owner, 0, msg, Header.LENGTH, owner.length);
        System.arraycopy(a.data, 0, msg, Header.LENGTH + owner.length + 4, a.data.length);
        int p = Header.LENGTH + owner.length + 4;
        for (int i = 0; i < a.answerCount; i++) {
            StringBuilder name = new StringBuilder();
            p = readName(msg, p, name);
            int type = u16(msg, p);
            int ttl = (u16(msg, p + 4) << 16) | u16(msg, p + 6);
            int rdlength = u16(msg, p + 8);
            int rdata = p + 10;
            out.add(new Record(name.toString(), ttl, RecordType.name(type), rdata(msg, type, rdata, rdlength)));
            p = rdata + rdlength;
        }
    }

    private static String rdata(byte[] msg, int type, int at, int length) {
        StringBuilder sb = new StringBuilder();
        switch (type) {
            case RecordType.A, RecordType.AAAA -> {
                try {
                    sb.append(InetAddress.getByAddress(java.util.Arrays.copyOfRange(msg, at, at + length)).getHostAddress());
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("address of length " + length, e);
                }
            }
            case RecordType.CNAME, RecordType.PTR, RecordType.NS -> readName(msg, at, sb);
            case RecordType.SRV -> {
                sb.append(u16(msg, at)).append(' ').append(u16(msg, at + 2)).append(' ').append(u16(msg, at + 4)).append(' ');
                readName(msg, at + 6, sb);
            }
            case RecordType.TXT -> {
                for (int p = at; p < at + length; p += (msg[p] & 0xff) + 1) {
                    if (p > at) {
                        sb.append(' ');
                    }
                    sb.append('"').append(new String(msg, p + 1, msg[p] & 0xff, java.nio.charset.StandardCharsets.ISO_8859_1)).append('"');
                }
            }
            case RecordType.SOA -> {
                int p = readName(msg, at, sb);
                sb.append(' ');
                p = readName(msg, p, sb);
                for (int i = 0; i < 5; i++, p += 4) {
                    sb.append(' ').append(((long) u16(msg, p) << 16) | u16(msg, p + 2));
                }
            }
            default -> sb.append("\\# ").append(length);
        }
        return sb.toString();
    }

    /** Appends the (possibly compressed) name at {@code p} as text; returns the position after it. */
    private static int readName(byte[] msg, int p, StringBuilder sb) {
        int after = -1;
        int start = sb.length();
        while (true) {
            int len = msg[p] & 0xff;
            if ((len & 0xC0) == 0xC0) {
                if (after < 0) {
                    after = p + 2;
                }
                p = ((len & 0x3F) << 8) | (msg[p + 1] & 0xff);
                continue;
            }
            if (len == 0) {
                if (sb.length() == start) {
                    sb.append('.');
                }
                return after < 0 ? p + 1 : after;
            }
            for (int j = 1; j <= len; j++) {
                char c = (char) (msg[p + j] & 0xff);
                if (c == '.' || c == '\\') {
                    sb.append('\\');
                }
                sb.append(c);
            }
            sb.append('.');
            p += len + 1;
        }
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }
}
