package io.headlessdns.k8s.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.headlessdns.k8s.model.ServiceKey;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading files as {@code kubectl get -o yaml} prints them, and naming file:line when they are wrong. */
class ManifestParserTest {

    @TempDir
    Path dir;

    private static String service(String name, String namespace) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  clusterIP: None
                """.formatted(name, namespace);
    }

    @Test
    void multiDocumentYaml_readsEveryDocument_andSkipsEmptyOnes() throws Exception {
        ClusterSnapshot s = TestFiles.load(dir, "a.yaml",
                "---\n" + service("a", "ns1") + "---\n# only a comment\n---\n" + service("b", "ns2") + "...\n");

        assertThat(s.services()).containsOnlyKeys(new ServiceKey("ns1", "a"), new ServiceKey("ns2", "b"));
        assertThat(s.namespaces()).containsExactly("ns1", "ns2");
    }

    @Test
    void kindList_readsItems() throws Exception {
        ClusterSnapshot s = TestFiles.load(dir, "list.yaml", """
                apiVersion: v1
                items:
                - apiVersion: v1
                  kind: Service
                  metadata: {name: a, namespace: x}
                  spec: {clusterIP: None}
                - apiVersion: v1
                  kind: Namespace
                  metadata: {name: empty}
                kind: List
                metadata: {resourceVersion: ""}
                """);

        assertThat(s.services()).containsOnlyKeys(new ServiceKey("x", "a"));
        assertThat(s.namespaces()).containsExactly("empty", "x");
    }

    @Test
    void json_isRead() throws Exception {
        ClusterSnapshot s = TestFiles.load(dir, "svc.json", """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "j", "namespace": "n"},
                   "spec": {"clusterIP": "10.0.0.5", "ports": [{"name": "dns", "port": 53, "protocol": "UDP"}]}}
                ]}
                """);

        assertThat(s.service("n", "j").clusterIPs()).containsExactly("10.0.0.5");
        assertThat(s.service("n", "j").ports().get(0).protocol()).isEqualTo("UDP");
    }

    @Test
    void objectWithoutNamespace_goesToDefault() throws Exception {
        ClusterSnapshot s = TestFiles.load(dir, "a.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n");

        assertThat(s.service("default", "a")).isNotNull();
        assertThat(s.namespaces()).containsExactly("default");
    }

    @Test
    void unknownKind_isIgnoredWithOneLogLineNamingFileLineKindAndName() throws Exception {
        ListAppender<ILoggingEvent> log = TestFiles.capture(ManifestParser.class);
        try {
            ClusterSnapshot s = TestFiles.load(dir, "mixed.yaml", service("a", "default") + """
                    ---
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: settings
                    data: {a: b}
                    """);

            assertThat(s.services()).hasSize(1);
            assertThat(log.list).hasSize(1);
            assertThat(log.list.get(0).getFormattedMessage())
                    .contains("mixed.yaml:9:").contains("ConfigMap").contains("settings");
        } finally {
            TestFiles.detach(ManifestParser.class, log);
        }
    }

    @Test
    void brokenYaml_errorNamesFileAndLine() {
        String text = service("a", "default") + """
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: b
                  labels: app: nginx
                spec: {}
                """;

        assertThatThrownBy(() -> TestFiles.load(dir, "broken.yaml", text))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.file().getFileName()).hasToString("broken.yaml");
                    // "mapping values are not allowed here": the second colon on line 13
                    assertThat(e.line()).isEqualTo(13);
                    assertThat(e.getMessage()).startsWith(e.file() + ":" + e.line() + ": not valid YAML");
                });
    }

    @Test
    void schemaError_errorNamesTheLineOfTheBadValue() {
        String text = service("a", "default") + """
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: web
                spec:
                  serviceName: a
                  replicas: three
                """;

        assertThatThrownBy(() -> TestFiles.load(dir, "bad.yaml", text))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.line()).isEqualTo(15);
                    assertThat(e.getMessage()).contains("bad.yaml:15: StatefulSet spec.replicas");
                });
    }

    @Test
    void schemaErrorInsideList_namesTheLineInsideTheItem() {
        String text = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Service
                  metadata: {name: ok}
                - apiVersion: v1
                  kind: Service
                  metadata: {name: bad}
                  spec:
                    ports:
                    - port: eighty
                """;

        assertThatThrownBy(() -> TestFiles.load(dir, "list.yaml", text))
                .isInstanceOfSatisfying(ManifestException.class, e -> assertThat(e.line()).isEqualTo(12));
    }

    @Test
    void jsonSyntaxError_namesTheLine() {
        assertThatThrownBy(() -> TestFiles.load(dir, "x.json", "{\n  \"kind\": \"Service\",\n  \"apiVersion\" \"v1\"\n}"))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("x.json:3: not valid JSON");
                });
    }

    @Test
    void missingPath_isAClearError() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> ManifestSource.loadOnce(java.util.List.of(missing)))
                .isInstanceOf(ManifestException.class)
                .hasMessage(missing + ": no such file or directory");
    }

    /** Found by ManifestFuzzTest: an empty list item under ports threw a NullPointerException without file:line. */
    @Test
    void emptyServicePortItem_isAManifestErrorWithFileAndLine() {
        String text = """
                apiVersion: v1
                kind: Service
                metadata: {name: a, namespace: default}
                spec:
                  clusterIP: None
                  ports:
                    -
                """;
        assertThatThrownBy(() -> TestFiles.load(dir, "ports.yaml", text))
                .isInstanceOfSatisfying(ManifestException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("spec.ports[0] is empty");
                });
    }

    @Test
    void emptyItemsInIpsSlicesAndPodIps_areSkipped() throws Exception {
        ClusterSnapshot s = TestFiles.load(dir, "nulls.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: s, namespace: default}
                spec:
                  clusterIPs: [null, 10.96.0.9]
                  ports: [{name: web, port: 80}]
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: s-1, namespace: default, labels: {kubernetes.io/service-name: s}}
                addressType: IPv4
                ports: [null, {name: web, port: 80}]
                endpoints:
                  -
                  - addresses: [null, "10.1.0.1"]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: p, namespace: default}
                status: {podIPs: [null, {ip: 10.1.0.2}]}
                """);
        assertThat(s.service("default", "s").clusterIPs()).containsExactly("10.96.0.9");
        assertThat(s.service("default", "s").endpoints()).singleElement()
                .satisfies(e -> assertThat(e.addresses()).containsExactly("10.1.0.1"));
        assertThat(s.pod("default", "p").ips()).containsExactly("10.1.0.2");
    }
}
