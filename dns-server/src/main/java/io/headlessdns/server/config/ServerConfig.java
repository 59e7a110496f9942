package io.headlessdns.server.config;

import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.forward.ForwardOptions;
import io.headlessdns.server.query.LoadBalancePolicy;
import io.headlessdns.server.query.UdpAnswerPolicy;
import io.headlessdns.server.transport.TransportLimits;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything the server is started with, validated. Built by {@code Main} from the command line and by
 * tests directly.
 *
 * @param manifests files and folders to serve; when empty, the Kubernetes API described by {@code kube}
 * @param httpPort 0 picks a free port; -1 disables the HTTP listener (tests that do not need it)
 * @param metrics whether queries are metered (CoreDNS's coredns_dns_* families); off only to measure
 *     what metering costs
 * @param lameduck how long DNS keeps answering after a shutdown starts, with /ready already 503
 * @param logQueries log one query in this many (0: none), off the event loop
 * @param kube how to reach and scope the Kubernetes API (used when {@code manifests} is empty)
 * @param limits TCP connection limits and UDP response rate limiting
 * @param udpAnswers what a UDP answer too large for the client's buffer becomes ({@code --udp-answer-policy})
 * @param loadBalance the order of multi-record A and AAAA answers ({@code --loadbalance})
 * @param snapshotFile where the served cluster state is kept for a warm start, or null ({@code --snapshot-file})
 * @param cpuAffinity whether each event loop is pinned to its own CPU ({@code --cpu-affinity})
 */
public record ServerConfig(
        List<Path> manifests,
        InetAddress bind,
        int port,
        int httpPort,
        int threads,
        ZoneOptions zone,
        boolean metrics,
        java.time.Duration lameduck,
        int logQueries,
        ForwardOptions forward,
        KubeOptions kube,
        TransportLimits limits,
        UdpAnswerPolicy udpAnswers,
        LoadBalancePolicy loadBalance,
        Path snapshotFile,
        boolean cpuAffinity) {

    /** With the default {@link TransportLimits}, truncating UDP answers (RFC behaviour), rotating A/AAAA answers, no snapshot. */
    public ServerConfig(List<Path> manifests, InetAddress bind, int port, int httpPort, int threads, ZoneOptions zone,
            boolean metrics, java.time.Duration lameduck, int logQueries, ForwardOptions forward, KubeOptions kube) {
        this(manifests, bind, port, httpPort, threads, zone, metrics, lameduck, logQueries, forward, kube,
                TransportLimits.DEFAULT);
    }

    /** Truncating UDP answers (RFC behaviour), rotating A/AAAA answers (CoreDNS's loadbalance), no snapshot. */
    public ServerConfig(List<Path> manifests, InetAddress bind, int port, int httpPort, int threads, ZoneOptions zone,
            boolean metrics, java.time.Duration lameduck, int logQueries, ForwardOptions forward, KubeOptions kube,
            TransportLimits limits) {
        this(manifests, bind, port, httpPort, threads, zone, metrics, lameduck, logQueries, forward, kube, limits,
                UdpAnswerPolicy.TRUNCATE, LoadBalancePolicy.ROUND_ROBIN, null, false);
    }

    public ServerConfig withUdpAnswers(UdpAnswerPolicy policy) {
        return new ServerConfig(manifests, bind, port, httpPort, threads, zone, metrics, lameduck, logQueries, forward,
                kube, limits, policy, loadBalance, snapshotFile, cpuAffinity);
    }

    public ServerConfig withLoadBalance(LoadBalancePolicy policy) {
        return new ServerConfig(manifests, bind, port, httpPort, threads, zone, metrics, lameduck, logQueries, forward,
                kube, limits, udpAnswers, policy, snapshotFile, cpuAffinity);
    }

    public ServerConfig withSnapshotFile(Path file) {
        return new ServerConfig(manifests, bind, port, httpPort, threads, zone, metrics, lameduck, logQueries, forward,
                kube, limits, udpAnswers, loadBalance, file, cpuAffinity);
    }

    public ServerConfig withCpuAffinity(boolean pin) {
        return new ServerConfig(manifests, bind, port, httpPort, threads, zone, metrics, lameduck, logQueries, forward,
                kube, limits, udpAnswers, loadBalance, snapshotFile, pin);
    }

    /** Metrics on, no lame duck, no query log, no forwarding, in-cluster API defaults: what tests and embedders usually want. */
    public ServerConfig(List<Path> manifests, InetAddress bind, int port, int httpPort, int threads, ZoneOptions zone) {
        this(manifests, bind, port, httpPort, threads, zone, true, java.time.Duration.ZERO, 0, ForwardOptions.NONE,
                KubeOptions.inCluster());
    }

    /** Without forwarding: out-of-zone queries get REFUSED. */
    public ServerConfig(List<Path> manifests, InetAddress bind, int port, int httpPort, int threads, ZoneOptions zone,
                        boolean metrics, java.time.Duration lameduck, int logQueries) {
        this(manifests, bind, port, httpPort, threads, zone, metrics, lameduck, logQueries, ForwardOptions.NONE,
                KubeOptions.inCluster());
    }

    /** Forwarding with everything else as in the six-argument form. */
    public ServerConfig(List<Path> manifests, InetAddress bind, int port, int httpPort, int threads, ZoneOptions zone,
                        ForwardOptions forward) {
        this(manifests, bind, port, httpPort, threads, zone, true, java.time.Duration.ZERO, 0, forward,
                KubeOptions.inCluster());
    }

    /** With the in-cluster API defaults (they matter only when {@code manifests} is empty). */
    public ServerConfig(List<Path> manifests, InetAddress bind, int port, int httpPort, int threads, ZoneOptions zone,
            boolean metrics, java.time.Duration lameduck, int logQueries, ForwardOptions forward) {
        this(manifests, bind, port, httpPort, threads, zone, metrics, lameduck, logQueries, forward,
                KubeOptions.inCluster());
    }

    /** Metrics on, no lame duck, no query log, serving the Kubernetes API as {@code kube} says. */
    public ServerConfig(List<Path> manifests, InetAddress bind, int port, int httpPort, int threads, ZoneOptions zone,
            KubeOptions kube) {
        this(manifests, bind, port, httpPort, threads, zone, true, java.time.Duration.ZERO, 0, ForwardOptions.NONE, kube);
    }

    public ServerConfig {
        manifests = List.copyOf(Objects.requireNonNull(manifests, "manifests"));
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(kube, "kube");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(udpAnswers, "udpAnswers");
        Objects.requireNonNull(loadBalance, "loadBalance");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, not " + port);
        }
        if (httpPort < -1 || httpPort > 65535) {
            throw new IllegalArgumentException("--http-port must be 0..65535, not " + httpPort);
        }
        Objects.requireNonNull(lameduck, "lameduck");
        if (lameduck.isNegative()) {
            throw new IllegalArgumentException("--lameduck must not be negative, not " + lameduck.toSeconds());
        }
        if (logQueries < 0) {
            throw new IllegalArgumentException("--log-queries must be 0 (off) or N (1 in N), not " + logQueries);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, not " + threads);
        }
    }
}
