package io.headlessdns.server.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@link DnsMetrics}' adders into CoreDNS's metric families at scrape time, on the HTTP thread.
 * Names, labels and buckets are CoreDNS's (plugin/metrics/vars), so its dashboards and alerts work
 * unchanged. As in CoreDNS, a label set appears once it has been observed.
 *
 * <p>{@code zone} is "." and {@code view} is "", what CoreDNS reports for the {@code .:53} server block of
 * the default Kubernetes Corefile; {@code server} is "dns://[bind]:port" like CoreDNS's.
 */
public final class DnsCollector implements MultiCollector {
    public static final String ZONE = ".";
    public static final String VIEW = "";

    private final DnsMetrics m;
    private final String server;
    private final java.util.function.LongSupplier panics;

    /** @param panics queries whose handling threw, counted by the transport */
    public DnsCollector(DnsMetrics metrics, String server, java.util.function.LongSupplier panics) {
        this.m = metrics;
        this.server = server;
        this.panics = panics;
    }

    /** CoreDNS's server label: {@code dns://:53} for the wildcard address, else {@code dns://addr:port}. */
    public static String serverLabel(java.net.InetAddress bind, int port) {
        return "dns://" + (bind.isAnyLocalAddress() ? "" : bind.getHostAddress()) + ":" + port;
    }

    @Override
    public MetricSnapshots collect() {
        DnsMetrics.Totals t = m.totals();
        List<MetricSnapshot> out = new ArrayList<>(6);
        out.add(requests(t));
        out.add(responses(t));
        out.add(durations(t));
        out.add(sizes("coredns_dns_request_size_bytes", "Size of the request in bytes.", t, true));
        out.add(sizes("coredns_dns_response_size_bytes", "Size of the returned response in bytes.", t, false));
        out.add(CounterSnapshot.builder().name("coredns_panics").help("A metrics that counts the number of panics.")
                .dataPoint(CounterDataPointSnapshot.builder().value(panics.getAsLong()).build()).build());
        return new MetricSnapshots(out);
    }

    private CounterSnapshot requests(DnsMetrics.Totals t) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name("coredns_dns_requests")
                .help("Counter of DNS requests made per zone, protocol and family.");
        for (int proto = 0; proto < DnsMetrics.PROTOS.length; proto++) {
            for (int family = 0; family < DnsMetrics.FAMILIES.length; family++) {
                for (int type = 0; type < DnsMetrics.TYPES.length; type++) {
                    long n = t.requests(proto, family, type);
                    if (n > 0) {
                        b.dataPoint(CounterDataPointSnapshot.builder().value(n).labels(Labels.of(
                                "server", server, "zone", ZONE, "view", VIEW, "proto", DnsMetrics.PROTOS[proto],
                                "family", DnsMetrics.FAMILIES[family], "type", DnsMetrics.TYPES[type])).build());
                    }
                }
            }
        }
        return b.build();
    }

    private CounterSnapshot responses(DnsMetrics.Totals t) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name("coredns_dns_responses")
                .help("Counter of response status codes.");
        for (int rcode = 0; rcode < DnsMetrics.RCODES; rcode++) {
            for (int plugin = 0; plugin < DnsMetrics.PLUGINS.length; plugin++) {
                long n = t.responses(rcode, plugin);
                if (n > 0) {
                    b.dataPoint(CounterDataPointSnapshot.builder().value(n).labels(Labels.of(
                            "server", server, "zone", ZONE, "view", VIEW, "rcode", rcodeName(rcode),
                            "plugin", DnsMetrics.PLUGINS[plugin])).build());
                }
            }
        }
        return b.build();
    }

    /** The names CoreDNS prints (miekg/dns RcodeToString); 16 is BADSIG there, which shares BADVERS' code. */
    static String rcodeName(int rcode) {
        return rcode == 16 ? "BADSIG" : io.headlessdns.server.wire.Rcode.name(rcode);
    }

    private HistogramSnapshot durations(DnsMetrics.Totals t) {
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name("coredns_dns_request_duration_seconds")
                .help("Histogram of the time (in seconds) each request took per zone.");
        double[] bounds = new double[DnsMetrics.DURATION_BUCKETS + 1];
        for (int i = 0; i < DnsMetrics.DURATION_BUCKETS; i++) {
            bounds[i] = 0.00025 * (1L << i);
        }
        bounds[DnsMetrics.DURATION_BUCKETS] = Double.POSITIVE_INFINITY;
        for (int type = 0; type < DnsMetrics.TYPES.length; type++) {
            long[] counts = t.durationBuckets(type);
            long total = 0;
            for (long n : counts) {
                total += n;
            }
            if (total > 0) {
                b.dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(t.durationNanos(type) / 1e9)
                        .labels(Labels.of("server", server, "zone", ZONE, "view", VIEW, "type", DnsMetrics.TYPES[type]))
                        .build());
            }
        }
        return b.build();
    }

    private HistogramSnapshot sizes(String name, String help, DnsMetrics.Totals t, boolean requests) {
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(name).help(help);
        double[] bounds = new double[DnsMetrics.SIZE_BOUNDS.length + 1];
        for (int i = 0; i < DnsMetrics.SIZE_BOUNDS.length; i++) {
            bounds[i] = DnsMetrics.SIZE_BOUNDS[i];
        }
        bounds[DnsMetrics.SIZE_BOUNDS.length] = Double.POSITIVE_INFINITY;
        for (int proto = 0; proto < DnsMetrics.PROTOS.length; proto++) {
            long[] sizes = requests ? t.requestSizes(proto) : t.responseSizes(proto); // buckets, then the byte sum
            long[] counts = java.util.Arrays.copyOf(sizes, bounds.length);
            long total = 0;
            for (long n : counts) {
                total += n;
            }
            if (total > 0) {
                b.dataPoint(HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                        .sum(sizes[bounds.length])
                        .labels(Labels.of("server", server, "zone", ZONE, "view", VIEW, "proto", DnsMetrics.PROTOS[proto]))
                        .build());
            }
        }
        return b.build();
    }
}
