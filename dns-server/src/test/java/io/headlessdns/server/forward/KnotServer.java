package io.headlessdns.server.forward;

import io.headlessdns.server.e2e.FreePort;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A real authoritative server for tests: Knot DNS ({@code /usr/sbin/knotd}, Debian package {@code knot})
 * in the foreground as a child process, on a free port of 127.0.0.1, serving zone files from a temp dir.
 */
final class KnotServer implements AutoCloseable {
    static final Path KNOTD = Path.of("/usr/sbin/knotd");

    private final Process process;
    private final int port;

    /** @param zones zone name -> zone file text */
    KnotServer(Path dir, Map<String, String> zones) throws IOException, InterruptedException {
        if (!Files.isExecutable(KNOTD)) {
            throw new IllegalStateException(KNOTD + " not found: apt-get install knot");
        }
        port = FreePort.udpAndTcp();
        StringBuilder conf = new StringBuilder()
                .append("server:\n    listen: 127.0.0.1@").append(port).append("\n    rundir: ").append(dir).append('\n')
                .append("database:\n    storage: ").append(dir).append('\n')
                .append("control:\n    listen: ").append(dir.resolve("knot.sock")).append('\n')
                .append("log:\n  - target: stderr\n    any: warning\n")
                .append("zone:\n");
        for (Map.Entry<String, String> z : zones.entrySet()) {
            Path file = dir.resolve(z.getKey() + ".zone");
            Files.writeString(file, z.getValue());
            conf.append("  - domain: ").append(z.getKey()).append("\n    file: ").append(file).append('\n');
        }
        Path confFile = dir.resolve("knot.conf");
        Files.writeString(confFile, conf);
        process = new ProcessBuilder(KNOTD.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("knotd.log").toFile()).start();
        awaitAnswering(zones.keySet().iterator().next(), dir);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private void awaitAnswering(String zone, Path dir) throws IOException, InterruptedException {
        byte[] q = Message.newQuery(Record.newRecord(Name.fromString(zone + "."), Type.SOA, DClass.IN)).toWire();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(200);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("knotd exited: " + Files.readString(dir.resolve("knotd.log")));
                }
                s.send(new DatagramPacket(q, q.length, address()));
                try {
                    s.receive(new DatagramPacket(new byte[512], 512));
                    return;
                } catch (SocketTimeoutException notYet) {
                    Thread.sleep(50);
                }
            }
        }
        close();
        throw new IllegalStateException("knotd did not answer within 10 s: " + Files.readString(dir.resolve("knotd.log")));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
