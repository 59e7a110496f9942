package io.headlessdns.server;

import io.headlessdns.k8s.informer.InformerScope;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.PtrPolicy;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.config.Durations;
import io.headlessdns.server.config.KubeOptions;
import io.headlessdns.server.config.EnvironmentDefaults;
import io.headlessdns.server.config.LogFormat;
import io.headlessdns.server.config.ServerConfig;
import io.headlessdns.server.forward.AccessList;
import io.headlessdns.server.forward.ForwardOptions;
import io.headlessdns.server.forward.UpstreamAddress;
import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.transport.TransportLimits;
import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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
        sortOptions = false, defaultValueProvider = EnvironmentDefaults.class,
        footer = {"", "Every option can also be set from the environment: HEADLESS_DNS_ and the long option name in"
                + " upper case with dashes as underscores (HEADLESS_DNS_PORT=5353, HEADLESS_DNS_MANIFESTS=a.yaml,b.yaml)."
                + " A flag on the command line wins."},
        description = "Cluster DNS for Kubernetes: headless services and StatefulSet pods first.")
public final class Main implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Option(names = "--manifests", paramLabel = "PATH", split = ",",
            description = "Serve the cluster described by Kubernetes YAML/JSON files (a file or folder; repeatable). Watched: edits are served within 1 s. Without it, the Kubernetes API is watched.")
    List<Path> manifests = new ArrayList<>();

    @Option(names = "--kubeconfig", paramLabel = "PATH",
            description = "Kubernetes API credentials from this kubeconfig file (default: the in-cluster service account).")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "Context of the kubeconfig to use (default: its current-context).")
    String context;

    @Option(names = "--namespace", paramLabel = "NS", split = ",",
            description = "Serve only Services and Pods of this namespace (repeatable; default: all namespaces).")
    List<String> namespaces = new ArrayList<>();

    @Option(names = "--label-selector", paramLabel = "SEL",
            description = "Serve only Services (and their EndpointSlices) matching this label selector, e.g. app=web,tier!=cache.")
    String labelSelector;

    @Option(names = "--startup-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long cluster names answer SERVFAIL and /ready is 503 while the API informers sync; after it, what is known is served (seconds, or e.g. 30s, 5m, PT5M; default: ${DEFAULT-VALUE}).")
    String startupTimeout;

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

    @Option(names = "--ttl-service", paramLabel = "SECONDS", description = "TTL of a service's own A/AAAA/CNAME (default: --ttl).")
    Integer ttlService;

    @Option(names = "--ttl-pod", paramLabel = "SECONDS", description = "TTL of per-pod names: <hostname>.<svc>... and pod records (default: --ttl).")
    Integer ttlPod;

    @Option(names = "--ttl-srv", paramLabel = "SECONDS", description = "TTL of SRV records (default: --ttl).")
    Integer ttlSrv;

    @Option(names = "--ttl-ptr", paramLabel = "SECONDS", description = "TTL of PTR records (default: --ttl).")
    Integer ttlPtr;

    @Option(names = "--ptr-policy", paramLabel = "POLICY", defaultValue = "all",
            description = "PTR for an IP behind several services: all (one per service, as CoreDNS) or hostname-first (one, preferring the StatefulSet pod's name) (default: ${DEFAULT-VALUE}).")
    String ptrPolicy;

    @Option(names = "--publish-pod-names-before-ready",
            description = "Answer <hostname>.<svc>... as soon as the endpoint has an address, before it is ready; the service's own A/AAAA and SRV stay ready-only.")
    boolean publishPodNamesBeforeReady;

    @Option(names = "--udp-answer-policy", paramLabel = "POLICY", defaultValue = "truncate",
            description = "A UDP answer larger than the client's buffer: truncate (whole records that fit and TC, the client retries over TCP; RFC behaviour) or fit (A/AAAA/SRV: as many records as fit, a different subset per query, no TC; for clients that never retry over TCP, such as musl) (default: ${DEFAULT-VALUE}).")
    String udpAnswerPolicy;

    @Option(names = "--loadbalance", paramLabel = "POLICY", defaultValue = "round_robin",
            description = "Order of A/AAAA answers of several records: round_robin (each answer starts one record further, so clients that take the first address spread over the pods; CoreDNS's loadbalance, in kubeadm's Corefile) or off (the same order for every client); SRV, PTR and truncated answers keep their order (default: ${DEFAULT-VALUE}).")
    String loadBalancePolicy;

    @Option(names = "--snapshot-file", paramLabel = "PATH",
            description = "Keep the served cluster state in this file (rewritten at most once a second) and answer from it at start-up until the Kubernetes API has synced (default: none).")
    Path snapshotFile;

    @Option(names = "--threads", paramLabel = "N", description = "Event loop threads (default: number of CPUs).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--cpu-affinity",
            description = "Pin event loop i to the i-th CPU this process may use (sched_setaffinity, as Knot DNS pins its workers): less CPU per query; only where the pod owns its CPUs (static CPU manager policy).")
    boolean cpuAffinity;

    @Option(names = "--metrics", paramLabel = "BOOL", defaultValue = "true", arity = "1",
            description = "Meter every query (CoreDNS's coredns_dns_* families); false only to measure what that costs (default: ${DEFAULT-VALUE}).")
    boolean metrics;

    @Option(names = "--lameduck", paramLabel = "SECONDS", defaultValue = "5",
            description = "On SIGTERM, /ready turns 503 at once and DNS keeps answering this long before the listeners close (default: ${DEFAULT-VALUE}).")
    int lameduck;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Log lines to stdout as text or json (one JSON object per line) (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--log-queries", paramLabel = "N", defaultValue = "0",
            description = "Log one query in N (logger 'query'), written off the DNS threads; 0 logs none (default: ${DEFAULT-VALUE}).")
    int logQueries;

    @Option(names = "--upstream", paramLabel = "ADDR[:PORT]|resolv.conf|FILE",
            description = "Forward names outside the cluster zones to this server ([v6addr]:port for IPv6), or to the nameservers of /etc/resolv.conf (resolv.conf) or of a resolv.conf-format FILE (repeatable; none: such queries get REFUSED).")
    List<String> upstreams = new ArrayList<>();

    @Option(names = "--stub-domain", paramLabel = "ZONE=ADDR[:PORT][,ADDR...]",
            description = "Forward names in ZONE to these servers instead (kube-dns stubDomains; repeatable).")
    List<String> stubDomains = new ArrayList<>();

    @Option(names = "--allow-cidr", paramLabel = "CIDR",
            description = "Clients that may have names outside the cluster resolved (repeatable; others get REFUSED for them; default: private, shared, loopback and link-local ranges).")
    List<String> allowCidrs = new ArrayList<>();

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "1000", description = "Upstream queries in flight at most; REFUSED beyond (default: ${DEFAULT-VALUE}).")
    int maxConcurrent;

    @Option(names = "--cache-size", paramLabel = "N", defaultValue = "10000", description = "Forwarded answers cached at most (default: ${DEFAULT-VALUE}; 0 disables the cache).")
    int cacheSize;

    @Option(names = "--cache-min-ttl", paramLabel = "SECONDS", defaultValue = "0", description = "Cache forwarded answers at least this long (default: ${DEFAULT-VALUE}).")
    int cacheMinTtl;

    @Option(names = "--cache-max-ttl", paramLabel = "SECONDS", defaultValue = "3600", description = "Cache forwarded answers at most this long (default: ${DEFAULT-VALUE}).")
    int cacheMaxTtl;

    @Option(names = "--cache-negative-max-ttl", paramLabel = "SECONDS", defaultValue = "1800", description = "Cache forwarded NXDOMAIN/NODATA at most this long (default: ${DEFAULT-VALUE}).")
    int cacheNegativeMaxTtl;

    @Option(names = "--serve-stale", paramLabel = "DURATION", defaultValue = "0",
            description = "When no upstream answers, serve expired answers up to this long past their TTL, with TTL 30 (RFC 8767), e.g. 1h (default: off).")
    String serveStale;

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
        LogFormat.apply(logFormat);
        ServerConfig config = config();
        HeadlessDns server = new HeadlessDns(config);
        try {
            server.start();
        } catch (BindException e) {
            throw new IllegalStateException("cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        // SIGTERM (what Kubernetes sends) and SIGINT start the graceful shutdown on this thread, which then
        // returns 0: handling the signal, rather than only a shutdown hook, is what lets the exit code be 0
        // (a JVM ended by a signal exits 143) and lets DNS answer through the lame-duck period.
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(stop::countDown);
        Thread hook = new Thread(server::close, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook); // any other exit path still closes the listeners
        stop.await();
        server.shutdown(config.lameduck());
        return 0;
    }

    ServerConfig config() throws Exception {
        ZoneOptions zone;
        TransportLimits limits;
        try {
            ZoneOptions.RecordTtls ttls = new ZoneOptions.RecordTtls(orTtl(ttlService), orTtl(ttlPod), orTtl(ttlSrv), orTtl(ttlPtr));
            zone = new ZoneOptions(clusterDomain, ttl, negativeTtl, PodRecordMode.parse(podRecords), ttls,
                    PtrPolicy.parse(ptrPolicy), publishPodNamesBeforeReady);
            limits = TransportLimits.DEFAULT
                    .withTcp(tcpMaxConnections, tcpMaxInFlight, TransportLimits.DEFAULT.tcpIdleMillis(), TransportLimits.DEFAULT.tcpMessageMillis())
                    .withRrl(rrlResponsesPerSecond, rrlSlip);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        if (lameduck < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--lameduck must not be negative, not " + lameduck);
        }
        if (logQueries < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--log-queries must be 0 (off) or N (1 in N), not " + logQueries);
        }
        ForwardOptions forward;
        try {
            forward = forwardOptions();
        } catch (IllegalArgumentException | IOException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        io.headlessdns.server.query.UdpAnswerPolicy udpAnswers;
        io.headlessdns.server.query.LoadBalancePolicy loadBalance;
        try {
            udpAnswers = io.headlessdns.server.query.UdpAnswerPolicy.parse(udpAnswerPolicy);
            loadBalance = io.headlessdns.server.query.LoadBalancePolicy.parse(loadBalancePolicy);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        return new ServerConfig(manifests, InetAddress.getByName(bind), port, httpPort, threads, zone, metrics,
                java.time.Duration.ofSeconds(lameduck), logQueries, forward, kube(), limits, udpAnswers, loadBalance,
                snapshotFile, cpuAffinity);
    }

    private int orTtl(Integer specific) {
        return specific != null ? specific : ttl;
    }

    private KubeOptions kube() {
        try {
            if (!manifests.isEmpty() && (kubeconfig != null || context != null || !namespaces.isEmpty()
                    || labelSelector != null)) {
                throw new IllegalArgumentException(
                        "--manifests cannot be combined with --kubeconfig, --context, --namespace or --label-selector");
            }
            if (context != null && kubeconfig == null) {
                throw new IllegalArgumentException("--context needs --kubeconfig");
            }
            return new KubeOptions(kubeconfig, context, new InformerScope(namespaces, labelSelector),
                    Durations.parse("--startup-timeout", startupTimeout));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
    }

    private ForwardOptions forwardOptions() throws IOException {
        List<InetSocketAddress> up = new ArrayList<>();
        for (String u : upstreams) {
            up.addAll(UpstreamAddress.parse(u));
        }
        Map<String, List<InetSocketAddress>> stubs = new LinkedHashMap<>();
        for (String s : stubDomains) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new IllegalArgumentException("--stub-domain wants ZONE=ADDR[:PORT], not '" + s + "'");
            }
            String zone = s.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            zone = zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone;
            DnsName.fromText(zone); // validates
            List<InetSocketAddress> addrs = stubs.computeIfAbsent(zone, z -> new ArrayList<>());
            for (String a : s.substring(eq + 1).split(",")) {
                addrs.addAll(UpstreamAddress.parse(a));
            }
        }
        AccessList allow = AccessList.parse(allowCidrs.isEmpty() ? AccessList.DEFAULT : allowCidrs);
        return new ForwardOptions(up, stubs, allow, maxConcurrent, cacheSize, cacheMinTtl, cacheMaxTtl,
                cacheNegativeMaxTtl, Durations.parse("--serve-stale", serveStale));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"headless-dns " + HeadlessDns.version(), "Java " + Runtime.version()};
        }
    }
}
