package io.headlessdns.server;

import io.headlessdns.k8s.manifest.ManifestSource;
import io.headlessdns.k8s.model.ClusterSource;
import io.headlessdns.server.compile.RecordCompiler;
import io.headlessdns.server.compile.TableUpdater;
import io.headlessdns.server.config.ServerConfig;
import io.headlessdns.server.http.HttpEndpoints;
import io.headlessdns.server.query.QueryCounters;
import io.headlessdns.server.query.QueryEngine;
import io.headlessdns.server.table.RecordTable;
import io.headlessdns.server.transport.DnsServer;
import io.headlessdns.server.transport.EngineProvider;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running server: cluster source -> table updater -> record table -> query engines -> UDP/TCP
 * listeners, plus the HTTP endpoints. {@link #start} brings them up in that order (so the first
 * answer already reflects the whole cluster) and throws with the cause if any fails; {@link #close}
 * takes them down in reverse and is idempotent.
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
        this.updater = new TableUpdater(new RecordCompiler(config.zone()), table, Clock.systemUTC());
    }

    public synchronized void start() throws Exception {
        try {
            source = new ManifestSource(config.manifests());
            source.start(updater);
            log.info("source: {}, {} names served", source.describe(), updater.table().size());
            EngineProvider engines = new EngineProvider(
                    () -> new QueryEngine(updater.table(), config.zone(), counters, updater::isSynced));
            dns = new DnsServer(new InetSocketAddress(config.bind(), config.port()), config.threads(), engines, config.limits());
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

    /** The UDP/TCP listeners (for their transport counters), or null before start and after close. */
    public DnsServer dns() {
        return dns;
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
