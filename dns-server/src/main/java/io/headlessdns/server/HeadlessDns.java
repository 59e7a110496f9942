package io.headlessdns.server;

import io.headlessdns.k8s.informer.InformerSource;
import io.headlessdns.k8s.manifest.ManifestSource;
import io.headlessdns.k8s.model.ClusterSource;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ProgrammingLatency;
import io.headlessdns.server.compile.RecordCompiler;
import io.headlessdns.server.compile.TableUpdater;
import io.headlessdns.server.config.KubeOptions;
import io.headlessdns.server.config.ServerConfig;
import io.headlessdns.server.forward.Forwarder;
import io.headlessdns.server.forward.UpstreamAddress;
import io.headlessdns.server.http.HttpEndpoints;
import io.headlessdns.server.metrics.DnsCollector;
import io.headlessdns.server.metrics.ServerMetrics;
import io.headlessdns.server.query.QueryCounters;
import io.headlessdns.server.query.QueryEngine;
import io.headlessdns.server.query.QueryLog;
import io.headlessdns.server.table.RecordTable;
import io.headlessdns.server.transport.DnsServer;
import io.headlessdns.server.transport.EngineProvider;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server: cluster source -> table updater -> record table -> query engines -> UDP/TCP
 * listeners, plus the HTTP endpoints. {@link #start} brings them up in that order (so the first
 * answer already reflects the whole cluster) and throws with the cause if any fails; {@link #close}
 * takes them down in reverse and is idempotent. {@link #shutdown} is the graceful way: not ready at
 * once, DNS answering on for the lame-duck period, then close (CoreDNS's health plugin {@code lameduck}).
 */
public final class HeadlessDns implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeadlessDns.class);

    private final ServerConfig config;
    private final java.util.function.Function<ServerConfig, ClusterSource> sources;
    private final QueryCounters counters = new QueryCounters();
    /** Every part registers its meters here; /metrics scrapes it. */
    private final ServerMetrics metrics;
    private final QueryLog queryLog;
    private final TableUpdater updater;
    private volatile boolean shuttingDown;
    /** Set once the DNS listeners are bound: ready needs them, and HTTP starts before them. */
    private volatile boolean listening;
    private volatile ClusterSource source;
    private volatile boolean sourceStarted;
    private final HeapCompaction compaction = new HeapCompaction();
    /** With --snapshot-file: the warm start in front of the updater, and the recorder that keeps the file. */
    private io.headlessdns.server.snapshot.WarmStart warmStart;
    private io.headlessdns.server.snapshot.SnapshotRecorder recorder;
    private DnsServer dns;
    private Forwarder forwarder;
    private HttpEndpoints http;

    public HeadlessDns(ServerConfig config) {
        this(config, HeadlessDns::source);
    }

    /**
     * The manifest source when manifests are given, else the Kubernetes API. The manifest source returns
     * from {@code start} synced; the API source returns at once and syncs later, while the listeners
     * already answer (SERVFAIL for cluster names and /ready 503 until then).
     */
    static ClusterSource source(ServerConfig config) {
        if (!config.manifests().isEmpty()) {
            return new ManifestSource(config.manifests());
        }
        KubeOptions kube = config.kube();
        try {
            return InformerSource.connect(kube.kubeconfig(), kube.context(), kube.scope(),
                    config.zone().podRecords() == PodRecordMode.VERIFIED, kube.startupTimeout());
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** @param sources makes the cluster source from the configuration (tests pass their own) */
    public HeadlessDns(ServerConfig config, java.util.function.Function<ServerConfig, ClusterSource> sources) {
        this.config = config;
        this.sources = sources;
        RecordTable table = TableUpdater.newTable(config.zone());
        this.metrics = new ServerMetrics(config.metrics(), version());
        this.updater = new TableUpdater(new RecordCompiler(config.zone()), table, Clock.systemUTC(),
                new ProgrammingLatency(metrics.registry(), Clock.systemUTC()),
                new io.headlessdns.server.compile.ExplainedNegatives(metrics.registry()));
        this.metrics.bindServer(updater, counters);
        this.queryLog = config.logQueries() > 0 ? new QueryLog(config.logQueries()) : null;
    }

    /** The version of this build (the jar's Implementation-Version), or "development". */
    public static String version() {
        String v = HeadlessDns.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    public synchronized void start() throws Exception {
        try {
            log.info("headless-dns {} on Java {}, zone {}, metrics {}, lameduck {}s, query log {}", version(),
                    Runtime.version(), config.zone().clusterDomain(), config.metrics() ? "on" : "off",
                    config.lameduck().toSeconds(), config.logQueries() > 0 ? "1 in " + config.logQueries() : "off");
            // HTTP first, so /ready says 503 (and /health 200) while the source is still syncing
            if (config.httpPort() >= 0) {
                http = new HttpEndpoints(new InetSocketAddress(config.bind(), config.httpPort()), this::ready,
                        metrics::scrape, updater.table());
                http.start();
                log.info("HTTP on {}:{} (/metrics, /health, /ready, /records)", config.bind().getHostAddress(), http.port());
            }
            io.headlessdns.k8s.model.ClusterListener listener = updater;
            if (config.snapshotFile() != null) {
                recorder = new io.headlessdns.server.snapshot.SnapshotRecorder(updater, config.snapshotFile(),
                        config.zone().clusterDomain(), Duration.ofSeconds(1));
                warmStart = new io.headlessdns.server.snapshot.WarmStart(recorder);
                warmStart.load(config.snapshotFile(), config.zone().clusterDomain());
                listener = warmStart;
            }
            source = sources.apply(config);
            // a source that syncs later (the API's informers) compacts in its first sync, before /ready; one
            // that returns synced (manifests) only after start returns: its parsing garbage is unreachable then
            updater.beforeFirstSync(() -> {
                if (sourceStarted) {
                    compaction.afterInitialLoad(updater.table().size());
                }
            });
            source.start(listener);
            sourceStarted = true;
            if (updater.isSynced()) {
                compaction.afterInitialLoad(updater.table().size());
            }
            log.info("source: {} ({})", source.describe(), updater.isSynced() ? "synced" : "syncing");
            boolean forwarding = config.forward().enabled();
            if (forwarding) {
                forwarder = new Forwarder(config.forward(), metrics.registry(), metrics.dns());
            }
            EngineProvider engines = new EngineProvider(() -> new QueryEngine(updater.table(), config.zone(), counters,
                    this::serving, metrics.dns(), queryLog, forwarding, config.udpAnswers(), config.loadBalance()));
            dns = new DnsServer(new InetSocketAddress(config.bind(), config.port()), config.threads(), engines, forwarder,
                    config.limits(), config.cpuAffinity());
            dns.start();
            if (forwarder != null) {
                forwarder.registerCacheMetrics(DnsCollector.serverLabel(config.bind(), dns.port()));
                long t0 = System.nanoTime();
                forwarder.checkLoops(); // throws, naming the upstream, if our queries come back to us
                log.info("forwarding to {}{}, cache of {} entries; loop check {} ms",
                        config.forward().upstreams().stream().map(UpstreamAddress::label).toList(),
                        config.forward().stubDomains().isEmpty() ? "" : ", stub domains " + config.forward().stubDomains(),
                        config.forward().cacheSize(), (System.nanoTime() - t0) / 1_000_000);
            }
            DnsServer bound = dns;
            java.util.List<String> plugins = new java.util.ArrayList<>(java.util.List.of("kubernetes"));
            if (http != null) {
                plugins.addAll(java.util.List.of("prometheus", "health", "ready"));
            }
            if (queryLog != null) {
                plugins.add("log");
            }
            if (config.loadBalance() == io.headlessdns.server.query.LoadBalancePolicy.ROUND_ROBIN) {
                plugins.add("loadbalance");
            }
            if (forwarder != null) {
                plugins.addAll(java.util.List.of("forward", "cache", "loop"));
            }
            metrics.bindDns(DnsCollector.serverLabel(config.bind(), dns.port()), bound::panics, plugins);
            registerTransportLimitMeters(bound);
            listening = true;
            log.info("DNS on {}:{} (UDP and TCP, {}, {} threads), zone {}, pod records {}",
                    config.bind().getHostAddress(), dns.port(), dns.transport(), config.threads(),
                    config.zone().clusterDomain(), config.zone().podRecords());
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** What the transport limits (RFC 7766 TCP limits, response rate limiting) did, read at scrape time. */
    private void registerTransportLimitMeters(DnsServer bound) {
        io.micrometer.core.instrument.MeterRegistry r = registry();
        io.micrometer.core.instrument.Gauge.builder("headless.dns.tcp.connections", bound, DnsServer::tcpOpen)
                .description("TCP connections open now.").register(r);
        io.micrometer.core.instrument.FunctionCounter.builder("headless.dns.tcp.rejected.connections", bound, DnsServer::tcpRejected)
                .description("TCP connections closed on arrival because --tcp-max-connections were open.").register(r);
        io.micrometer.core.instrument.FunctionCounter.builder("headless.dns.tcp.read.pauses", bound, DnsServer::tcpPauses)
                .description("Times a TCP connection stopped being read because --tcp-max-in-flight answers were unwritten.").register(r);
        io.micrometer.core.instrument.FunctionCounter.builder("headless.dns.rate.limited.responses", bound, DnsServer::rateLimited)
                .description("UDP responses dropped or truncated by response rate limiting.").register(r);
    }

    /**
     * Ready: cluster answers are being served (the source has synced, or a warm start serves the last
     * snapshot while it syncs), DNS is listening, the server is not shutting down, and the API does not
     * refuse the source a list or watch (403: the answers would be incomplete).
     */
    public boolean ready() {
        ClusterSource s = source;
        return serving() && listening && !shuttingDown && (s == null || s.authorized());
    }

    /** Whether cluster names get answers rather than SERVFAIL: synced, or warm from a snapshot. */
    public boolean serving() {
        io.headlessdns.server.snapshot.WarmStart warm = warmStart;
        return updater.isSynced() || warm != null && warm.serving();
    }

    public int dnsPort() {
        return dns.port();
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public PrometheusMeterRegistry registry() {
        return metrics.registry();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /**
     * Graceful stop: /ready turns 503 at once (so Kubernetes takes this pod out of the DNS service's
     * endpoints), DNS keeps answering for {@code lameduck} while clients and kube-proxy catch up, then
     * everything closes.
     */
    public void shutdown(Duration lameduck) throws InterruptedException {
        shuttingDown = true;
        if (!lameduck.isZero()) {
            log.info("shutting down: not ready; answering DNS for {} s more (lame duck)", lameduck.toSeconds());
            Thread.sleep(lameduck.toMillis());
        }
        close();
        log.info("stopped");
    }

    /** The UDP/TCP listeners (for their transport counters), or null before start and after close. */
    public DnsServer dns() {
        return dns;
    }

    public QueryCounters counters() {
        return counters;
    }

    /** The forwarder, or null when nothing is forwarded (or before start). */
    public Forwarder forwarder() {
        return forwarder;
    }

    public TableUpdater updater() {
        return updater;
    }

    @Override
    public synchronized void close() {
        shuttingDown = true;
        if (http != null) {
            http.close();
            http = null;
        }
        if (dns != null) {
            dns.close();
            dns = null;
        }
        if (forwarder != null) {
            forwarder.close();
            forwarder = null;
        }
        if (source != null) {
            source.close();
            source = null;
        }
        if (recorder != null) {
            recorder.close(); // after the source: no change can come in behind the last write
            recorder = null;
        }
        if (queryLog != null) {
            queryLog.close();
        }
        metrics.close();
    }
}
