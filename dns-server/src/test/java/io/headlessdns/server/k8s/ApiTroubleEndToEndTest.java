package io.headlessdns.server.k8s;

import static io.headlessdns.server.k8s.ApiObjects.headless;
import static io.headlessdns.server.k8s.ApiObjects.pod;
import static io.headlessdns.server.k8s.ApiObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.e2e.FreePort;
import java.net.InetAddress;
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
 * The API server's bad days (DESIGN section 1: DNS must survive API-server trouble): an outage keeps the
 * last known answers served; a restart brings the changes made meanwhile; a 410 Gone relist never makes
 * an existing name disappear; before the first sync cluster names are SERVFAIL (a server that has not
 * loaded the cluster must not deny names, RFC 2308 section 7: no negative caching of server failures) and
 * /ready is 503.
 */
class ApiTroubleEndToEndTest {
    private static final String SVC = "web.default.svc.cluster.local";

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

    @Test
    void apiOutage_lastKnownAnswersStay_andChangesMadeMeanwhileArrivePickedUpAfterRestart() throws Exception {
        api = new MockApi(FreePort.udpAndTcp()).start();
        try (KubernetesClient kube = api.client()) {
            kube.resource(headless("default", "web", false)).create();
            kube.resource(slice("default", "web-abc", "web", List.of(pod("web-0", "10.1.0.10", true),
                    pod("web-1", "10.1.0.11", true)))).create();
        }
        dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(dns.server::ready);
        assertThat(dns.dig.shortAnswer(SVC, "A")).containsExactly("10.1.0.10", "10.1.0.11");

        api.stop();
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        int checks = 0;
        while (System.nanoTime() < until) {
            assertThat(dns.dig.shortAnswer(SVC, "A")).containsExactly("10.1.0.10", "10.1.0.11");
            assertThat(dns.dig.shortAnswer("web-1." + SVC, "A")).containsExactly("10.1.0.11");
            assertThat(dns.httpStatus("/health")).isEqualTo(200);
            checks++;
            Thread.sleep(200);
        }
        assertThat(checks).isGreaterThan(3);

        // while this API server is down, the cluster changes through another one in front of the same store
        KubernetesMockServer replica = api.replica();
        try (KubernetesClient kube = replica.createClient()) {
            kube.resource(slice("default", "web-abc", "web", List.of(pod("web-0", "10.1.0.10", true),
                    pod("web-2", "10.1.0.12", true)))).update();
            kube.resource(headless("default", "db", false)).create();
            kube.resource(slice("default", "db-x", "db", List.of(pod("db-0", "10.1.2.10", true)))).create();
        } finally {
            replica.destroy();
        }
        assertThat(dns.dig.shortAnswer(SVC, "A")).containsExactly("10.1.0.10", "10.1.0.11");

        api.start(); // same port, same objects: the informers reconnect with back-off and relist
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(dns.dig.shortAnswer(SVC, "A")).containsExactly("10.1.0.10", "10.1.0.12");
            assertThat(dns.dig.shortAnswer("db-0.db.default.svc.cluster.local", "A")).containsExactly("10.1.2.10");
        });
        assertThat(dns.dig.status("web-1." + SVC, "A")).isEqualTo("NXDOMAIN");
    }

    @Test
    void goneRelist_neverAnswersNxdomainForANameThatExistsBeforeAndAfter() throws Exception {
        api = new MockApi(FreePort.udpAndTcp()).start();
        try (KubernetesClient kube = api.client()) {
            kube.resource(headless("default", "web", false)).create();
            kube.resource(slice("default", "web-abc", "web", List.of(pod("web-0", "10.1.0.10", true),
                    pod("web-1", "10.1.0.11", true), pod("web-2", "10.1.0.12", true)))).create();
            dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofMinutes(5));
            await().atMost(Duration.ofSeconds(10)).until(dns.server::ready);
            await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatches() >= 2);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger queries = new AtomicInteger();
            AtomicReference<String> bad = new AtomicReference<>();
            Thread querier = new Thread(() -> {
                try {
                    SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
                    r.setPort(dns.server.dnsPort());
                    r.setTimeout(Duration.ofSeconds(2));
                    String[] names = {SVC, "web-0." + SVC, "web-1." + SVC, "web-2." + SVC};
                    // bounded: at most 200 000 queries or 30 s, whichever comes first
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    for (int i = 0; running.get() && i < 200_000 && System.nanoTime() < deadline; i++) {
                        String name = names[i % names.length];
                        Message res = r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
                        if (res.getRcode() != Rcode.NOERROR || res.getSection(1).isEmpty()) {
                            bad.compareAndSet(null, name + ": " + Rcode.string(res.getRcode()));
                        }
                        queries.incrementAndGet();
                    }
                } catch (Exception e) {
                    bad.compareAndSet(null, e.toString());
                }
            }, "querier");
            querier.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> queries.get() > 100);

            int listsBefore = api.lists();
            assertThat(api.expireWatches()).as("open watches expired with 410").isGreaterThanOrEqualTo(2);
            // both informers relist (a GET without watch=true each) and watch again
            await().atMost(Duration.ofSeconds(20)).until(() -> api.lists() >= listsBefore + 2);
            int afterRelist = queries.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> queries.get() > afterRelist + 200);

            // the watch after the relist delivers changes again
            kube.resource(slice("default", "web-abc", "web", List.of(pod("web-0", "10.1.0.10", true),
                    pod("web-1", "10.1.0.11", true), pod("web-2", "10.1.0.12", true), pod("web-3", "10.1.0.13", true))))
                    .update();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(
                    () -> assertThat(dns.dig.shortAnswer("web-3." + SVC, "A")).containsExactly("10.1.0.13"));
            running.set(false);
            querier.join(10_000);
            assertThat(bad.get()).as("first bad answer during the relist").isNull();
            assertThat(queries.get()).isGreaterThan(300);
        }
    }

    @Test
    void beforeTheFirstSync_clusterNamesAreServfailAndReadyIs503_thenAnswersAnd200() throws Exception {
        api = new MockApi(FreePort.udpAndTcp()).start();
        try (KubernetesClient kube = api.client()) {
            kube.resource(headless("default", "web", false)).create();
            kube.resource(slice("default", "web-abc", "web", List.of(pod("web-0", "10.1.0.10", true)))).create();
        }
        api.stop(); // the API is down when the DNS server starts

        long t0 = System.nanoTime();
        dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofMinutes(5));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("start returns while syncing").isLessThan(Duration.ofSeconds(5));
        assertThat(dns.dig.status(SVC, "A")).isEqualTo("SERVFAIL");
        assertThat(dns.dig.status("nothing.default.svc.cluster.local", "A")).isEqualTo("SERVFAIL");
        assertThat(dns.httpStatus("/ready")).isEqualTo(503);
        assertThat(dns.httpStatus("/health")).isEqualTo(200);
        Thread.sleep(1500); // a few failed first lists: the informers must keep retrying, not give up
        assertThat(dns.dig.status(SVC, "A")).isEqualTo("SERVFAIL");

        api.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> dns.httpStatus("/ready") == 200);
        assertThat(dns.dig.shortAnswer(SVC, "A")).containsExactly("10.1.0.10");
        assertThat(dns.dig.status("nothing.default.svc.cluster.local", "A")).isEqualTo("NXDOMAIN");
    }

    @Test
    void startupTimeout_servesWhatIsKnown_andCatchesUpWhenTheApiAnswers() throws Exception {
        api = new MockApi(FreePort.udpAndTcp()); // not started
        dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofSeconds(1));
        assertThat(dns.dig.status(SVC, "A")).isEqualTo("SERVFAIL");
        await().atMost(Duration.ofSeconds(10)).until(() -> dns.httpStatus("/ready") == 200);
        assertThat(dns.dig.status(SVC, "A")).isEqualTo("NXDOMAIN");

        api.start();
        try (KubernetesClient kube = api.client()) {
            kube.resource(headless("default", "web", false)).create();
            kube.resource(slice("default", "web-abc", "web", List.of(pod("web-0", "10.1.0.10", true)))).create();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(
                () -> assertThat(dns.dig.shortAnswer(SVC, "A")).containsExactly("10.1.0.10"));
    }
}
