package io.headlessdns.k8s.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the manifests source creates when the files describe intent rather than a running cluster. */
class SimulationTest {

    @TempDir
    Path dir;

    @Test
    void statefulSet_withoutSlices_synthesisesOrdinalPodsWithHostnames() throws Exception {
        ClusterSnapshot s = TestFiles.load(dir, "sts.yaml", TestFiles.statefulSet(2));

        ServiceView svc = s.service("default", "svc-sts-nginx");
        assertThat(svc.endpoints()).extracting(EndpointView::targetPod).containsExactly("sts-web-0", "sts-web-1");
        assertThat(svc.endpoints()).extracting(EndpointView::hostname).containsExactly("sts-web-0", "sts-web-1");
        assertThat(svc.endpoints()).allMatch(EndpointView::ready);
        assertThat(svc.endpoints().get(0).ports()).containsExactly(new PortView("web", 80, "TCP"));
        assertThat(s.pod("default", "sts-web-1").subdomain()).isEqualTo("svc-sts-nginx");
        assertThat(s.pod("default", "sts-web-0").ips().get(0)).startsWith("10.244.");
    }

    @Test
    void statefulSet_podIps_areTheSameOnEveryLoad_andDistinct() throws Exception {
        ClusterSnapshot first = TestFiles.load(dir, "a.yaml", TestFiles.statefulSet(5));
        ClusterSnapshot second = TestFiles.load(dir, "b.yaml", TestFiles.statefulSet(5));

        assertThat(second).isEqualTo(first);
        assertThat(first.pods().values()).extracting(p -> p.ips().get(0)).doesNotHaveDuplicates().hasSize(5);
    }

    @Test
    void statefulSet_withASlice_isNotSimulated() throws Exception {
        ClusterSnapshot s = TestFiles.load(dir, "sts.yaml", TestFiles.statefulSet(2) + """
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: svc-sts-nginx-abc
                  labels: {kubernetes.io/service-name: svc-sts-nginx}
                addressType: IPv4
                endpoints:
                - addresses: [10.1.1.1]
                  hostname: real-0
                """);

        assertThat(s.pods()).isEmpty();
        assertThat(s.service("default", "svc-sts-nginx").endpoints())
                .extracting(EndpointView::hostname).containsExactly("real-0");
    }

    @Test
    void statefulSet_withItsPodsGiven_isNotSimulated_andEndpointsComeFromThePods() throws Exception {
        ClusterSnapshot s = TestFiles.load(dir, "sts.yaml", TestFiles.statefulSet(2) + """
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: sts-web-0
                  labels: {app: nginx}
                spec: {hostname: sts-web-0, subdomain: svc-sts-nginx, containers: [{name: c, image: nginx}]}
                status: {podIP: 10.9.9.9}
                """);

        assertThat(s.pods()).containsOnlyKeys("default/sts-web-0");
        assertThat(s.service("default", "svc-sts-nginx").endpoints())
                .extracting(EndpointView::addresses).containsExactly(List.of("10.9.9.9"));
    }

    @Test
    void selectorService_getsEndpointsFromMatchingPods_hostnameOnlyWhenSubdomainMatches() throws Exception {
        ClusterSnapshot s = TestFiles.load(dir, "pods.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: api}
                spec:
                  clusterIP: None
                  selector: {app: api}
                  ports:
                  - {name: http, port: 80, targetPort: 8080}
                  - {name: admin, port: 9000, targetPort: admin}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: a, labels: {app: api}}
                spec: {hostname: a, subdomain: api, containers: [{name: c, image: x}]}
                status: {podIP: 10.244.7.1}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: b, labels: {app: api, extra: "1"}}
                spec: {hostname: b, subdomain: other, containers: [{name: c, image: x}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: c, labels: {app: web}}
                spec: {containers: [{name: c, image: x}]}
                status: {podIP: 10.244.7.3}
                """);

        List<EndpointView> endpoints = s.service("default", "api").endpoints();
        assertThat(endpoints).extracting(EndpointView::targetPod).containsExactly("a", "b");
        assertThat(endpoints).extracting(EndpointView::hostname).containsExactly("a", null);
        assertThat(endpoints.get(0).ports())
                .containsExactly(new PortView("http", 8080, "TCP"), new PortView("admin", 9000, "TCP"));
        assertThat(endpoints.get(1).addresses()).as("a pod without status gets an address")
                .singleElement().asString().startsWith("10.244.");
        assertThat(s.pods()).containsOnlyKeys("default/a", "default/b", "default/c");
    }

    @Test
    void shippedExample_loadsToHeadlessServiceWithTwoReadyStatefulSetEndpoints() throws Exception {
        Path example = Path.of("..", "deploy", "examples", "statefulset.yaml");
        Path copy = Files.copy(example, dir.resolve("statefulset.yaml"));

        ServiceView svc = ManifestSource.loadOnce(List.of(dir)).service("default", "svc-sts-nginx");

        assertThat(copy).exists();
        assertThat(svc.type()).isEqualTo(io.headlessdns.k8s.model.ServiceType.HEADLESS);
        assertThat(svc.endpoints()).extracting(EndpointView::targetPod).containsExactly("sts-web-0", "sts-web-1");
        assertThat(svc.endpoints()).allMatch(svc::publishes);
    }
}
