package io.headlessdns.server.k8s;

import static io.headlessdns.server.k8s.ApiObjects.headless;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.e2e.FreePort;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/rbac.yaml grants list and watch on exactly what the informers list and watch (Kubernetes RBAC:
 * least privilege), read from the requests the API received in the widest mode (verified pod records).
 */
class RbacMatchesInformersTest {
    private static final Path RBAC = Path.of("..", "deploy", "rbac.yaml");
    private static final Pattern COLLECTION = Pattern.compile(
            "GET /(?:api/v1|apis/([a-z0-9.-]+)/v[0-9a-z]+)(?:/namespaces/[^/]+)?/([a-z]+)\\?(.*)");

    @TempDir
    Path dir;

    @Test
    void clusterRole_grantsListAndWatchOnExactlyWhatTheInformersRequest() throws Exception {
        Set<String> requested = requestedBy(PodRecordMode.VERIFIED);
        assertThat(requested).contains("list /services", "watch /services", "list discovery.k8s.io/endpointslices",
                "watch discovery.k8s.io/endpointslices", "list /pods", "watch /pods");
        assertThat(granted()).isEqualTo(requested);
        // without verified pod records, pods are not read at all
        assertThat(requestedBy(PodRecordMode.INSECURE)).noneMatch(r -> r.endsWith("/pods"));
    }

    @Test
    void rbacYaml_holdsOnlyTheServiceAccountItsClusterRoleAndTheBinding() throws Exception {
        List<HasMetadata> objects = load();
        assertThat(objects).extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding");
        ServiceAccount sa = only(objects, ServiceAccount.class);
        ClusterRole role = only(objects, ClusterRole.class);
        ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(sa.getMetadata().getNamespace());
        });
    }

    private Set<String> requestedBy(PodRecordMode mode) throws Exception {
        try (MockApi api = new MockApi(FreePort.udpAndTcp()).start(); KubernetesClient kube = api.client()) {
            kube.resource(headless("default", "web", false)).create();
            Path d = Files.createTempDirectory(dir, mode.toString());
            try (ApiBackedServer dns = new ApiBackedServer(api.kubeconfig(d), mode, Duration.ofMinutes(1))) {
                await().atMost(Duration.ofSeconds(10)).until(dns.server::ready);
                int expected = mode == PodRecordMode.VERIFIED ? 3 : 2;
                await().atMost(Duration.ofSeconds(10)).until(() -> api.openWatches() >= expected);
            }
            Set<String> seen = new TreeSet<>();
            for (String r : api.requests()) {
                if (r.contains("/namespaces/default/services") && !r.contains("?")) {
                    continue; // the test's own create of the fixture, not the server's
                }
                Matcher m = COLLECTION.matcher(r);
                if (m.matches()) {
                    String group = m.group(1) == null ? "" : m.group(1);
                    String verb = m.group(3).contains("watch=true") ? "watch" : "list";
                    seen.add(verb + " " + group + "/" + m.group(2));
                } else if (!r.startsWith("POST ")) {
                    seen.add("unexpected " + r);
                }
            }
            return seen;
        }
    }

    private Set<String> granted() throws Exception {
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : only(load(), ClusterRole.class).getRules()) {
            assertThat(rule.getResourceNames()).as("no per-name rules").isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        granted.add(verb + " " + group + "/" + resource);
                    }
                }
            }
        }
        return granted;
    }

    private static List<HasMetadata> load() throws Exception {
        try (MockApi api = new MockApi(FreePort.udpAndTcp()).start(); KubernetesClient kube = api.client();
                InputStream in = Files.newInputStream(RBAC)) {
            return kube.load(in).items();
        }
    }

    private static <T> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> of = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(of).hasSize(1);
        return of.get(0);
    }
}
