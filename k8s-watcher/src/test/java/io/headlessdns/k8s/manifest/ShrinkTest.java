package io.headlessdns.k8s.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shrinking Services, EndpointSlices and Pods to the model: Kubernetes DNS spec 1.1.0 sections 2.3
 * (ClusterIP), 2.4 (headless), 2.5 (ExternalName) and the EndpointSlice API's condition defaults.
 */
class ShrinkTest {

    @TempDir
    Path dir;

    private static final String HEADLESS = """
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: data}
            spec:
              clusterIP: None
              publishNotReadyAddresses: true
              ports:
              - {name: pg, port: 5432}
            """;

    private static String slice(String name, String trigger, String endpoints) {
        return """
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %s
                  namespace: data
                  labels: {kubernetes.io/service-name: db}
                  annotations: {endpoints.kubernetes.io/last-change-trigger-time: "%s"}
                addressType: IPv4
                ports:
                - {name: pg, port: 5432, protocol: TCP}
                - {name: all}
                endpoints:
                %s""".formatted(name, trigger, endpoints);
    }

    @Test
    void hasSelector_followsSpecSelector_forTheLatencyMetricsServiceKind() throws Exception {
        String withSelector = """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: data}
                spec:
                  clusterIP: None
                  selector: {app: web}
                """;
        assertThat(TestFiles.load(dir, "a.yaml", HEADLESS).service("data", "db").hasSelector()).isFalse();
        assertThat(TestFiles.load(dir, "b.yaml", withSelector).service("data", "web").hasSelector()).isTrue();
    }

    @Test
    void clusterIpNone_isHeadless_withPortsAndPublishNotReady() throws Exception {
        ServiceView db = TestFiles.load(dir, "a.yaml", HEADLESS).service("data", "db");

        assertThat(db.type()).isEqualTo(ServiceType.HEADLESS);
        assertThat(db.clusterIPs()).isEmpty();
        assertThat(db.publishNotReadyAddresses()).isTrue();
        assertThat(db.ports()).containsExactly(new PortView("pg", 5432, "TCP"));
    }

    @Test
    void clusterIPs_dualStack_areKeptInOrder() throws Exception {
        ServiceView s = TestFiles.load(dir, "a.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  clusterIP: 10.96.5.5
                  clusterIPs: [10.96.5.5, "fd00::5"]
                  type: LoadBalancer
                """).service("default", "web");

        assertThat(s.type()).isEqualTo(ServiceType.CLUSTER_IP);
        assertThat(s.clusterIPs()).containsExactly("10.96.5.5", "fd00::5");
    }

    @Test
    void externalName_becomesExternalNameWithTarget() throws Exception {
        ServiceView s = TestFiles.load(dir, "a.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: ext}
                spec: {type: ExternalName, externalName: db.example.com}
                """).service("default", "ext");

        assertThat(s.type()).isEqualTo(ServiceType.EXTERNAL_NAME);
        assertThat(s.externalName()).isEqualTo("db.example.com");
    }

    @Test
    void clusterIpService_withoutIp_getsDeterministicDistinctIpsFromServiceCidr() throws Exception {
        String text = """
                apiVersion: v1
                kind: Service
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: b}
                """;
        ClusterSnapshot first = TestFiles.load(dir, "a.yaml", text);
        ClusterSnapshot second = TestFiles.load(dir, "b.yaml", text);

        String a = first.service("default", "a").clusterIPs().get(0);
        String b = first.service("default", "b").clusterIPs().get(0);
        assertThat(a).startsWith("10.").isNotEqualTo(b).isNotIn("10.96.0.1", "10.96.0.10");
        assertThat(Integer.parseInt(a.split("\\.")[1])).isBetween(96, 111);
        assertThat(second.services()).isEqualTo(first.services());
    }

    @Test
    void twoSlices_mergeInSliceNameOrder_withNewestTriggerTime() throws Exception {
        ServiceView db = TestFiles.load(dir, "a.yaml", HEADLESS
                + slice("db-b", "2026-01-01T10:00:05Z", "- addresses: [10.244.0.2]\n  hostname: db-1\n")
                + slice("db-a", "2026-01-01T10:00:00+00:00", "- addresses: [10.244.0.1]\n  hostname: db-0\n"))
                .service("data", "db");

        assertThat(db.endpoints()).extracting(EndpointView::hostname).containsExactly("db-0", "db-1");
        assertThat(db.endpoints().get(0).ports()).containsExactly(new PortView("pg", 5432, "TCP"));
        assertThat(db.lastChangeTriggerTime()).isEqualTo(Instant.parse("2026-01-01T10:00:05Z"));
    }

    @Test
    void endpointConditions_defaultAsTheApiSays() throws Exception {
        ServiceView db = TestFiles.load(dir, "a.yaml", HEADLESS + slice("db-a", "x", """
                - addresses: [10.244.0.1]
                  targetRef: {kind: Pod, name: db-0, namespace: data}
                - addresses: [10.244.0.2]
                  conditions: {ready: false}
                - addresses: [10.244.0.3]
                  conditions: {ready: false, serving: true, terminating: true}
                """)).service("data", "db");

        assertThat(db.endpoints()).extracting(EndpointView::ready, EndpointView::serving, EndpointView::terminating)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(true, true, false),
                        org.assertj.core.groups.Tuple.tuple(false, false, false),
                        org.assertj.core.groups.Tuple.tuple(false, true, true));
        assertThat(db.endpoints().get(0).targetPod()).isEqualTo("db-0");
        assertThat(db.lastChangeTriggerTime()).as("unparseable trigger time").isNull();
    }

    @Test
    void fqdnSlice_isIgnored() throws Exception {
        ServiceView db = TestFiles.load(dir, "a.yaml", HEADLESS
                + slice("db-a", "2026-01-01T10:00:00Z", "- addresses: [10.244.0.1]\n")
                + slice("db-fqdn", "2026-01-01T10:00:00Z", "- addresses: [db.example.com]\n")
                        .replace("addressType: IPv4", "addressType: FQDN"))
                .service("data", "db");

        assertThat(db.endpoints()).extracting(EndpointView::addresses).containsExactly(List.of("10.244.0.1"));
    }

    @Test
    void pod_keepsIpsHostnameAndSubdomain() throws Exception {
        PodView pod = TestFiles.load(dir, "a.yaml", """
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: n}
                spec: {hostname: h, subdomain: s, containers: [{name: c, image: busybox}]}
                status:
                  podIP: 10.244.1.1
                  podIPs: [{ip: 10.244.1.1}, {ip: "fd00::1"}]
                """).pod("n", "p");

        assertThat(pod).isEqualTo(new PodView("n", "p", List.of("10.244.1.1", "fd00::1"), "h", "s"));
    }
}
