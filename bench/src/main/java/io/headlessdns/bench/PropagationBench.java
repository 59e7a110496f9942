package io.headlessdns.bench;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.headlessdns.k8s.informer.InformerScope;
import io.headlessdns.server.HeadlessDns;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.config.KubeOptions;
import io.headlessdns.server.config.ServerConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Propagation latency: from the API write of an EndpointSlice change (a StatefulSet pod getting a new IP)
 * to the new answer being visible over UDP, end to end through fabric8's CRUD mock API server, the
 * informers, the listener thread, the record compiler and the table. The clock starts before the PUT is
 * sent and stops when a UDP answer carries the new address; the querier polls without pause.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.headlessdns.bench.PropagationBench [changes]}
 * (default 300, at most 10 000; 20 more warm-up changes are not counted; each change times out after 10 s).
 */
public final class PropagationBench {
    private static final String NAME = "web-0.web.default.svc.cluster.local.";

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        if (changes < 1 || changes > 10_000) {
            throw new IllegalArgumentException("changes must be 1..10000");
        }
        java.util.logging.Logger.getLogger("").setLevel(Level.WARNING); // the mock server logs every request
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init(InetAddress.getLoopbackAddress(), 0);
        Path kubeconfig = Files.createTempFile("propagation-bench", ".kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "http://127.0.0.1:%d"}}]
                contexts: [{name: mock, context: {cluster: mock, user: bench}}]
                current-context: mock
                users: [{name: bench, user: {token: not-checked}}]
                """.formatted(api.getPort()));
        try (KubernetesClient kube = api.createClient()) {
            kube.resource(new ServiceBuilder().withNewMetadata().withNamespace("default").withName("web").endMetadata()
                    .withNewSpec().withClusterIP("None").withSelector(Map.of("app", "web"))
                    .addNewPort().withName("http").withPort(80).endPort().endSpec().build()).create();
            kube.resource(slice("10.2.255.1")).create();
            HeadlessDns dns = new HeadlessDns(new ServerConfig(List.of(), InetAddress.getLoopbackAddress(), 0, -1, 2,
                    new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE),
                    new KubeOptions(kubeconfig, null, InformerScope.everything(), Duration.ofMinutes(1))));
            try (dns; DatagramSocket udp = new DatagramSocket()) {
                dns.start();
                udp.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), dns.dnsPort()));
                udp.setSoTimeout(1000);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!dns.ready() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                for (int i = 0; i < 20; i++) {
                    change(kube, udp, 60_000 + i);
                }
                long[] nanos = new long[changes];
                long[] acked = new long[changes];
                for (int i = 0; i < changes; i++) {
                    long[] t = change(kube, udp, i);
                    nanos[i] = t[0];
                    acked[i] = t[1];
                }
                report("propagation API write -> UDP answer", nanos);
                report("  of which the PUT until the API acknowledged it", acked);
            }
        } finally {
            api.destroy();
            Files.deleteIfExists(kubeconfig);
        }
    }

    private static void report(String what, long[] nanos) {
        Arrays.sort(nanos);
        System.out.printf("%s, %d changes: median %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms%n", what,
                nanos.length, ms(pct(nanos, 50)), ms(pct(nanos, 90)), ms(pct(nanos, 99)), ms(nanos[nanos.length - 1]));
    }

    /**
     * Moves web-0 to a new IP through the API and waits for the UDP answer to carry it; returns the
     * nanoseconds until the answer and until the API acknowledged the write.
     */
    private static long[] change(KubernetesClient kube, DatagramSocket udp, int i) throws Exception {
        String ip = "10.3." + (i / 250 % 250) + "." + (i % 250 + 1);
        EndpointSlice s = slice(ip);
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.A, DClass.IN)).toWire();
        byte[] buf = new byte[1232];
        InetAddress want = InetAddress.getByName(ip);
        long t0 = System.nanoTime();
        kube.resource(s).update();
        long acked = System.nanoTime() - t0;
        long deadline = t0 + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            udp.send(new DatagramPacket(query, query.length));
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            for (Record r : new Message(Arrays.copyOf(p.getData(), p.getLength())).getSection(Section.ANSWER)) {
                if (r instanceof ARecord a && a.getAddress().equals(want)) {
                    return new long[] {System.nanoTime() - t0, acked};
                }
            }
        }
        throw new IllegalStateException("change " + i + " (" + ip + ") not visible over UDP within 10 s");
    }

    private static EndpointSlice slice(String web0) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName("web-abc")
                .withLabels(Map.of("kubernetes.io/service-name", "web")).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withPort(80).endPort()
                .withEndpoints(endpoint("web-0", web0), endpoint("web-1", "10.2.255.2")).build();
    }

    private static Endpoint endpoint(String pod, String ip) {
        return new EndpointBuilder().withAddresses(ip).withHostname(pod).withNewConditions().withReady(true).endConditions()
                .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withName(pod).build()).build();
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
