package io.headlessdns.server.k8s;

import static io.headlessdns.server.k8s.ApiObjects.headless;
import static io.headlessdns.server.k8s.ApiObjects.pod;
import static io.headlessdns.server.k8s.ApiObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.e2e.FreePort;
import io.headlessdns.server.e2e.RunningServer;
import io.headlessdns.server.snapshot.ClusterState;
import io.headlessdns.server.snapshot.SnapshotFile;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Warm start (issue #9 item 4): a restarted replica answers from the snapshot its predecessor wrote, at
 * once, while the API is unreachable (coredns#2116); when the API answers, live data replaces it without a
 * name flapping, and what the snapshot had but the cluster does not is removed at sync time. A corrupt or
 * foreign snapshot is never served.
 */
class WarmStartEndToEndTest {
    private static final String WEB = "web.default.svc.cluster.local";
    private static final String OLD = "old.default.svc.cluster.local";

    @TempDir
    Path dir;
    private MockApi api;
    private ApiBackedServer dns;

    @AfterEach
    void stop() {
        if (dns != null) {
            dns.close();
        }
        if (api != null) {
            api.close();
        }
    }

    /** Runs a server on manifests with --snapshot-file until it has written the file (the real recorder). */
    private Path snapshotFromAPreviousRun() throws Exception {
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("cluster.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec: {clusterIP: None, ports: [{name: http, port: 80}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: web-a, namespace: default, labels: {kubernetes.io/service-name: web}}
                addressType: IPv4
                ports: [{name: http, port: 80, protocol: TCP}]
                endpoints:
                  - {addresses: ["10.1.0.10"], hostname: web-0, conditions: {ready: true}}
                  - {addresses: ["10.1.0.11"], hostname: web-1, conditions: {ready: true}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: old, namespace: default}
                spec: {clusterIP: None, ports: [{name: http, port: 80}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: old-a, namespace: default, labels: {kubernetes.io/service-name: old}}
                addressType: IPv4
                endpoints:
                  - {addresses: ["10.1.9.9"], conditions: {ready: true}}
                """);
        Path file = dir.resolve("state").resolve("snapshot.bin");
        try (RunningServer previous = new RunningServer(List.of(manifests),
                new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE), c -> c.withSnapshotFile(file))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file));
        }
        ClusterState written = SnapshotFile.read(file, "cluster.local");
        assertThat(written.services()).hasSize(2);
        return file;
    }

    @Test
    void snapshotAnswersAtOnceWithTheApiDown_thenLiveDataReplacesIt_withoutFlapping() throws Exception {
        Path file = snapshotFromAPreviousRun();
        api = new MockApi(FreePort.udpAndTcp()).start();
        try (KubernetesClient kube = api.client()) { // the live cluster differs: web moved, old gone, new added
            kube.resource(headless("default", "web", false)).create();
            kube.resource(slice("default", "web-a", "web", List.of(pod("web-0", "10.1.0.20", true),
                    pod("web-1", "10.1.0.21", true)))).create();
            kube.resource(headless("default", "new", false)).create();
            kube.resource(slice("default", "new-a", "new", List.of(pod("new-0", "10.1.5.5", true)))).create();
        }
        api.stop(); // the API is unreachable (connection refused) when the replica starts

        dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofMinutes(5),
                c -> c.withSnapshotFile(file));
        // at once, before any sync: the snapshot's names, NOERROR; /ready 200 (serving the last known state)
        assertThat(dns.dig.shortAnswer(WEB, "A")).containsExactly("10.1.0.10", "10.1.0.11");
        assertThat(dns.dig.shortAnswer("web-1." + WEB, "A")).containsExactly("10.1.0.11");
        assertThat(dns.dig.shortAnswer(OLD, "A")).containsExactly("10.1.9.9");
        assertThat(dns.httpStatus("/ready")).isEqualTo(200);
        assertThat(dns.server.updater().isSynced()).isFalse();
        Thread.sleep(1500); // informers fail to list and retry; the snapshot keeps answering
        assertThat(dns.dig.shortAnswer(WEB, "A")).containsExactly("10.1.0.10", "10.1.0.11");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger queries = new AtomicInteger();
        AtomicReference<String> bad = new AtomicReference<>();
        Thread querier = new Thread(() -> {
            try {
                SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
                r.setPort(dns.server.dnsPort());
                r.setTimeout(Duration.ofSeconds(2));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos(); // bounded in time and count
                for (int i = 0; running.get() && i < 100_000 && System.nanoTime() < deadline; i++) {
                    Message res = r.send(Message.newQuery(Record.newRecord(Name.fromString(WEB + "."), Type.A, DClass.IN)));
                    if (res.getRcode() != Rcode.NOERROR || res.getSection(1).isEmpty()) {
                        bad.compareAndSet(null, Rcode.string(res.getRcode()));
                    }
                    queries.incrementAndGet();
                }
            } catch (Exception e) {
                bad.compareAndSet(null, e.toString());
            }
        }, "querier");
        querier.start();

        api.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(dns.dig.shortAnswer(WEB, "A")).containsExactly("10.1.0.20", "10.1.0.21");
            assertThat(dns.dig.shortAnswer("new-0.new.default.svc.cluster.local", "A")).containsExactly("10.1.5.5");
            assertThat(dns.dig.status(OLD, "A")).isEqualTo("NXDOMAIN");
        });
        assertThat(dns.server.updater().isSynced()).isTrue();
        running.set(false);
        querier.join(10_000);
        assertThat(bad.get()).as("web never failed or went empty during the switch").isNull();
        assertThat(queries.get()).isGreaterThan(10);
        // the recorder keeps the file in step with what is served now
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(SnapshotFile.read(file, "cluster.local")
                .services()).extracting(s -> s.key().name()).containsExactlyInAnyOrder("web", "new"));
    }

    @Test
    void corruptSnapshot_isIgnored_clusterNamesWaitForTheApi() throws Exception {
        Path file = snapshotFromAPreviousRun();
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x55; // one flipped bit pattern in the body: the CRC no longer matches
        Files.write(file, bytes);
        api = new MockApi(FreePort.udpAndTcp()); // never started
        dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofMinutes(5),
                c -> c.withSnapshotFile(file));
        assertThat(dns.dig.status(WEB, "A")).isEqualTo("SERVFAIL");
        assertThat(dns.httpStatus("/ready")).isEqualTo(503);
    }

    @Test
    void foreignSnapshot_otherClusterDomain_isIgnored() throws Exception {
        Path file = snapshotFromAPreviousRun();
        ClusterState state = SnapshotFile.read(file, "cluster.local");
        SnapshotFile.write(file, "other.example", state);
        api = new MockApi(FreePort.udpAndTcp());
        dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofMinutes(5),
                c -> c.withSnapshotFile(file));
        assertThat(dns.dig.status(WEB, "A")).isEqualTo("SERVFAIL");
        assertThat(dns.httpStatus("/ready")).isEqualTo(503);
    }
}
