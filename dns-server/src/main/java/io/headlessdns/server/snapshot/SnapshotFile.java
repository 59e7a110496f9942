package io.headlessdns.server.snapshot;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The snapshot file of a warm start: a header, then the {@link ClusterState} in a compact binary form.
 *
 * <pre>
 *   magic      8 bytes  "HDNSSNAP"
 *   version    int      1
 *   domain     UTF      the cluster domain the state was served under
 *   length     int      body length
 *   crc32      int      CRC-32 of the body
 *   body       services, pods, namespaces (DataOutput encoding, each list prefixed by its size)
 * </pre>
 *
 * A file that is not exactly this (another magic or version, another cluster domain, a wrong length or
 * checksum, a body that does not decode into valid model records) is rejected as a whole, with the reason:
 * a warm start must never serve half a state or another cluster's (coredns#2116).
 */
public final class SnapshotFile {
    static final byte[] MAGIC = "HDNSSNAP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    private SnapshotFile() {
    }

    /** Why a snapshot file was not loaded. */
    public static final class Rejected extends Exception {
        Rejected(String reason) {
            super(reason);
        }
    }

    /** Writes {@code state} to {@code file} atomically: a sibling temp file, synced, then moved over it. */
    public static void write(Path file, String clusterDomain, ClusterState state) throws IOException {
        byte[] body = body(state);
        CRC32 crc = new CRC32();
        crc.update(body);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + 64);
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(clusterDomain);
        out.writeInt(body.length);
        out.writeInt((int) crc.getValue());
        out.write(body);
        out.flush();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray());
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // the rename must not publish a file whose bytes are still in flight
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a snapshot written for {@code clusterDomain}; throws {@link Rejected} saying why it cannot be used. */
    public static ClusterState read(Path file, String clusterDomain) throws IOException, Rejected {
        byte[] all = Files.readAllBytes(file);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new Rejected("not a headless-dns snapshot (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new Rejected("snapshot version " + version + ", this build reads version " + VERSION);
            }
            String domain = in.readUTF();
            if (!domain.equals(clusterDomain)) {
                throw new Rejected("snapshot of cluster domain " + domain + ", this server serves " + clusterDomain);
            }
            int length = in.readInt();
            int expected = in.readInt();
            if (length != in.available()) {
                throw new Rejected("truncated or padded: body of " + in.available() + " bytes, header says " + length);
            }
            byte[] body = in.readNBytes(length);
            CRC32 crc = new CRC32();
            crc.update(body);
            if ((int) crc.getValue() != expected) {
                throw new Rejected("checksum mismatch");
            }
            return decode(body);
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new Rejected("truncated or malformed header: " + e);
        }
    }

    private static byte[] body(ClusterState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(state.services().size());
        for (ServiceView s : state.services()) {
            out.writeUTF(s.key().namespace());
            out.writeUTF(s.key().name());
            out.writeUTF(s.type().name());
            strings(out, s.clusterIPs());
            nullable(out, s.externalName());
            out.writeBoolean(s.publishNotReadyAddresses());
            ports(out, s.ports());
            out.writeInt(s.endpoints().size());
            for (EndpointView e : s.endpoints()) {
                strings(out, e.addresses());
                nullable(out, e.hostname());
                out.writeBoolean(e.ready());
                out.writeBoolean(e.serving());
                out.writeBoolean(e.terminating());
                nullable(out, e.targetPod());
                ports(out, e.ports());
            }
            out.writeLong(s.lastChangeTriggerTime() == null ? Long.MIN_VALUE : s.lastChangeTriggerTime().toEpochMilli());
            out.writeBoolean(s.hasSelector());
        }
        out.writeInt(state.pods().size());
        for (PodView p : state.pods()) {
            out.writeUTF(p.namespace());
            out.writeUTF(p.name());
            strings(out, p.ips());
            nullable(out, p.hostname());
            nullable(out, p.subdomain());
        }
        strings(out, state.namespaces());
        out.flush();
        return bytes.toByteArray();
    }

    private static ClusterState decode(byte[] body) throws IOException, Rejected {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        try {
            int n = count(in);
            List<ServiceView> services = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ServiceKey key = new ServiceKey(in.readUTF(), in.readUTF());
                ServiceType type = ServiceType.valueOf(in.readUTF());
                List<String> ips = strings(in);
                String externalName = nullable(in);
                boolean notReady = in.readBoolean();
                List<PortView> ports = ports(in);
                int m = count(in);
                List<EndpointView> endpoints = new ArrayList<>(m);
                for (int j = 0; j < m; j++) {
                    endpoints.add(new EndpointView(strings(in), nullable(in), in.readBoolean(), in.readBoolean(),
                            in.readBoolean(), nullable(in), ports(in)));
                }
                long trigger = in.readLong();
                services.add(new ServiceView(key, type, ips, externalName, notReady, ports, endpoints,
                        trigger == Long.MIN_VALUE ? null : Instant.ofEpochMilli(trigger), in.readBoolean()));
            }
            n = count(in);
            List<PodView> pods = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                pods.add(new PodView(in.readUTF(), in.readUTF(), strings(in), nullable(in), nullable(in)));
            }
            List<String> namespaces = strings(in);
            if (in.available() != 0) {
                throw new Rejected(in.available() + " bytes after the namespaces");
            }
            return new ClusterState(services, pods, namespaces);
        } catch (java.io.EOFException | java.io.UTFDataFormatException | IllegalArgumentException | NullPointerException e) {
            throw new Rejected("body does not decode: " + e);
        }
    }

    private static int count(DataInputStream in) throws IOException, Rejected {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new Rejected("bad list size " + n);
        }
        return n;
    }

    private static void strings(DataOutputStream out, List<String> list) throws IOException {
        out.writeInt(list.size());
        for (String s : list) {
            out.writeUTF(s);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException, Rejected {
        int n = count(in);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
        }
        return out;
    }

    private static void nullable(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String nullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void ports(DataOutputStream out, List<PortView> ports) throws IOException {
        out.writeInt(ports.size());
        for (PortView p : ports) {
            out.writeUTF(p.name());
            out.writeInt(p.port());
            out.writeUTF(p.protocol());
        }
    }

    private static List<PortView> ports(DataInputStream in) throws IOException, Rejected {
        int n = count(in);
        List<PortView> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new PortView(in.readUTF(), in.readInt(), in.readUTF()));
        }
        return out;
    }
}
