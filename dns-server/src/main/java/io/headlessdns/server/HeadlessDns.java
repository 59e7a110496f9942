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
import io.headlessdns.server.http.HttpEndpoints;
import io.headlessdns.server.query.QueryCounters;
import io.headlessdns.server.query.QueryEngine;
import io.headlessdns.server.table.RecordTable;
import io.headlessdns.server.transport.DnsServer;
import io.headlessdns.server.transport.EngineProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server: cluster source -> table updater -> record table -> query engines -> UDP/TCP
 * listeners, plus the HTTP endpoints. {@link #start} brings them up in that order and throws with the
 * cause if any fails; {@link #close} takes them down in reverse and is idempotent. Cluster names answer
 * SERVFAIL until the source has synced (the manifest source has when it returns; the API source syncs
 * later), so no client ever sees an NXDOMAIN that only means "not loaded yet".
 */
public final class HeadlessDns implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeadlessDns.class);

    private final ServerConfig config;
    private final QueryCounters counters = new QueryCounters();
    /** Every part registers its meters here; /metrics scrapes it. */
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TableUpdater updater;
    private volatile boolean shuttingDown;
    private ClusterSource source;
    private DnsServer dns;
    private HttpEndpoints http;

    public HeadlessDns(ServerConfig config) {
        this.config = config;
        RecordTable table = TableUpdater.newTable(config.zone());
        this.updater = new TableUpdater(new RecordCompiler(config.zone()), table, Clock.systemUTC(),
                new ProgrammingLatency(registry, Clock.systemUTC()));
    }

    public synchronized void start() throws Exception {
        try {
            source = source();
            // the manifest source returns synced; the API source returns at once and syncs later, while the
            // listeners below already answer (SERVFAIL for cluster names, /ready 503 until then)
            source.start(updater);
            log.info("source: {}, {}", source.describe(), updater.isSynced()
                    ? updater.table().size() + " names served" : "syncing");
            EngineProvider engines = new EngineProvider(
                    () -> new QueryEngine(updater.table(), config.zone(), counters, updater::isSynced));
            dns = new DnsServer(new InetSocketAddress(config.bind(), config.port()), config.threads(), engines);
            dns.start();
            log.info("DNS on {}:{} (UDP and TCP, {}, {} threads), zone {}, pod records {}",
                    config.bind().getHostAddress(), dns.port(), dns.transport(), config.threads(),
                    config.zone().clusterDomain(), config.zone().podRecords());
            if (config.httpPort() >= 0) {
                http = new HttpEndpoints(new InetSocketAddress(config.bind(), config.httpPort()), this::ready, registry);
                http.start();
                log.info("HTTP on {}:{} (/metrics, /health, /ready)", config.bind().getHostAddress(), http.port());
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private ClusterSource source() throws IOException {
        if (!config.manifests().isEmpty()) {
            return new ManifestSource(config.manifests());
        }
        KubeOptions kube = config.kube();
        return InformerSource.connect(kube.kubeconfig(), kube.context(), kube.scope(),
                config.zone().podRecords() == PodRecordMode.VERIFIED, kube.startupTimeout());
    }

    /** Ready: the source has synced and the server is not shutting down. */
    public boolean ready() {
        return updater.isSynced() && !shuttingDown;
    }

    public int dnsPort() {
        return dns.port();
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public QueryCounters counters() {
        return counters;
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
        if (source != null) {
            source.close();
            source = null;
        }
    }
}
