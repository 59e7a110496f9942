package io.headlessdns.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.headlessdns.server.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every overlay of deploy/ renders (kustomize) into a cluster DNS that can run: the ClusterRole is
 * deploy/base/rbac's (which RbacMatchesInformersTest holds to what the informers request), the container
 * ports and probes are the ports the server's own command line ({@link Main}) opens, and the pod meets
 * the restricted Pod Security Standard with a read-only root file system.
 */
class DeployManifestsTest {
    static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final int UID = 65532;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"beside-coredns", "replace-coredns", "node-local", "servicemonitor"})
    void kubectlKustomize_rendersWhatTheTestsCheck(String overlay) throws Exception {
        Path root = overlayRoot(overlay);
        List<ObjectNode> kubectl = Kustomize.renderWithKubectl(root);
        org.junit.jupiter.api.Assumptions.assumeTrue(kubectl != null, "no kubectl: the subset renderer alone is used");
        assertThat(Kustomize.byId(Kustomize.render(root))).isEqualTo(Kustomize.byId(kubectl));
    }

    @ParameterizedTest
    @ValueSource(strings = {"beside-coredns", "replace-coredns", "node-local"})
    void overlay_grantsTheBaseRole_andRunsTheServerAsItsFlagsSay(String overlay) throws Exception {
        List<HasMetadata> objects = Kustomize.objects(Kustomize.render(overlayRoot(overlay)));
        assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isIn("kube-system", null));

        ClusterRole role = only(objects, ClusterRole.class);
        ClusterRole base = only(Kustomize.objects(Kustomize.render(DEPLOY.resolve("base/rbac"))), ClusterRole.class);
        assertThat(role.getRules()).isEqualTo(base.getRules());
        assertThat(role.getRules()).allSatisfy(r -> assertThat(r.getVerbs()).containsExactlyInAnyOrder("list", "watch"));
        ServiceAccount sa = only(objects, ServiceAccount.class);
        ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(sa.getMetadata().getNamespace());
        });

        PodTemplateSpec template = workload(objects);
        PodSpec pod = template.getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
        Container c = pod.getContainers().get(0);
        assertThat(pod.getContainers()).hasSize(1);
        CommandLine flags = parse(c.getArgs());
        int dnsPort = flags.getCommandSpec().findOption("--port").getValue();
        int httpPort = flags.getCommandSpec().findOption("--http-port").getValue();
        int lameduck = flags.getCommandSpec().findOption("--lameduck").getValue();
        assertThat(dnsPort).as("a non-root JVM cannot bind 53").isGreaterThan(1023);

        assertThat(port(c, "dns")).satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(dnsPort))
                .satisfies(p -> assertThat(p.getProtocol()).isEqualTo("UDP"));
        assertThat(port(c, "dns-tcp")).satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(dnsPort))
                .satisfies(p -> assertThat(p.getProtocol()).isEqualTo("TCP"));
        assertThat(port(c, "metrics").getContainerPort()).isEqualTo(httpPort);
        assertProbe(c, c.getLivenessProbe(), "/health", httpPort);
        assertProbe(c, c.getReadinessProbe(), "/ready", httpPort);
        assertThat(pod.getTerminationGracePeriodSeconds()).as("lame duck plus a margin for the JVM's exit")
                .isGreaterThanOrEqualTo(lameduck + 10L);

        assertThat(pod.getDnsPolicy()).as("forwards to the node's resolvers, never to itself").isEqualTo("Default");
        assertThat(flags.getCommandSpec().findOption("--upstream").<List<String>>getValue()).containsExactly("resolv.conf");
        assertThat(pod.getPriorityClassName()).isIn("system-cluster-critical", "system-node-critical");
        assertRestrictedAndReadOnly(pod, c);
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKey("memory");

        Service svc = objects.stream().filter(Service.class::isInstance).map(Service.class::cast).findFirst().orElseThrow();
        assertThat(template.getMetadata().getLabels()).containsAllEntriesOf(svc.getSpec().getSelector());
        assertServicePort(svc, c, "dns", "UDP", 53);
        assertServicePort(svc, c, "dns-tcp", "TCP", 53);
        assertServicePort(svc, c, "metrics", "TCP", 9153);
    }

    @Test
    void besideCoreDns_ownService_neverJoinsKubeDns() throws Exception {
        List<HasMetadata> objects = Kustomize.objects(Kustomize.render(overlayRoot("beside-coredns")));
        assertThat(only(objects, Service.class).getMetadata().getName()).isEqualTo("headless-dns");
        Deployment d = only(objects, Deployment.class);
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("k8s-app");
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        var anti = d.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity();
        assertThat(anti.getRequiredDuringSchedulingIgnoredDuringExecution()).as("soft: a 1-node cluster still runs 2").isNullOrEmpty();
        assertThat(anti.getPreferredDuringSchedulingIgnoredDuringExecution()).singleElement().satisfies(t -> {
            assertThat(t.getPodAffinityTerm().getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                    .containsAllEntriesOf(t.getPodAffinityTerm().getLabelSelector().getMatchLabels());
        });
        PodDisruptionBudget pdb = only(objects, PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    }

    /** kubeadm's default Corefile: kubernetes { pods insecure; ttl 30 }, cache 30, forward . /etc/resolv.conf. */
    @Test
    void replaceCoreDns_takesOverKubeDnsSelector_withTheKubeadmCorefileFlags() throws Exception {
        List<HasMetadata> objects = Kustomize.objects(Kustomize.render(overlayRoot("replace-coredns")));
        Service kubeDns = only(objects, Service.class);
        assertThat(kubeDns.getMetadata().getName()).isEqualTo("kube-dns");
        assertThat(kubeDns.getSpec().getSelector()).isEqualTo(Map.of("k8s-app", "kube-dns"));
        assertThat(kubeDns.getSpec().getClusterIP()).as("the existing ClusterIP is kept").isNull();
        assertThat(kubeDns.getSpec().getPorts()).allSatisfy(p -> assertThat(p.getTargetPort().getStrVal())
                .as("named: CoreDNS's pods (53) and these (1053) both serve it during the switch").isNotNull());
        CommandLine flags = parse(workload(objects).getSpec().getContainers().get(0).getArgs());
        assertThat(flags.getCommandSpec().findOption("--pod-records").<String>getValue()).isEqualTo("insecure");
        for (String ttl : List.of("--ttl", "--negative-ttl", "--cache-max-ttl", "--cache-negative-max-ttl")) {
            assertThat(flags.getCommandSpec().findOption(ttl).<Integer>getValue()).as(ttl).isEqualTo(30);
        }
        assertThat(flags.getCommandSpec().findOption("--lameduck").<Integer>getValue()).isEqualTo(5);
    }

    @Test
    void nodeLocal_onePodPerNode_answersOnlyItsOwnNode() throws Exception {
        List<HasMetadata> objects = Kustomize.objects(Kustomize.render(overlayRoot("node-local")));
        assertThat(objects).noneMatch(Deployment.class::isInstance);
        DaemonSet ds = only(objects, DaemonSet.class);
        assertThat(ds.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo(new IntOrString(0));
        assertThat(only(objects, Service.class).getSpec().getInternalTrafficPolicy()).isEqualTo("Local");
    }

    @Test
    void serviceMonitorComponent_scrapesTheMetricsPortOfTheOverlaysService() throws Exception {
        List<HasMetadata> objects = Kustomize.objects(Kustomize.render(overlayRoot("servicemonitor")));
        GenericKubernetesResource monitor = only(objects, GenericKubernetesResource.class);
        assertThat(monitor.getKind()).isEqualTo("ServiceMonitor");
        Service svc = only(objects, Service.class);
        Map<String, Object> spec = monitor.get("spec");
        assertThat(svc.getMetadata().getLabels()).containsAllEntriesOf(monitor.get("spec", "selector", "matchLabels"));
        assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getName).contains((String) monitor.get("spec", "endpoints", 0, "port"));
        assertThat(spec).containsKey("endpoints");
    }

    private static void assertRestrictedAndReadOnly(PodSpec pod, Container c) {
        var podSc = pod.getSecurityContext();
        var sc = c.getSecurityContext();
        assertThat(podSc.getRunAsNonRoot()).isTrue();
        assertThat(sc.getRunAsUser() != null ? sc.getRunAsUser() : podSc.getRunAsUser()).isEqualTo(UID);
        assertThat(podSc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
        assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        // the one writable place: Netty's native transport and the JVM's temp files (java.io.tmpdir=/tmp)
        assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> {
            assertThat(m.getMountPath()).isEqualTo("/tmp");
            assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(m.getName()))
                    .singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
        });
    }

    private static void assertProbe(Container c, Probe probe, String path, int httpPort) {
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        IntOrString port = probe.getHttpGet().getPort();
        int resolved = port.getStrVal() != null ? port(c, port.getStrVal()).getContainerPort() : port.getIntVal();
        assertThat(resolved).as(path + " port").isEqualTo(httpPort);
    }

    private static void assertServicePort(Service svc, Container c, String name, String protocol, int port) {
        ServicePort p = svc.getSpec().getPorts().stream().filter(sp -> name.equals(sp.getName())).findFirst().orElseThrow();
        assertThat(p.getProtocol()).isEqualTo(protocol);
        assertThat(p.getPort()).isEqualTo(port);
        ContainerPort target = port(c, p.getTargetPort().getStrVal());
        assertThat(target.getProtocol()).isEqualTo(protocol);
    }

    private static ContainerPort port(Container c, String name) {
        return c.getPorts().stream().filter(p -> name.equals(p.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container port " + name));
    }

    /** The container's args as the server's own picocli command line reads them (an unknown flag fails here). */
    private static CommandLine parse(List<String> args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.parseArgs(args.toArray(String[]::new));
        return cmd;
    }

    private static PodTemplateSpec workload(List<HasMetadata> objects) {
        List<PodTemplateSpec> templates = objects.stream().map(o -> o instanceof Deployment d ? d.getSpec().getTemplate()
                : o instanceof DaemonSet ds ? ds.getSpec().getTemplate() : null).filter(t -> t != null).toList();
        assertThat(templates).hasSize(1);
        return templates.get(0);
    }

    /** An overlay's folder; "servicemonitor" is beside-coredns plus the optional component, as a user adds it. */
    private Path overlayRoot(String overlay) throws Exception {
        if (!overlay.equals("servicemonitor")) {
            return DEPLOY.resolve("overlays").resolve(overlay);
        }
        // kustomize takes only relative paths to other kustomizations
        Path root = dir.toAbsolutePath();
        Files.writeString(root.resolve("kustomization.yaml"), String.join("\n",
                "apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization",
                "resources: [" + root.relativize(DEPLOY.resolve("overlays/beside-coredns")) + "]",
                "components: [" + root.relativize(DEPLOY.resolve("components/servicemonitor")) + "]", ""));
        return dir;
    }

    private static <T> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> of = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(of).as(type.getSimpleName()).hasSize(1);
        return of.get(0);
    }
}
