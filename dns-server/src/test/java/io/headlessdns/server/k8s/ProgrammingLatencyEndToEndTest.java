package io.headlessdns.server.k8s;

import static io.headlessdns.server.k8s.ApiObjects.clusterIp;
import static io.headlessdns.server.k8s.ApiObjects.headless;
import static io.headlessdns.server.k8s.ApiObjects.pod;
import static io.headlessdns.server.k8s.ApiObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.e2e.FreePort;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coredns_kubernetes_dns_programming_duration_seconds} as CoreDNS exports it (plugin/kubernetes
 * metrics.go): a histogram per service_kind, from the EndpointSlice's last-change-trigger-time to the
 * answer being served, with prometheus.ExponentialBuckets(0.001, 2, 20).
 */
class ProgrammingLatencyEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void eachKindOfService_recordsOneLatencyPerTriggerTime_afterSyncOnly() throws Exception {
        try (MockApi api = new MockApi(FreePort.udpAndTcp()).start(); KubernetesClient kube = api.client()) {
            // known before the server starts: its trigger time says nothing about this server's latency
            kube.resource(headless("default", "old", false)).create();
            kube.resource(slice("default", "old-a", "old", List.of(pod("old-0", "10.1.9.1", true)),
                    Instant.parse("2020-01-01T00:00:00Z"))).create();
            try (ApiBackedServer dns = new ApiBackedServer(api.kubeconfig(dir), PodRecordMode.INSECURE, Duration.ofMinutes(1))) {
                await().atMost(Duration.ofSeconds(10)).until(dns.server::ready);

                kube.resource(headless("default", "web", false)).create();
                kube.resource(clusterIp("default", "api", "10.96.0.20")).create();
                Service manual = headless("default", "manual", false);
                manual.getSpec().setSelector(null); // selectorless: its slices are written by hand or an operator
                kube.resource(manual).create();
                Instant now = Instant.now();
                kube.resource(slice("default", "web-a", "web", List.of(pod("web-0", "10.1.0.10", true)), now)).create();
                kube.resource(slice("default", "api-a", "api", List.of(pod("api-0", "10.1.1.10", true)), now)).create();
                kube.resource(slice("default", "manual-a", "manual", List.of(pod("m-0", "10.1.2.10", true)), now)).create();

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    String m = dns.metrics();
                    assertThat(count(m, "headless_with_selector")).isEqualTo(1);
                    assertThat(count(m, "cluster_ip")).isEqualTo(1);
                    assertThat(count(m, "headless_without_selector")).isEqualTo(1);
                });
                // a service-only update republishes the same trigger time: not a new programming event
                kube.resource(headless("default", "web", true)).update();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        dns.dig.shortAnswer("web-0.web.default.svc.cluster.local", "A")).containsExactly("10.1.0.10"));
                kube.resource(slice("default", "web-a", "web", List.of(pod("web-0", "10.1.0.10", true),
                        pod("web-1", "10.1.0.11", true)), Instant.now())).update();
                await().atMost(Duration.ofSeconds(10)).untilAsserted(
                        () -> assertThat(count(dns.metrics(), "headless_with_selector")).isEqualTo(2));

                String m = dns.metrics();
                assertThat(count(m, "cluster_ip")).isEqualTo(1);
                // CoreDNS's buckets: 0.001 s doubling up to 0.001 * 2^19 = 524.288 s
                assertThat(m).contains("coredns_kubernetes_dns_programming_duration_seconds_bucket{service_kind=\"cluster_ip\",le=\"0.001\"}")
                        .contains("le=\"524.288\"");
                // the old service's 2020 trigger would have landed above the last bucket
                assertThat(sum(m, "headless_with_selector")).isLessThan(60.0);
            }
        }
    }

    private static long count(String metrics, String kind) {
        Matcher m = Pattern.compile("coredns_kubernetes_dns_programming_duration_seconds_count\\{service_kind=\""
                + kind + "\"} ([0-9.]+)").matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    private static double sum(String metrics, String kind) {
        Matcher m = Pattern.compile("coredns_kubernetes_dns_programming_duration_seconds_sum\\{service_kind=\""
                + kind + "\"} ([0-9.Ee+-]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
