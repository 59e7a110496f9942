package io.headlessdns.bench;

import io.headlessdns.server.HeadlessDns;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.config.ServerConfig;
import io.headlessdns.server.forward.ForwardOptions;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Cache-hit forwarding QPS against cluster-answer QPS, same server, same run: starts headless-dns on a
 * free port of 127.0.0.1 (the StatefulSet example, forwarding to a tiny in-process upstream that answers
 * every A query with TTL 3600), warms the cache with one query, then alternates {@link UdpLoad} runs for
 * a cluster name and for the cached outside name. Proves with the upstream's count that the outside runs
 * never left the cache.
 *
 * <p>Run from the repository root:
 * <pre>
 * mvn -B -q -DskipTests package
 * java -cp bench/target/benchmarks.jar io.headlessdns.bench.ForwardCacheLoad [seconds=4] [rounds=3] [threads=2] [window=32]
 * </pre>
 */
public final class ForwardCacheLoad {
    static final String CLUSTER_NAME = "sts-web-0.svc-sts-nginx.default.svc.cluster.local";
    static final String OUTSIDE_NAME = "www.example.org";

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        try (Upstream upstream = new Upstream()) {
            int port = freePort();
            ServerConfig config = new ServerConfig(List.of(Path.of("deploy", "examples", "statefulset.yaml")),
                    InetAddress.getLoopbackAddress(), port, -1, Runtime.getRuntime().availableProcessors(),
                    new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE),
                    ForwardOptions.NONE.withUpstreams(List.of(upstream.address())));
            try (HeadlessDns server = new HeadlessDns(config)) {
                server.start();
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.dnsPort());
                UdpLoad.run(to, OUTSIDE_NAME, 1, 1, 1, 0.2, 10); // fills the cache
                UdpLoad.run(to, CLUSTER_NAME, 1, threads, window, 1, Long.MAX_VALUE); // JIT warm-up
                UdpLoad.run(to, OUTSIDE_NAME, 1, threads, window, 1, Long.MAX_VALUE);
                int asked = upstream.queries.get();
                double cluster = 0;
                double cached = 0;
                for (int r = 1; r <= rounds; r++) {
                    UdpLoad.Result c = UdpLoad.run(to, CLUSTER_NAME, 1, threads, window, seconds, Long.MAX_VALUE);
                    UdpLoad.Result f = UdpLoad.run(to, OUTSIDE_NAME, 1, threads, window, seconds, Long.MAX_VALUE);
                    System.out.printf("round %d: cluster %.0f qps (%d lost/errors), cached outside %.0f qps (%d lost/errors)%n",
                            r, c.qps(), c.errors(), f.qps(), f.errors());
                    cluster += c.qps();
                    cached += f.qps();
                }
                System.out.printf("mean: cluster %.0f qps, cached outside %.0f qps, ratio %.2f; upstream asked %d times during the runs%n",
                        cluster / rounds, cached / rounds, cached / cluster, upstream.queries.get() - asked);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Answers every query with one A record 192.0.2.1, TTL 3600, echoing ID and question. */
    static final class Upstream implements AutoCloseable {
        final AtomicInteger queries = new AtomicInteger();
        private final DatagramSocket socket;

        Upstream() throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(this::serve, "upstream");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }

        private void serve() {
            byte[] buf = new byte[4096];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    queries.incrementAndGet();
                    int qEnd = 12;
                    while (buf[qEnd] != 0) {
                        qEnd += (buf[qEnd] & 0xff) + 1;
                    }
                    qEnd += 5;
                    byte[] r = new byte[qEnd + 16];
                    System.arraycopy(buf, 0, r, 0, qEnd);
                    r[2] = (byte) 0x81;
                    r[3] = (byte) 0x80;
                    r[7] = 1; // ANCOUNT
                    r[9] = 0;
                    r[11] = 0; // no OPT back
                    byte[] rr = {(byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0x0E, 0x10, 0, 4, (byte) 192, 0, 2, 1};
                    System.arraycopy(rr, 0, r, qEnd, 16);
                    socket.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                } catch (IOException e) {
                    // closed
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
