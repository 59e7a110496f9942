package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --loadbalance} with dig against the running server, as kubeadm's Corefile runs CoreDNS's
 * loadbalance plugin: by default a headless service's A answer starts one pod further per query, over UDP
 * and TCP, so clients that take the first address spread over the pods; SRV keeps its order;
 * {@code HEADLESS_DNS_LOADBALANCE=off} gives every client the same order, and a wrong value stops the start.
 *
 * <p>The servers run one event loop: each has its own rotation, and dig's queries, each from a new port,
 * would otherwise land on either loop's socket (SO_REUSEPORT).
 */
class LoadBalanceEndToEndTest {
    private static final String WEB = "web.default.svc.cluster.local";
    private static final List<String> IPS = List.of("10.250.0.1", "10.250.0.2", "10.250.0.3", "10.250.0.4");

    @TempDir
    Path dir;

    private Path cluster() throws Exception {
        Files.writeString(dir.resolve("cluster.yaml"), BigService.yaml("web", IPS.size()));
        return dir;
    }

    private RunningServer serveDefaults() throws Exception {
        return new RunningServer(List.of(cluster()), new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE),
                LoadBalanceEndToEndTest::oneEventLoop);
    }

    private static ServerConfig oneEventLoop(ServerConfig c) {
        return new ServerConfig(c.manifests(), c.bind(), c.port(), c.httpPort(), 1, c.zone(), c.metrics(), c.lameduck(),
                c.logQueries(), c.forward(), c.kube(), c.limits(), c.udpAnswers(), c.loadBalance(), c.snapshotFile(),
                c.cpuAffinity());
    }

    @Test
    void roundRobin_isTheDefault_successiveDigsStartOnePodFurther_udpAndTcp_srvKeepsItsOrder() throws Exception {
        try (RunningServer s = serveDefaults()) {
            for (String transport : List.of("+notcp", "+tcp")) {
                List<List<String>> orders = new ArrayList<>();
                for (int i = 0; i < 2 * IPS.size(); i++) {
                    String out = s.dig.dig(transport, WEB, "A");
                    assertThat(out).contains("status: NOERROR").contains("ANSWER: 4,");
                    List<String> a = Dig.answers(out, "A");
                    assertThat(a).as("the whole RRset").containsExactlyInAnyOrderElementsOf(IPS);
                    if (!orders.isEmpty()) {
                        assertThat(a).as("%s query %d: one pod further than the one before", transport, i)
                                .isEqualTo(rotated(orders.get(orders.size() - 1), 1));
                    }
                    orders.add(a);
                }
                Set<String> firsts = new HashSet<>();
                orders.subList(0, IPS.size()).forEach(o -> firsts.add(o.get(0)));
                assertThat(firsts).as("first addresses of %d successive %s answers", IPS.size(), transport)
                        .containsExactlyInAnyOrderElementsOf(IPS);
            }
            String srv = String.join("\n", Dig.answers(s.dig.dig("_web._tcp." + WEB, "SRV"), "SRV"));
            assertThat(srv).contains("10-250-0-1." + WEB); // no hostnames: targets named by address
            for (int i = 0; i < IPS.size(); i++) {
                assertThat(String.join("\n", Dig.answers(s.dig.dig("_web._tcp." + WEB, "SRV"), "SRV"))).isEqualTo(srv);
                s.dig.dig(WEB, "A"); // an A answer in between moves the rotation on
            }
        }
    }

    @Test
    void offFromTheEnvironment_everyDigGetsTheStoredOrder_whereTheDefaultRotates() throws Exception {
        Path manifests = cluster();
        int dnsPort = FreePort.udpAndTcp();
        int httpPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            httpPort = s.getLocalPort();
        }
        Process p = server(Map.of("HEADLESS_DNS_MANIFESTS", manifests.toString(), "HEADLESS_DNS_PORT", String.valueOf(dnsPort),
                "HEADLESS_DNS_HTTP_PORT", String.valueOf(httpPort), "HEADLESS_DNS_LOADBALANCE", "off"));
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> Http.get(httpPort, "/ready").statusCode() == 200);
            Dig dig = new Dig(dnsPort);
            for (int i = 0; i < 2 * IPS.size(); i++) {
                assertThat(Dig.answers(dig.dig(i % 2 == 0 ? "+notcp" : "+tcp", WEB, "A"), "A")).as("query %d", i).isEqualTo(IPS);
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        try (RunningServer s = serveDefaults()) {
            List<String> first = Dig.answers(s.dig.dig(WEB, "A"), "A");
            assertThat(Dig.answers(s.dig.dig(WEB, "A"), "A")).as("the default, round_robin").isEqualTo(rotated(first, 1));
        }
    }

    @Test
    void aWrongValueFromTheEnvironment_exits2_namingTheFlagAndTheValue() throws Exception {
        Process p = server(Map.of("HEADLESS_DNS_MANIFESTS", cluster().toString(), "HEADLESS_DNS_PORT", "0",
                "HEADLESS_DNS_HTTP_PORT", "-1", "HEADLESS_DNS_LOADBALANCE", "shuffle"));
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("exited instead of serving").isTrue();
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(Files.readString(output(), StandardCharsets.UTF_8)).contains("--loadbalance must be round_robin or off, not 'shuffle'");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The server as a process on 127.0.0.1 with one event loop, configured through the environment; its output in {@link #output}. */
    private Process server(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), "io.headlessdns.server.Main")
                .redirectErrorStream(true).redirectOutput(output().toFile());
        pb.environment().putAll(env);
        pb.environment().put("HEADLESS_DNS_BIND", "127.0.0.1");
        pb.environment().put("HEADLESS_DNS_THREADS", "1");
        return pb.start();
    }

    private Path output() {
        return dir.resolve("output.log");
    }

    private static List<String> rotated(List<String> records, int k) {
        List<String> out = new ArrayList<>(records.subList(k, records.size()));
        out.addAll(records.subList(0, k));
        return out;
    }
}
