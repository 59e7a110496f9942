package io.headlessdns.server.metrics;

import io.headlessdns.server.compile.TableUpdater;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.headlessdns.server.query.Outcome;
import io.headlessdns.server.query.QueryCounters;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The one registry /metrics scrapes, and what goes into it: CoreDNS's DNS metrics ({@link DnsCollector}),
 * {@code coredns_build_info}, the standard process metrics ({@link ProcessCollector}), JVM metrics
 * (Micrometer's binders) and this server's own {@code headless_dns_*} meters.
 *
 * <p>How another part adds its meters (the forwarder's {@code coredns_forward_*}, the cache's
 * {@code coredns_cache_*}): count on its hot path into pre-created {@code LongAdder}s as
 * {@link DnsMetrics} does, and register either Micrometer {@code FunctionCounter}s/{@code Gauge}s on
 * {@link #registry()} or a {@code MultiCollector} on {@code registry().getPrometheusRegistry()} (for
 * histograms with fixed buckets, like {@link DnsCollector}). {@link PrometheusText} prints them all with
 * Go-style numbers.
 */
public final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DnsMetrics dns;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** @param perQuery whether queries are metered ({@code --metrics}); the rest is exported either way */
    public ServerMetrics(boolean perQuery, String version) {
        this.dns = perQuery ? new DnsMetrics() : null;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
        registry.getPrometheusRegistry().register(new ProcessCollector());
        Gauge.builder("coredns.build.info", () -> 1)
                .description("A metric with a constant '1' value labeled by version, revision, and goversion from which CoreDNS was built.")
                .tag("version", version)
                .tag("revision", revision())
                .tag("goversion", "java" + Runtime.version())
                .register(registry);
    }

    /**
     * The source revision: the jar manifest's {@code SCM-Revision} when the build stamps one, else ""
     * (what CoreDNS reports for a build without a commit).
     */
    private static String revision() {
        try (java.io.InputStream in = ServerMetrics.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            String r = in == null ? null : new java.util.jar.Manifest(in).getMainAttributes().getValue("SCM-Revision");
            return r == null ? "" : r;
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** The per-query meters the engines record into, or null when {@code --metrics=false}. */
    public DnsMetrics dns() {
        return dns;
    }

    /**
     * Registers the DNS families once the listener's port is known, and {@code coredns_plugin_enabled}
     * for the CoreDNS plugins whose job this server does (the dashboard counts them).
     */
    public void bindDns(String serverLabel, LongSupplier panics, java.util.List<String> plugins) {
        if (dns != null) {
            registry.getPrometheusRegistry().register(new DnsCollector(dns, serverLabel, panics));
        }
        for (String plugin : plugins) {
            Gauge.builder("coredns.plugin.enabled", () -> 1)
                    .description("A metric that indicates whether a plugin is enabled on per server and zone basis.")
                    .tag("server", serverLabel).tag("zone", DnsCollector.ZONE).tag("view", DnsCollector.VIEW)
                    .tag("name", plugin).register(registry);
        }
    }

    /** The server's own meters: names served, table publications, watch events, sync age, bad packets. */
    public void bindServer(TableUpdater updater, QueryCounters counters) {
        Gauge.builder("headless.dns.records", updater.table(), t -> t.size())
                .description("Names being served (including empty non-terminals).").register(registry);
        FunctionTimer.builder("headless.dns.table.publish", updater, TableUpdater::publishes,
                        u -> u.publishNanos(), TimeUnit.NANOSECONDS)
                .description("Time to compile-and-publish one cluster change into the record table.").register(registry);
        for (TableUpdater.Event kind : TableUpdater.Event.values()) {
            FunctionCounter.builder("headless.dns.watch.events", updater, u -> u.events(kind))
                    .description("Cluster source events received, by kind.")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT)).register(registry);
        }
        Gauge.builder("headless.dns.last.event.age", updater, u -> {
                    long last = u.lastEventNanos();
                    return last == 0 ? Double.NaN : (System.nanoTime() - last) / 1e9;
                }).baseUnit("seconds")
                .description("Seconds since the cluster source last delivered an event.").register(registry);
        Gauge.builder("headless.dns.synced", updater, u -> u.isSynced() ? 1 : 0)
                .description("1 once the cluster source has delivered its complete initial state.").register(registry);
        FunctionCounter.builder("headless.dns.dropped.packets", counters, c -> c.count(Outcome.DROPPED))
                .description("Packets dropped unanswered: shorter than a header, or responses (QR=1).").register(registry);
        FunctionCounter.builder("headless.dns.malformed.queries", counters, c -> c.count(Outcome.FORMERR))
                .description("Queries answered FORMERR.").register(registry);
        FunctionCounter.builder("headless.dns.truncated.responses", counters, QueryCounters::truncatedCount)
                .description("UDP responses sent with TC set.").register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The whole exposition, for /metrics. */
    public String scrape() {
        return PrometheusText.write(registry.getPrometheusRegistry().scrape());
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
