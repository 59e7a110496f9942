package io.headlessdns.k8s.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The informer source against fabric8's CRUD mock API: what reaches the listener, from which thread, and
 * how much of it per change (a service's change rebuilds that service only).
 */
class InformerSourceTest {
    private KubernetesMockServer server;
    private KubernetesClient kube;
    private final Recorder events = new Recorder();
    private InformerSource source;

    @BeforeEach
    void startApi() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(),
                false);
        server.init();
        kube = server.createClient();
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        kube.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowClose) {
            // the mock server waits a bounded time for its connections to close; on a loaded machine that
            // wait can run out after the test itself passed. Nothing of this test depends on it.
        }
    }

    private void start(InformerScope scope, boolean pods) {
        source = new InformerSource(server.createClient(), scope, pods, Duration.ofMinutes(5));
        source.start(events);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.synced);
    }

    @Test
    void slicesOfAService_mergeIntoOneView_andEveryCallComesFromTheListenerThread() {
        kube.resource(service("ns1", "web", "None", Map.of("app", "web"))).create();
        kube.resource(slice("ns1", "web-a", "web", "10.0.0.1", "web-0", Instant.parse("2026-01-01T00:00:01Z"))).create();
        kube.resource(slice("ns1", "web-b", "web", "10.0.0.2", "web-1", Instant.parse("2026-01-01T00:00:02Z"))).create();
        start(InformerScope.everything(), false);

        ServiceView web = events.services.get(new ServiceKey("ns1", "web"));
        assertThat(web.type()).isEqualTo(ServiceType.HEADLESS);
        assertThat(web.hasSelector()).isTrue();
        assertThat(web.endpoints()).extracting(e -> e.addresses().get(0)).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(web.lastChangeTriggerTime()).isEqualTo(Instant.parse("2026-01-01T00:00:02Z"));
        assertThat(events.namespaces).containsExactly("ns1");
        assertThat(events.threads).containsExactly("k8s-listener");
    }

    @Test
    void aSliceChange_rebuildsItsOwnServiceOnly() {
        kube.resource(service("ns1", "web", "None", Map.of("app", "web"))).create();
        kube.resource(service("ns1", "db", "None", Map.of("app", "db"))).create();
        kube.resource(slice("ns1", "web-a", "web", "10.0.0.1", "web-0", null)).create();
        kube.resource(slice("ns1", "db-a", "db", "10.0.1.1", "db-0", null)).create();
        start(InformerScope.everything(), false);
        int dbBefore = events.changes(new ServiceKey("ns1", "db"));
        int webBefore = events.changes(new ServiceKey("ns1", "web"));

        kube.resource(slice("ns1", "web-a", "web", "10.0.0.9", "web-0", null)).update();
        await().atMost(Duration.ofSeconds(10)).until(() -> events.services.get(new ServiceKey("ns1", "web"))
                .endpoints().get(0).addresses().equals(List.of("10.0.0.9")));
        assertThat(events.changes(new ServiceKey("ns1", "web"))).isEqualTo(webBefore + 1);
        assertThat(events.changes(new ServiceKey("ns1", "db"))).isEqualTo(dbBefore);

        kube.services().inNamespace("ns1").withName("web").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> !events.services.containsKey(new ServiceKey("ns1", "web")));
        assertThat(events.changes(new ServiceKey("ns1", "db"))).isEqualTo(dbBefore);
        assertThat(events.threads).containsExactly("k8s-listener");
    }

    @Test
    void namespaceAndLabelSelector_scopeWhatIsServed_andPodsOnlyWhenAskedFor() {
        kube.resource(service("ns1", "web", "10.96.0.5", Map.of())).create();
        kube.resource(labelled(service("ns1", "shown", "None", Map.of()), "dns", "yes")).create();
        kube.resource(service("ns2", "other", "None", Map.of())).create();
        kube.resource(new PodBuilder().withNewMetadata().withNamespace("ns1").withName("p").endMetadata()
                .withNewStatus().withPodIP("10.0.0.7").endStatus().build()).create();
        start(new InformerScope(List.of("ns1"), "dns=yes"), true);

        assertThat(events.services).containsOnlyKeys(new ServiceKey("ns1", "shown"));
        assertThat(events.services.get(new ServiceKey("ns1", "shown")).hasSelector()).isFalse();
        assertThat(events.pods).containsOnlyKeys("ns1/p");
        assertThat(events.pods.get("ns1/p").ips()).containsExactly("10.0.0.7");
        source.close();

        events.reset();
        start(InformerScope.everything(), false);
        assertThat(events.services).containsOnlyKeys(new ServiceKey("ns1", "web"), new ServiceKey("ns1", "shown"),
                new ServiceKey("ns2", "other"));
        assertThat(events.services.get(new ServiceKey("ns1", "web")).clusterIPs()).containsExactly("10.96.0.5");
        assertThat(events.pods).isEmpty();
    }

    @Test
    void scope_rejectsWhatTheApiWouldRejectWithTheFlagName() {
        assertThat(new InformerScope(List.of(), "app=web,tier!=cache,env in (a, b),!legacy,team").labelSelector())
                .isNotNull();
        assertThatThrownBy(() -> new InformerScope(List.of(), "=web")).hasMessageContaining("--label-selector");
        assertThatThrownBy(() -> new InformerScope(List.of(), "env in (a")).hasMessageContaining("--label-selector");
        assertThatThrownBy(() -> new InformerScope(List.of("Bad_NS"), null)).hasMessageContaining("--namespace");
    }

    static Service service(String ns, String name, String clusterIp, Map<String, String> selector) {
        return new ServiceBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withSelector(selector)
                .addNewPort().withName("http").withPort(80).endPort().endSpec().build();
    }

    static Service labelled(Service s, String key, String value) {
        s.getMetadata().setLabels(Map.of(key, value));
        return s;
    }

    static EndpointSlice slice(String ns, String name, String service, String ip, String pod, Instant trigger) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(ns).withName(name)
                .withLabels(Map.of("kubernetes.io/service-name", service, "dns", "yes"))
                .withAnnotations(trigger == null ? Map.of()
                        : Map.of("endpoints.kubernetes.io/last-change-trigger-time", trigger.toString()))
                .endMetadata().withAddressType("IPv4")
                .withEndpoints(new EndpointBuilder().withAddresses(ip).withHostname(pod)
                        .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withName(pod).build()).build())
                .build();
    }

    /** Records listener calls and the threads they came from. */
    static final class Recorder implements ClusterListener {
        final Map<ServiceKey, ServiceView> services = new ConcurrentHashMap<>();
        final Map<String, PodView> pods = new ConcurrentHashMap<>();
        final Set<String> namespaces = ConcurrentHashMap.newKeySet();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final List<ServiceKey> changed = new CopyOnWriteArrayList<>();
        volatile boolean synced;

        void reset() {
            services.clear();
            pods.clear();
            namespaces.clear();
            changed.clear();
            synced = false;
        }

        int changes(ServiceKey key) {
            return (int) changed.stream().filter(key::equals).count();
        }

        private void on() {
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void serviceChanged(ServiceView service) {
            on();
            changed.add(service.key());
            services.put(service.key(), service);
        }

        @Override
        public void serviceRemoved(ServiceKey key) {
            on();
            changed.add(key);
            services.remove(key);
        }

        @Override
        public void podChanged(PodView pod) {
            on();
            pods.put(pod.namespace() + "/" + pod.name(), pod);
        }

        @Override
        public void podRemoved(String namespace, String name) {
            on();
            pods.remove(namespace + "/" + name);
        }

        @Override
        public void namespaceChanged(String namespace, boolean exists) {
            on();
            if (exists) {
                namespaces.add(namespace);
            } else {
                namespaces.remove(namespace);
            }
        }

        @Override
        public void synced() {
            on();
            synced = true;
        }
    }
}
