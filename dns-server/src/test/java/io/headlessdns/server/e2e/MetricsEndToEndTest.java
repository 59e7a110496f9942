package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.compile.PodRecordMode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /metrics, /health, /ready and /records of the real server, driven by the real dig. The metric names,
 * labels and buckets are CoreDNS's (plugin/metrics/vars), so its dashboards and alerts apply.
 */
class MetricsEndToEndTest {
    private static final String SVC = "svc-sts-nginx.default.svc.cluster.local";
    private static final String S = "server";

    RunningServer running;
    int http;

    @BeforeEach
    void start() throws Exception {
        running = new RunningServer(List.of(Path.of("..", "deploy", "examples")), PodRecordMode.INSECURE);
        http = running.server.httpPort();
    }

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void digQueries_moveCoreDnsCountersByExactlyWhatWasSent_perTypeProtoAndRcode() throws Exception {
        Exposition before = scrape();
        for (int i = 0; i < 3; i++) {
            assertThat(running.dig.status("A", "sts-web-0." + SVC)).isEqualTo("NOERROR");
        }
        for (int i = 0; i < 2; i++) {
            assertThat(running.dig.status("+tcp", "AAAA", "sts-web-0." + SVC)).isEqualTo("NOERROR"); // NODATA
        }
        assertThat(running.dig.status("TXT", "dns-version.cluster.local")).isEqualTo("NOERROR");
        assertThat(running.dig.status("+tcp", "SRV", "_web._tcp." + SVC)).isEqualTo("NOERROR");
        assertThat(running.dig.status("A", "nope.default.svc.cluster.local")).isEqualTo("NXDOMAIN");
        assertThat(running.dig.status("A", "example.com")).isEqualTo("REFUSED"); // no upstream configured
        Exposition after = scrape();

        String req = "coredns_dns_requests_total";
        assertThat(delta(before, after, req, "proto", "udp", "type", "A")).isEqualTo(5);
        assertThat(delta(before, after, req, "proto", "tcp", "type", "AAAA")).isEqualTo(2);
        assertThat(delta(before, after, req, "proto", "udp", "type", "TXT")).isEqualTo(1);
        assertThat(delta(before, after, req, "proto", "tcp", "type", "SRV")).isEqualTo(1);
        assertThat(delta(before, after, req)).isEqualTo(9);
        assertThat(delta(before, after, req, "family", "1", "zone", ".", "view", "")).isEqualTo(9);

        String resp = "coredns_dns_responses_total";
        assertThat(delta(before, after, resp, "rcode", "NOERROR", "plugin", "kubernetes")).isEqualTo(7);
        assertThat(delta(before, after, resp, "rcode", "NXDOMAIN", "plugin", "kubernetes")).isEqualTo(1);
        assertThat(delta(before, after, resp, "rcode", "REFUSED", "plugin", "")).isEqualTo(1);
        assertThat(delta(before, after, resp)).isEqualTo(9);

        assertThat(delta(before, after, "coredns_dns_request_duration_seconds_count", "type", "A")).isEqualTo(5);
        assertThat(delta(before, after, "coredns_dns_request_duration_seconds_bucket", "type", "A", "le", "+Inf")).isEqualTo(5);
        assertThat(delta(before, after, "coredns_dns_request_size_bytes_count", "proto", "udp")).isEqualTo(6);
        assertThat(delta(before, after, "coredns_dns_response_size_bytes_count", "proto", "tcp")).isEqualTo(3);
        assertThat(after.sum("coredns_dns_requests_total", S, "dns://127.0.0.1:" + running.server.dnsPort())).isEqualTo(9);
    }

    @Test
    void histograms_useCoreDnsBuckets_printedAsPrometheusPrintsThem() throws Exception {
        running.dig.status("A", "sts-web-0." + SVC);
        running.dig.status("+tcp", "A", "sts-web-0." + SVC);
        Exposition e = scrape();
        assertThat(e.types).containsEntry("coredns_dns_request_duration_seconds", "histogram")
                .containsEntry("coredns_dns_requests_total", "counter")
                .containsEntry("coredns_dns_responses_total", "counter")
                .containsEntry("coredns_panics_total", "counter")
                .containsEntry("coredns_build_info", "gauge");
        // prometheus.ExponentialBuckets(0.00025, 2, 16), as Go's strconv prints them
        assertThat(e.bucketBounds.get("coredns_dns_request_duration_seconds")).containsExactly(
                "0.00025", "0.0005", "0.001", "0.002", "0.004", "0.008", "0.016", "0.032", "0.064", "0.128",
                "0.256", "0.512", "1.024", "2.048", "4.096", "8.192", "+Inf");
        List<String> sizes = List.of("0", "100", "200", "300", "400", "511", "1023", "2047", "4095", "8291", "16000",
                "32000", "48000", "64000", "+Inf");
        assertThat(e.bucketBounds.get("coredns_dns_request_size_bytes")).isEqualTo(sizes);
        assertThat(e.bucketBounds.get("coredns_dns_response_size_bytes")).isEqualTo(sizes);
    }

    @Test
    void processAndServerMeters_haveThePrometheusClientNames() throws Exception {
        Exposition e = scrape();
        assertThat(e.types).containsEntry("process_cpu_seconds_total", "counter")
                .containsEntry("process_resident_memory_bytes", "gauge")
                .containsEntry("process_open_fds", "gauge")
                .containsEntry("process_start_time_seconds", "gauge")
                .containsEntry("headless_dns_records", "gauge")
                .containsEntry("headless_dns_watch_events_total", "counter");
        assertThat(e.sum("process_resident_memory_bytes")).isGreaterThan(1 << 20);
        assertThat(e.sum("headless_dns_records")).isEqualTo(running.server.updater().table().size());
        assertThat(e.sum("headless_dns_watch_events_total", "kind", "service_changed")).isEqualTo(1);
        assertThat(e.sum("headless_dns_watch_events_total", "kind", "synced")).isEqualTo(1);
        assertThat(e.sum("headless_dns_synced")).isEqualTo(1);
        assertThat(e.sum("coredns_build_info")).isEqualTo(1);
        // CoreDNS lists the plugins of its Corefile; --loadbalance round_robin (the default) is its loadbalance
        assertThat(e.sum("coredns_plugin_enabled", "name", "loadbalance")).isEqualTo(1);
        assertThat(e.sum("coredns_plugin_enabled", "name", "kubernetes")).isEqualTo(1);
    }

    @Test
    void healthAndReady_answer200_onceSynced() throws Exception {
        assertThat(Http.get(http, "/health").statusCode()).isEqualTo(200);
        assertThat(Http.get(http, "/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void records_dumpsWhatIsServed_likeKubeDnsCache() throws Exception {
        String pod0 = running.dig.shortAnswer("sts-web-0." + SVC).get(0);
        String one = Http.body(http, "/records?name=sts-web-0." + SVC);
        assertThat(one).contains("\"sts-web-0." + SVC + ".\":[{\"ttl\":5,\"type\":\"A\",\"data\":\"" + pod0 + "\"}]")
                .contains("\"names\":1");
        String all = Http.body(http, "/records");
        assertThat(all).contains("\"_web._tcp." + SVC + ".\":[{\"ttl\":5,\"type\":\"SRV\",\"data\":\"0 50 80 sts-web-")
                .contains("\"svc.cluster.local.\":[]") // an empty non-terminal exists without records
                .contains("\"names\":" + running.server.updater().table().size());
        HttpResponse<String> missing = Http.get(http, "/records?name=nope." + SVC);
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    private Exposition scrape() throws Exception {
        HttpResponse<String> r = Http.get(http, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return Exposition.parse(r.body());
    }

    private static long delta(Exposition before, Exposition after, String name, String... labels) {
        return Math.round(after.sum(name, labels) - before.sum(name, labels));
    }
}
