package io.headlessdns.server;

import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.config.ServerConfig;
import io.headlessdns.server.transport.TransportLimits;
import io.netty.util.ResourceLeakDetector;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line (DESIGN section 3): parses flags, starts {@link HeadlessDns}, waits for SIGTERM. */
@Command(name = "headless-dns", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = "Cluster DNS for Kubernetes: headless services and StatefulSet pods first.")
public final class Main implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Option(names = "--manifests", paramLabel = "PATH", required = true,
            description = "Serve the cluster described by Kubernetes YAML/JSON files (a file or folder; repeatable). Watched: edits are served within 1 s.")
    List<Path> manifests = new ArrayList<>();

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", paramLabel = "N", defaultValue = "53", description = "DNS port, UDP and TCP (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--http-port", paramLabel = "N", defaultValue = "9153", description = "HTTP port for /metrics, /health and /ready (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--cluster-domain", paramLabel = "D", defaultValue = "cluster.local", description = "Cluster domain (default: ${DEFAULT-VALUE}).")
    String clusterDomain;

    @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "5", description = "TTL of cluster answers (default: ${DEFAULT-VALUE}).")
    int ttl;

    @Option(names = "--negative-ttl", paramLabel = "SECONDS", defaultValue = "5", description = "TTL of NXDOMAIN/NODATA answers, the SOA minimum (default: ${DEFAULT-VALUE}).")
    int negativeTtl;

    @Option(names = "--pod-records", paramLabel = "MODE", defaultValue = "insecure",
            description = "a-b-c-d.<ns>.pod.<zone> records: disabled, insecure (any address, kubeadm's default) or verified (only IPs of known pods) (default: ${DEFAULT-VALUE}).")
    String podRecords;

    @Option(names = "--threads", paramLabel = "N", description = "Event loop threads (default: number of CPUs).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--tcp-max-connections", paramLabel = "N", defaultValue = "4096",
            description = "Open TCP connections at most; further ones are closed at once, UDP is unaffected (default: ${DEFAULT-VALUE}).")
    int tcpMaxConnections;

    @Option(names = "--tcp-max-in-flight", paramLabel = "N", defaultValue = "64",
            description = "Unwritten responses per TCP connection before the server stops reading it until they drain (default: ${DEFAULT-VALUE}).")
    int tcpMaxInFlight;

    @Option(names = "--rrl-responses-per-second", paramLabel = "N", defaultValue = "0",
            description = "UDP response rate limit per client /24 (IPv4) or /56 (IPv6); 0 is off (default: ${DEFAULT-VALUE}).")
    int rrlResponsesPerSecond;

    @Option(names = "--rrl-slip", paramLabel = "N", defaultValue = "2",
            description = "With rate limiting, every N-th response over the limit is sent truncated (TC=1) instead of dropped; 0 drops all (default: ${DEFAULT-VALUE}).")
    int rrlSlip;

    public static void main(String[] args) {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // leak tracking samples buffers and allocates on the query path; it is for tests, not serving
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        System.exit(run(args));
    }

    /** Runs the command line; returns the exit code instead of exiting (for tests). */
    static int run(String... args) {
        CommandLine cmd = new CommandLine(new Main());
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("headless-dns: " + e.getMessage());
            return 1;
        });
        return cmd.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = config();
        HeadlessDns server = new HeadlessDns(config);
        try {
            server.start();
        } catch (BindException e) {
            throw new IllegalStateException("cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }

    ServerConfig config() throws Exception {
        ZoneOptions zone;
        TransportLimits limits;
        try {
            zone = new ZoneOptions(clusterDomain, ttl, negativeTtl, PodRecordMode.parse(podRecords));
            limits = TransportLimits.DEFAULT
                    .withTcp(tcpMaxConnections, tcpMaxInFlight, TransportLimits.DEFAULT.tcpIdleMillis(), TransportLimits.DEFAULT.tcpMessageMillis())
                    .withRrl(rrlResponsesPerSecond, rrlSlip);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        return new ServerConfig(manifests, InetAddress.getByName(bind), port, httpPort, threads, zone, limits);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"headless-dns " + (v == null ? "development" : v)};
        }
    }
}
