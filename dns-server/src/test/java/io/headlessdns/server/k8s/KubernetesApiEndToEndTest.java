package io.headlessdns.server.k8s;

import static io.headlessdns.server.k8s.ApiObjects.headless;
import static io.headlessdns.server.k8s.ApiObjects.pod;
import static io.headlessdns.server.k8s.ApiObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
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

/**
 * The StatefulSet life cycle replayed against a CRUD mock Kubernetes API, answers checked with the real
 * dig over UDP. Kubernetes DNS-Based Service Discovery 1.1.0 section 2.4 (headless services: one A record
 * per ready endpoint, {@code <hostname>.<service>} per endpoint with a hostname).
 */
class KubernetesApiEndToEndTest {
    private static final String SVC = "web.default.svc.cluster.local";
    private static final Duration CONVERGE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private MockApi api;
    private KubernetesClient kube;
    private ApiBackedServer dns;

    @BeforeEach
    void start() throws Exception {
        api = new MockApi(FreePort.udpAndTcp()).start();
        kube = api.client();
        dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofMinutes(5));
        await().atMost(CONVERGE).until(dns.server::ready);
    }

    @AfterEach
    void stop() {
        dns.close();
        kube.close();
        api.close();
    }

    @Test
    void statefulSetLifeCycle_scaleRollDelete_answersFollowTheApi() throws Exception {
        kube.resource(headless("default", "web", false)).create();
        kube.resource(slice("default", "web-abc", "web", List.of(pod("web-0", "10.1.0.10", true),
                pod("web-1", "10.1.0.11", true)))).create();
        awaitA(SVC, "10.1.0.10", "10.1.0.11");
        assertThat(dns.dig.shortAnswer("web-0." + SVC, "A")).containsExactly("10.1.0.10");
        assertThat(dns.dig.shortAnswer("web-1." + SVC, "A")).containsExactly("10.1.0.11");

        // scale to 3: the new pod's name appears
        updateSlice("web-abc", pod("web-0", "10.1.0.10", true), pod("web-1", "10.1.0.11", true),
                pod("web-2", "10.1.0.12", true));
        awaitA(SVC, "10.1.0.10", "10.1.0.11", "10.1.0.12");
        assertThat(dns.dig.shortAnswer("web-2." + SVC, "A")).containsExactly("10.1.0.12");

        // scale to 1: the names of the removed pods disappear (NXDOMAIN, not an empty NOERROR)
        updateSlice("web-abc", pod("web-0", "10.1.0.10", true));
        awaitA(SVC, "10.1.0.10");
        assertThat(dns.dig.status("web-1." + SVC, "A")).isEqualTo("NXDOMAIN");
        assertThat(dns.dig.status("web-2." + SVC, "A")).isEqualTo("NXDOMAIN");

        // rolling update: web-0 comes back with a new IP; the old one is no longer served, nor its PTR
        updateSlice("web-abc", pod("web-0", "10.1.0.20", true));
        awaitA("web-0." + SVC, "10.1.0.20");
        assertThat(dns.dig.shortAnswer(SVC, "A")).containsExactly("10.1.0.20");
        // reverse names outside the table are not ours to deny (REFUSED without upstreams): no PTR is the point
        assertThat(dns.dig.shortAnswer("-x", "10.1.0.10")).isEmpty();
        assertThat(dns.dig.shortAnswer("-x", "10.1.0.20")).containsExactly("web-0." + SVC + ".");

        // delete the service: its names are gone
        kube.discovery().v1().endpointSlices().inNamespace("default").withName("web-abc").delete();
        kube.services().inNamespace("default").withName("web").delete();
        await().atMost(CONVERGE).untilAsserted(() -> assertThat(dns.dig.status(SVC, "A")).isEqualTo("NXDOMAIN"));
        assertThat(dns.dig.status("web-0." + SVC, "A")).isEqualTo("NXDOMAIN");
    }

    @Test
    void endpointsOfTwoSlices_mergeIntoOneAnswer() throws Exception {
        kube.resource(headless("default", "web", false)).create();
        kube.resource(slice("default", "web-a", "web", List.of(pod("web-0", "10.1.0.10", true)))).create();
        kube.resource(slice("default", "web-b", "web", List.of(pod("web-1", "10.1.1.11", true)))).create();
        awaitA(SVC, "10.1.0.10", "10.1.1.11");
        assertThat(dns.dig.shortAnswer("web-1." + SVC, "A")).containsExactly("10.1.1.11");
        assertThat(dns.dig.shortAnswer("_http._tcp." + SVC, "SRV")).hasSize(2);

        // one slice going away removes only its endpoints
        kube.discovery().v1().endpointSlices().inNamespace("default").withName("web-a").delete();
        awaitA(SVC, "10.1.1.11");
        assertThat(dns.dig.status("web-0." + SVC, "A")).isEqualTo("NXDOMAIN");
    }

    @Test
    void notReadyEndpoint_isExcluded_unlessPublishNotReadyAddresses() throws Exception {
        kube.resource(headless("default", "web", false)).create();
        kube.resource(slice("default", "web-abc", "web", List.of(pod("web-0", "10.1.0.10", true),
                pod("web-1", "10.1.0.11", false)))).create();
        awaitA(SVC, "10.1.0.10");
        kube.resource(headless("default", "web", true)).update();
        awaitA(SVC, "10.1.0.10", "10.1.0.11");
        assertThat(dns.dig.shortAnswer("web-1." + SVC, "A")).containsExactly("10.1.0.11");
    }

    private void updateSlice(String name, Endpoint... endpoints) {
        kube.resource(slice("default", name, "web", List.of(endpoints))).update();
    }

    private void awaitA(String name, String... ips) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50)).untilAsserted(
                () -> assertThat(dns.dig.shortAnswer(name, "A")).containsExactly(ips));
    }
}
