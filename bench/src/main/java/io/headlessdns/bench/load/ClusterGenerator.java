package io.headlessdns.bench.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Writes one synthetic cluster three ways, for the side-by-side load harness ({@code bench/load.sh}):
 * Kubernetes manifests for headless-dns, the equivalent zone file for Knot DNS and NSD, and dnsperf
 * query files. The cluster: {@code services} headless services of 2 pods each (per-pod hostnames,
 * port {@code web}), two of 100 pods and one of 1000, and one ClusterIP service per ten headless ones.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar io.headlessdns.bench.load.ClusterGenerator OUT_DIR SERVICES QUERIES}
 */
public final class ClusterGenerator {
    static final String NS = "bench";
    static final String ZONE = "cluster.local";

    private ClusterGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ClusterGenerator OUT_DIR SERVICES QUERIES");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        int services = Integer.parseInt(args[1]);
        int queries = Integer.parseInt(args[2]);
        Files.createDirectories(out.resolve("manifests"));
        List<Svc> cluster = cluster(services);
        writeManifests(cluster, out.resolve("manifests/cluster.yaml"));
        writeZone(cluster, out.resolve("cluster.local.zone"));
        writeQueries(cluster, services, queries, out);
        System.out.println("wrote " + cluster.size() + " services to " + out);
    }

    /** A service: headless with pod IPs, or ClusterIP with one IP. */
    record Svc(String name, boolean headless, List<String> ips) {
    }

    static List<Svc> cluster(int services) {
        List<Svc> out = new ArrayList<>();
        int ip = 0;
        for (int i = 0; i < services; i++) {
            out.add(new Svc("svc-" + i, true, List.of(pod(ip++), pod(ip++))));
        }
        for (int big : new int[] {100, 100, 1000}) {
            List<String> ips = new ArrayList<>();
            for (int e = 0; e < big; e++) {
                ips.add(pod(ip++));
            }
            out.add(new Svc("big-" + out.size(), true, ips));
        }
        for (int i = 0; i < Math.max(1, services / 10); i++) {
            out.add(new Svc("api-" + i, false, List.of("10.96." + (i / 250) + "." + (i % 250 + 1))));
        }
        return out;
    }

    private static String pod(int n) {
        return "10." + (100 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    private static String podName(Svc s, int i) {
        return s.name + "-" + i;
    }

    static void writeManifests(List<Svc> cluster, Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("apiVersion: v1\nkind: Namespace\nmetadata: {name: " + NS + "}");
            for (Svc s : cluster) {
                w.println("---\napiVersion: v1\nkind: Service\nmetadata: {name: " + s.name + ", namespace: " + NS + "}");
                if (s.headless) {
                    w.println("spec: {clusterIP: None, ports: [{name: web, port: 80, protocol: TCP}]}");
                    w.println("---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice");
                    w.println("metadata: {name: " + s.name + "-1, namespace: " + NS + ", labels: {kubernetes.io/service-name: " + s.name + "}}");
                    w.println("addressType: IPv4\nports: [{name: web, port: 80, protocol: TCP}]\nendpoints:");
                    for (int i = 0; i < s.ips.size(); i++) {
                        w.println("  - {addresses: [\"" + s.ips.get(i) + "\"], hostname: " + podName(s, i) + ", conditions: {ready: true}}");
                    }
                } else {
                    w.println("spec: {clusterIP: \"" + s.ips.get(0) + "\", ports: [{name: http, port: 80, protocol: TCP}]}");
                }
            }
        }
    }

    /** The same answers as a zone file (RFC 1035 master format), for Knot DNS and NSD. */
    static void writeZone(List<Svc> cluster, Path file) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
            w.println("$ORIGIN " + ZONE + ".\n$TTL 5");
            w.println("@ SOA ns.dns hostmaster 1 7200 1800 86400 5\n@ NS ns.dns\nns.dns A 10.96.0.10");
            w.println("dns-version TXT \"1.1.0\"");
            for (Svc s : cluster) {
                String base = s.name + "." + NS + ".svc";
                for (int i = 0; i < s.ips.size(); i++) {
                    w.println(base + " A " + s.ips.get(i));
                }
                if (s.headless) {
                    int weight = Math.max(1, 100 / s.ips.size());
                    for (int i = 0; i < s.ips.size(); i++) {
                        String member = podName(s, i) + "." + base;
                        w.println(member + " A " + s.ips.get(i));
                        w.println("_web._tcp." + base + " SRV 0 " + weight + " 80 " + member);
                    }
                } else {
                    w.println("_http._tcp." + base + " SRV 0 100 80 " + base);
                }
            }
        }
    }

    static void writeQueries(List<Svc> cluster, int services, int count, Path out) throws IOException {
        Random r = new Random(42);
        List<String> service = new ArrayList<>();
        List<String> pod = new ArrayList<>();
        List<String> nx = new ArrayList<>();
        List<String> mixed = new ArrayList<>();
        for (int q = 0; q < count; q++) {
            Svc s = cluster.get(r.nextInt(services));
            String base = s.name + "." + NS + ".svc." + ZONE;
            service.add(base + " A");
            pod.add(podName(s, r.nextInt(2)) + "." + base + " A");
            nx.add("nope-" + r.nextInt(1_000_000) + "." + NS + ".svc." + ZONE + " A");
            switch (q % 10) {
                case 0, 1, 2, 3: mixed.add(base + " A"); break;
                case 4, 5, 6: mixed.add(podName(s, q % 2) + "." + base + " A"); break;
                case 7: mixed.add("_web._tcp." + base + " SRV"); break;
                case 8: mixed.add(base + " AAAA"); break;
                default: mixed.add("nope-" + q + "." + NS + ".svc." + ZONE + " A"); break;
            }
        }
        Collections.shuffle(mixed, r);
        Files.write(out.resolve("queries-service.txt"), service);
        Files.write(out.resolve("queries-pod.txt"), pod);
        Files.write(out.resolve("queries-nxdomain.txt"), nx);
        Files.write(out.resolve("queries-mixed.txt"), mixed);
    }
}
