package io.headlessdns.server.k8s;

import static io.headlessdns.server.k8s.ApiObjects.headless;
import static io.headlessdns.server.k8s.ApiObjects.pod;
import static io.headlessdns.server.k8s.ApiObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.e2e.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes API faults of issue #8 beyond an outage and 410 Gone (those are in {@link ApiTroubleEndToEndTest}):
 * a watch stream closed by the server, a watch event that does not decode, and RBAC refusing a list. In each
 * the informers must come back by themselves and the next change must be served (checked with dig).
 */
class ApiFaultsEndToEndTest {
    private static final String SVC = "web.default.svc.cluster.local";

    @TempDir
    Path dir;
    private MockApi api;
    private ApiBackedServer dns;
    private ListAppender<ILoggingEvent> logs;
    private Logger informerLog;

    @BeforeEach
    void captureLogs() {
        informerLog = (Logger) LoggerFactory.getLogger("io.headlessdns.k8s.informer.InformerGroup");
        logs = new ListAppender<>();
        logs.start();
        informerLog.addAppender(logs);
    }

    @AfterEach
    void stop() {
        informerLog.detachAppender(logs);
        if (dns != null) {
            dns.close();
        }
        if (api != null) {
            api.close();
        }
    }

    private KubernetesClient startSynced() throws Exception {
        api = new MockApi(FreePort.udpAndTcp()).start();
        KubernetesClient kube = api.client();
        kube.resource(headless("default", "web", false)).create();
        kube.resource(slice("default", "web-a", "web", List.of(pod("web-0", "10.1.0.10", true)))).create();
        dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofMinutes(5));
        await().atMost(Duration.ofSeconds(10)).until(dns.server::ready);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatches() >= 2);
        return kube;
    }

    @Test
    void watchStreamClosedByTheServer_informersWatchAgain_andTheNextChangeIsServed() throws Exception {
        try (KubernetesClient kube = startSynced()) {
            int watchesBefore = watchRequests();
            assertThat(api.closeWatches()).isGreaterThanOrEqualTo(2);
            await().atMost(Duration.ofSeconds(20)).until(() -> watchRequests() >= watchesBefore + 2 && api.openWatches() >= 2);
            assertThat(dns.dig.shortAnswer(SVC, "A")).containsExactly("10.1.0.10");
            kube.resource(slice("default", "web-a", "web", List.of(pod("web-0", "10.1.0.10", true),
                    pod("web-1", "10.1.0.11", true)))).update();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(
                    () -> assertThat(dns.dig.shortAnswer("web-1." + SVC, "A")).containsExactly("10.1.0.11"));
        }
    }

    @Test
    void undecodableWatchEvent_isLogged_informerRestartsWithAFreshList_andTheNextChangeIsServed() throws Exception {
        try (KubernetesClient kube = startSynced()) {
            int listsBefore = api.lists();
            assertThat(api.sendOnWatches("endpointslices", "{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"EndpointSlice\","
                    + "\"apiVersion\":\"discovery.k8s.io/v1\",\"metadata\":{\"name\":[\"not a string\"]")).isEqualTo(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> api.lists() > listsBefore);
            assertThat(dns.dig.shortAnswer(SVC, "A")).containsExactly("10.1.0.10");
            kube.resource(slice("default", "web-a", "web", List.of(pod("web-0", "10.1.0.10", true),
                    pod("web-2", "10.1.0.12", true)))).update();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(
                    () -> assertThat(dns.dig.shortAnswer("web-2." + SVC, "A")).containsExactly("10.1.0.12"));
            assertThat(messages()).anyMatch(m -> m.contains("endpointslices") && m.contains("could not be decoded"));
        }
    }

    @Test
    void forbiddenList_logNamesVerbAndResource_readyStays503_evenAfterTheStartupTimeout_untilRbacIsFixed() throws Exception {
        api = new MockApi(FreePort.udpAndTcp()).start();
        try (KubernetesClient kube = api.client()) {
            kube.resource(headless("default", "web", false)).create();
            kube.resource(slice("default", "web-a", "web", List.of(pod("web-0", "10.1.0.10", true)))).create();
        }
        api.forbid("endpointslices");
        dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> messages().stream().anyMatch(m -> m.contains("403")));
        assertThat(messages()).anyMatch(m -> m.contains("403 Forbidden") && m.contains("to list")
                && m.contains("endpointslices.discovery.k8s.io") && m.contains("RBAC"));
        assertThat(dns.httpStatus("/ready")).isEqualTo(503);
        // the start-up timeout passes: what is known is served, but a refused resource keeps /ready at 503,
        // so Kubernetes sends no client to a replica whose headless services all look empty
        await().atMost(Duration.ofSeconds(10)).until(() -> dns.server.updater().isSynced());
        Thread.sleep(1000); // refused again meanwhile: one log line, not one per retry
        assertThat(dns.httpStatus("/ready")).isEqualTo(503);
        assertThat(messages().stream().filter(m -> m.contains("403"))).hasSize(1);

        api.forbid(null); // the ClusterRole is fixed; the informer, still retrying, lists and watches
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> dns.httpStatus("/ready") == 200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(dns.dig.shortAnswer(SVC, "A")).containsExactly("10.1.0.10"));
    }

    private int watchRequests() {
        return (int) api.requests().stream().filter(r -> r.contains("watch=true")).count();
    }

    private List<String> messages() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
