package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headlessdns.server.compile.PodRecordMode;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian package {@code prometheus}) scrapes the server every second while dig queries
 * run, and the PromQL of CoreDNS's own dashboard and alerts (coredns-mixin, dashboards/coredns.libsonnet
 * and alerts/coredns.libsonnet, with {@code job="coredns"} as the selector, {@code instance} as the
 * instance label and 1m for {@code $__rate_interval}) returns data. Skipped only when the prometheus
 * binary is not installed.
 */
class PrometheusScrapeTest {
    private static final String SVC = "svc-sts-nginx.default.svc.cluster.local";
    private static final String SEL = "job=\"coredns\",instance=~\".*\"";

    /** The mixin's cluster-side panels (the forward and cache ones come with the forwarder). */
    static final Map<String, String> DASHBOARD = new LinkedHashMap<>();
    /** The mixin's alert expressions without their threshold: each must have data to compare. */
    static final Map<String, String> ALERTS = new LinkedHashMap<>();

    static {
        DASHBOARD.put("Up", "sum(up{job=\"coredns\"})");
        DASHBOARD.put("Panics", "sum(coredns_panics_total{job=\"coredns\"})");
        DASHBOARD.put("RPC Rate", "sum(rate(coredns_dns_responses_total{" + SEL + "}[1m])) by (rcode)");
        DASHBOARD.put("Request duration 99th quantile", "histogram_quantile(0.99, sum(rate(coredns_dns_request_duration_seconds_bucket{"
                + SEL + "}[1m])) by (server, zone, le))");
        DASHBOARD.put("Requests (by qtype)", "sum(rate(coredns_dns_requests_total{" + SEL + "}[1m])) by (type)");
        DASHBOARD.put("Requests (by zone)", "sum(rate(coredns_dns_requests_total{" + SEL + "}[1m])) by (zone)");
        DASHBOARD.put("Plugins Enabled", "count(sum(coredns_plugin_enabled{" + SEL + "}) by (name))");
        for (String q : new String[] {"0.99", "0.50"}) {
            for (String dir : new String[] {"request", "response"}) {
                DASHBOARD.put(dir + " size " + q, "histogram_quantile(" + q + ", sum(rate(coredns_dns_" + dir
                        + "_size_bytes_bucket{" + SEL + "}[1m])) by (server, zone, proto, le))");
            }
        }
        DASHBOARD.put("Memory", "process_resident_memory_bytes{" + SEL + "}");
        DASHBOARD.put("CPU usage", "rate(process_cpu_seconds_total{" + SEL + "}[1m])");
        DASHBOARD.put("instance variable", "coredns_build_info{job=\"coredns\"}");

        ALERTS.put("CoreDNSDown (up == 1, so absent() is empty)", "up{job=\"coredns\"} == 1");
        ALERTS.put("CoreDNSLatencyHigh", "histogram_quantile(0.99, sum(rate(coredns_dns_request_duration_seconds_bucket{job=\"coredns\"}[5m])) by(server, zone, le))");
        ALERTS.put("CoreDNSErrorsHigh (denominator)", "sum(rate(coredns_dns_responses_total{job=\"coredns\"}[5m]))");
    }

    @TempDir
    Path dir;

    @Test
    void realPrometheus_scrapesRequestRate_andCoreDnsMixinQueriesReturnData() throws Exception {
        Assumptions.assumeTrue(onPath("prometheus"), "prometheus is not installed (Debian: apt-get install -y prometheus)");
        try (RunningServer running = new RunningServer(List.of(Path.of("..", "deploy", "examples")), PodRecordMode.INSECURE)) {
            int promPort;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                promPort = s.getLocalPort();
            }
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    + "scrape_configs:\n  - job_name: coredns\n    static_configs:\n"
                    + "      - targets: ['127.0.0.1:" + running.server.httpPort() + "']\n");
            Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            AtomicBoolean stop = new AtomicBoolean();
            Thread load = new Thread(() -> digLoad(running.dig, stop), "dig-load");
            try {
                load.start();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                        .until(() -> value(query(promPort, "sum(rate(coredns_dns_requests_total[1m]))")) > 0);
                List<String> empty = new ArrayList<>();
                Map<String, String> all = new LinkedHashMap<>(DASHBOARD);
                all.putAll(ALERTS);
                // rate() over 5m needs two samples too; they exist once the 1m rate is non-zero
                for (Map.Entry<String, String> e : all.entrySet()) {
                    String result = query(promPort, e.getValue());
                    if (!result.contains("\"result\":[{")) {
                        empty.add(e.getKey() + ": " + e.getValue() + " -> " + result);
                    }
                }
                assertThat(empty).as("mixin queries without data").isEmpty();
                assertThat(value(query(promPort, "sum(up{job=\"coredns\"})"))).isEqualTo(1);
                // the alert expressions themselves evaluate and do not fire on a healthy server
                assertThat(query(promPort, "absent(up{job=\"coredns\"} == 1)")).contains("\"result\":[]");
                assertThat(query(promPort, ALERTS.get("CoreDNSLatencyHigh") + " > 4")).contains("\"result\":[]");
            } finally {
                stop.set(true);
                load.join(30_000);
                prometheus.destroy();
                if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    /** dig in batches of 20 queries per run, at most 90 s, until told to stop. */
    private static void digLoad(Dig dig, AtomicBoolean stop) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add("sts-web-" + (i % 2) + "." + SVC);
            batch.add("nope" + i + ".default.svc.cluster.local");
        }
        while (!stop.get() && System.nanoTime() < end) {
            try {
                dig.dig(batch.toArray(new String[0]));
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception | AssertionError e) {
                // keep loading; the assertions on Prometheus decide
            }
        }
    }

    private static String query(int port, String promql) throws Exception {
        return Http.body(port, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");

    /** The first sample's value of a query answer, or NaN when it has none. */
    private static double value(String answer) {
        Matcher m = VALUE.matcher(answer);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static boolean onPath(String binary) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, binary))) {
                return true;
            }
        }
        return false;
    }
}
