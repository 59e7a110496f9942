package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.query.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The shipped StatefulSet example, served from manifest files on a free port and queried with the real
 * dig and nslookup, over UDP and TCP; then edited while it runs.
 */
class ManifestsEndToEndTest {
    private static final String SVC = "svc-sts-nginx.default.svc.cluster.local";

    @TempDir
    Path dir;
    Path file;
    RunningServer running;

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("statefulset.yaml");
        Files.copy(Path.of("..", "deploy", "examples", "statefulset.yaml"), file);
        running = new RunningServer(List.of(dir), PodRecordMode.INSECURE);
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void example_headlessServiceListsBothPods_overUdpAndTcp() throws Exception {
        List<String> udp = running.dig.shortAnswer(SVC);
        assertThat(udp).hasSize(2).allMatch(ip -> ip.startsWith("10.244."));
        assertThat(running.dig.shortAnswer("+tcp", SVC)).isEqualTo(udp);
        List<String> pod0 = running.dig.shortAnswer("sts-web-0." + SVC);
        List<String> pod1 = running.dig.shortAnswer("+tcp", "sts-web-1." + SVC);
        assertThat(pod0).hasSize(1);
        assertThat(pod1).hasSize(1);
        assertThat(udp).containsExactlyInAnyOrder(pod0.get(0), pod1.get(0));
    }

    @Test
    void example_nslookupAgreesWithDig() throws Exception {
        String pod0 = running.dig.shortAnswer("sts-web-0." + SVC).get(0);
        String out = running.dig.nslookup("sts-web-0." + SVC);
        assertThat(out).contains("Name:\tsts-web-0." + SVC).contains("Address: " + pod0);
        String all = running.dig.nslookup(SVC);
        for (String ip : running.dig.shortAnswer(SVC)) {
            assertThat(all).contains("Address: " + ip);
        }
    }

    @Test
    void example_srvPtrAndNegativeAnswers() throws Exception {
        assertThat(running.dig.shortAnswer("_web._tcp." + SVC, "SRV"))
                .containsExactly("0 50 80 sts-web-0." + SVC + ".", "0 50 80 sts-web-1." + SVC + ".");
        String ip = running.dig.shortAnswer("sts-web-1." + SVC).get(0);
        assertThat(running.dig.shortAnswer("-x", ip)).containsExactly("sts-web-1." + SVC + ".");
        assertThat(running.dig.status("nope.default.svc.cluster.local")).isEqualTo("NXDOMAIN");
        assertThat(running.dig.status(SVC, "TXT")).isEqualTo("NOERROR");
        assertThat(running.dig.status("example.com")).isEqualTo("REFUSED");
        assertThat(running.dig.shortAnswer("dns-version.cluster.local", "TXT")).containsExactly("\"1.1.0\"");
    }

    @Test
    void tcp_severalQueriesOnOneConnection_areAnsweredInOrder_rfc7766() throws Exception {
        List<String> names = List.of("sts-web-0." + SVC, "sts-web-1." + SVC, "nope.default.svc.cluster.local");
        List<byte[]> queries = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            org.xbill.DNS.Message q = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromString(names.get(i) + "."), org.xbill.DNS.Type.A, org.xbill.DNS.DClass.IN));
            q.getHeader().setID(1000 + i);
            queries.add(q.toWire());
        }
        try (RawClient raw = new RawClient(running.server.dnsPort())) {
            List<byte[]> responses = raw.tcpPipelined(queries);
            for (int i = 0; i < names.size(); i++) {
                org.xbill.DNS.Message r = new org.xbill.DNS.Message(responses.get(i));
                assertThat(r.getHeader().getID()).isEqualTo(1000 + i);
                assertThat(r.getQuestion().getName().toString()).isEqualTo(names.get(i) + ".");
                assertThat(r.getRcode()).isEqualTo(i < 2 ? org.xbill.DNS.Rcode.NOERROR : org.xbill.DNS.Rcode.NXDOMAIN);
            }
        }
    }

    @Test
    void editingTheManifest_scalesTo3_andTheNewPodAnswersWithin1s() throws Exception {
        assertThat(running.dig.status("sts-web-2." + SVC)).isEqualTo("NXDOMAIN");
        String scaled = Files.readString(file).replace("replicas: 2", "replicas: 3");
        long start = System.nanoTime();
        write(scaled);
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> running.dig.shortAnswer("sts-web-2." + SVC).size() == 1);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).isLessThan(1000);
        assertThat(running.dig.shortAnswer(SVC)).hasSize(3);
    }

    @Test
    void brokenEdit_isReportedWithFileAndLine_andTheOldAnswersStay() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try {
            List<String> before = running.dig.shortAnswer(SVC);
            String broken = Files.readString(file).replace("  replicas: 2", "  replicas: [2\n  oops: :");
            write(broken);
            await().atMost(Duration.ofSeconds(3)).until(() -> logs.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("statefulset.yaml:")));
            String line = logs.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("statefulset.yaml:")).findFirst().orElseThrow();
            assertThat(line).containsPattern("statefulset\\.yaml:(2[89]|3[0-9])");
            assertThat(running.dig.shortAnswer(SVC)).isEqualTo(before);
            assertThat(running.dig.shortAnswer("sts-web-0." + SVC)).hasSize(1);
        } finally {
            root.detachAppender(logs);
        }
    }

    @Test
    void twoHundredEndpoints_udpWithoutEdnsIsTruncatedTo512_andDigRetriesOverTcpForAll200() throws Exception {
        StringBuilder y = new StringBuilder("""
                apiVersion: v1
                kind: Service
                metadata: {name: big, namespace: default}
                spec: {clusterIP: None, ports: [{name: web, port: 80}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: big-1, namespace: default, labels: {kubernetes.io/service-name: big}}
                addressType: IPv4
                ports: [{name: web, port: 80, protocol: TCP}]
                endpoints:
                """);
        for (int i = 0; i < 200; i++) {
            y.append("  - addresses: [\"10.250.").append(i / 200).append('.').append(i % 200 + 1)
                    .append("\"]\n    conditions: {ready: true}\n");
        }
        Files.writeString(dir.resolve("big.yaml"), y.toString(), StandardCharsets.UTF_8);
        String name = "big.default.svc.cluster.local";
        await().atMost(Duration.ofSeconds(3)).until(() -> !running.dig.shortAnswer("+tcp", name).isEmpty());
        String udp = running.dig.dig("+noedns", "+ignore", name);
        assertThat(udp).contains(" tc ").containsPattern("flags: qr aa tc rd");
        int size = Integer.parseInt(udp.replaceAll("(?s).*MSG SIZE\\s+rcvd: (\\d+).*", "$1"));
        assertThat(size).isLessThanOrEqualTo(512);
        assertThat(running.dig.shortAnswer("+noedns", name)).hasSize(200);
    }

    @Test
    void malformedPackets_areAnsweredFormerrOrDroppedAndCounted_andTheServerKeepsAnswering() throws Exception {
        int port = running.server.dnsPort();
        long droppedBefore = running.server.counters().count(Outcome.DROPPED);
        long formerrBefore = running.server.counters().count(Outcome.FORMERR);
        try (RawClient raw = new RawClient(port)) {
            assertThat(raw.udp(new byte[] {1, 2, 3})).isNull(); // truncated header: dropped
            assertThat(raw.udp(RawClient.header(0)) [3] & 0xf).isEqualTo(1); // qdcount 0
            byte[] two = RawClient.withQuestions(2);
            assertThat(raw.udp(two)[3] & 0xf).isEqualTo(1); // qdcount 2
            assertThat(raw.udp(RawClient.compressionLoop())[3] & 0xf).isEqualTo(1);
            byte[] garbage = new byte[64];
            new java.util.Random(7).nextBytes(garbage);
            garbage[2] = 0; // QR=0, opcode QUERY
            raw.udp(garbage); // FORMERR or dropped; either way the server must go on
            assertThat(raw.tcpOversizedLengthIsClosed()).isTrue();
        }
        assertThat(running.server.counters().count(Outcome.DROPPED)).isGreaterThan(droppedBefore);
        assertThat(running.server.counters().count(Outcome.FORMERR)).isGreaterThanOrEqualTo(formerrBefore + 3);
        assertThat(running.dig.shortAnswer(SVC)).hasSize(2);
        assertThat(running.dig.shortAnswer("+tcp", SVC)).hasSize(2);
    }

    private void write(String content) throws Exception {
        Path tmp = dir.resolve(".edit.tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
