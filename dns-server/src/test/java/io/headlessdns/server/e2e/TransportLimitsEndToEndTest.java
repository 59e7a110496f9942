package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.transport.TransportLimits;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * What one client may cost the real server over real sockets (RFC 7766 6.2.3, 10): the per-message
 * timeout against slow-loris, the idle timeout, the connection cap, the in-flight bound of pipelined
 * queries, and UDP queries of 3000 bytes parsed whole.
 */
class TransportLimitsEndToEndTest {
    static final String SVC = "svc-sts-nginx.default.svc.cluster.local.";
    static final int IDLE_MS = 2_000;
    static final int MESSAGE_MS = 700;
    static final int MAX_CONNECTIONS = 50;
    static final int MAX_IN_FLIGHT = 8;

    @TempDir
    Path dir;
    RunningServer running;
    int port;

    @BeforeEach
    void start() throws Exception {
        Files.copy(Path.of("..", "deploy", "examples", "statefulset.yaml"), dir.resolve("statefulset.yaml"));
        Files.writeString(dir.resolve("big.yaml"), BigService.yaml("big", 200));
        running = new RunningServer(List.of(dir), PodRecordMode.INSECURE,
                TransportLimits.DEFAULT.withTcp(MAX_CONNECTIONS, MAX_IN_FLIGHT, IDLE_MS, MESSAGE_MS));
        port = running.server.dnsPort();
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void udpQueryOf3000Bytes_paddedWithAnEdnsPaddingOption_isParsedWholeAndAnswered_rfc7830() throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(SVC), Type.A, DClass.IN));
        q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new GenericEDNSOption(12, new byte[2940]))), Section.ADDITIONAL);
        byte[] wire = q.toWire();
        assertThat(wire.length).isBetween(3000, 3100);
        try (RawClient raw = new RawClient(port)) {
            byte[] r = raw.udp(wire);
            assertThat(r).as("an answer to a %d-byte query", wire.length).isNotNull();
            Message m = new Message(r);
            assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(m.getSection(Section.ANSWER)).hasSize(2);
        }
    }

    @Test
    void slowLoris_aMessageThatStalls_isClosedByTheMessageTimeout_wellBeforeTheIdleTimeout_rfc7766_10() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            s.getOutputStream().write(new byte[] {0, 40, 0x12, 0x34, 1}); // 5 of 42 bytes, then nothing
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).isBetween((long) MESSAGE_MS - 100, (long) IDLE_MS - 300);
        }
    }

    @Test
    void oversizedLengthPrefixFollowedBySilence_isClosedByTheMessageTimeout() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            s.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3});
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(IDLE_MS - 300);
        }
    }

    @Test
    void idleConnection_betweenMessages_isClosedByTheIdleTimeout_rfc7766_6_2_3() throws Exception {
        try (Socket s = connect()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            send(s.getOutputStream(), query(SVC, 7));
            assertThat(new Message(readFrame(in)).getSection(Section.ANSWER)).hasSize(2);
            long start = System.nanoTime();
            assertThat(in.read()).isEqualTo(-1);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(ms).isBetween((long) IDLE_MS - 300, (long) IDLE_MS + 2_000);
        }
    }

    @Test
    void connectionsBeyondTheCap_areClosedAtOnce_andUdpIsUnaffected() throws Exception {
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                open.add(connect());
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> running.server.dns().tcpOpen() == MAX_CONNECTIONS);
            try (Socket extra = connect()) {
                long start = System.nanoTime();
                assertThat(extra.getInputStream().read()).isEqualTo(-1);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
            }
            assertThat(running.server.dns().tcpRejected()).isEqualTo(1);
            assertThat(Http.body(running.server.httpPort(), "/metrics"))
                    .contains("headless_dns_tcp_rejected_connections_total 1")
                    .contains("headless_dns_tcp_connections " + MAX_CONNECTIONS);
            try (RawClient raw = new RawClient(port)) {
                assertThat(new Message(raw.udp(query(SVC, 9))).getSection(Section.ANSWER)).hasSize(2);
            }
            // an admitted connection still answers
            Socket first = open.get(0);
            send(first.getOutputStream(), query(SVC, 11));
            assertThat(new Message(readFrame(new DataInputStream(first.getInputStream()))).getHeader().getID()).isEqualTo(11);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> running.server.dns().tcpOpen() == 0);
    }

    @Test
    void pipelinedQueriesWhoseAnswersAreNotRead_pauseReading_andAllAreAnsweredInOrderOnceRead_rfc7766_6_2_3() throws Exception {
        int queries = 4000; // 4000 answers of ~3.3 KB: far more than the socket buffers hold
        byte[] one = query("big.default.svc.cluster.local.", 0);
        try (Socket s = connect()) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < queries; i++) {
                        one[0] = (byte) (i >>> 8);
                        one[1] = (byte) i;
                        send(out, one);
                    }
                } catch (IOException e) {
                    // the reader below reports what is missing
                }
            }, "pipelining-writer");
            writer.setDaemon(true);
            writer.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> running.server.dns().tcpPauses() > 0);
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int i = 0; i < queries; i++) {
                Message m = new Message(readFrame(in));
                assertThat(m.getHeader().getID()).isEqualTo(i & 0xffff);
                assertThat(m.getSection(Section.ANSWER)).hasSize(200);
            }
            writer.join(5_000);
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        return s;
    }

    static byte[] query(String name, int id) throws IOException {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        q.getHeader().setID(id);
        return q.toWire();
    }

    static void send(OutputStream out, byte[] message) throws IOException {
        byte[] framed = new byte[message.length + 2];
        framed[0] = (byte) (message.length >>> 8);
        framed[1] = (byte) message.length;
        System.arraycopy(message, 0, framed, 2, message.length);
        out.write(framed);
    }

    static byte[] readFrame(DataInputStream in) throws IOException {
        try {
            byte[] b = new byte[in.readUnsignedShort()];
            in.readFully(b);
            return b;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no response within the socket timeout", e);
        }
    }
}
