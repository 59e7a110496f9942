package io.headlessdns.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.wire.RecordType;
import org.junit.jupiter.api.Test;

/** Bucket and label arithmetic of the per-query meters (CoreDNS plugin/metrics/vars). */
class DnsMetricsTest {
    @Test
    void durationBucket_isTheFirstBoundAtOrAboveTheDuration_leInclusive() {
        // bounds 250 µs * 2^k, k = 0..15; an observation equal to a bound belongs to that bound (le)
        assertThat(DnsMetrics.durationBucket(0)).isEqualTo(0);
        assertThat(DnsMetrics.durationBucket(250_000)).isEqualTo(0);
        assertThat(DnsMetrics.durationBucket(250_001)).isEqualTo(1);
        assertThat(DnsMetrics.durationBucket(500_000)).isEqualTo(1);
        assertThat(DnsMetrics.durationBucket(500_001)).isEqualTo(2);
        assertThat(DnsMetrics.durationBucket(1_000_000)).isEqualTo(2);
        assertThat(DnsMetrics.durationBucket(8_192_000_000L)).isEqualTo(15);
        assertThat(DnsMetrics.durationBucket(8_192_000_001L)).isEqualTo(16); // +Inf
        assertThat(DnsMetrics.durationBucket(Long.MAX_VALUE)).isEqualTo(16);
    }

    @Test
    void durationBucket_agreesWithALinearSearchOfTheBounds() {
        for (long nanos = 0; nanos < 20_000_000_000L; nanos = nanos * 3 / 2 + 997) {
            int expected = 16;
            for (int k = 0; k < 16; k++) {
                if (nanos <= 250_000L << k) {
                    expected = k;
                    break;
                }
            }
            assertThat(DnsMetrics.durationBucket(nanos)).as("%d ns", nanos).isEqualTo(expected);
        }
    }

    @Test
    void sizeBucket_usesCoreDnsSizeBounds() {
        assertThat(DnsMetrics.sizeBucket(0)).isEqualTo(0);
        assertThat(DnsMetrics.sizeBucket(1)).isEqualTo(1);
        assertThat(DnsMetrics.sizeBucket(100)).isEqualTo(1);
        assertThat(DnsMetrics.sizeBucket(512)).isEqualTo(6);
        assertThat(DnsMetrics.sizeBucket(64000)).isEqualTo(13);
        assertThat(DnsMetrics.sizeBucket(65535)).isEqualTo(14); // +Inf
    }

    @Test
    void typeIndex_namesCoreDnsMonitoredTypes_andOtherForTheRest() {
        assertThat(DnsMetrics.TYPES[DnsMetrics.typeIndex(RecordType.A)]).isEqualTo("A");
        assertThat(DnsMetrics.TYPES[DnsMetrics.typeIndex(RecordType.SRV)]).isEqualTo("SRV");
        assertThat(DnsMetrics.TYPES[DnsMetrics.typeIndex(65)]).isEqualTo("HTTPS");
        assertThat(DnsMetrics.TYPES[DnsMetrics.typeIndex(RecordType.ANY)]).isEqualTo("ANY");
        assertThat(DnsMetrics.TYPES[DnsMetrics.typeIndex(99)]).isEqualTo("other"); // SPF
        assertThat(DnsMetrics.TYPES[DnsMetrics.typeIndex(257)]).isEqualTo("other"); // CAA
        assertThat(DnsMetrics.TYPES[DnsMetrics.typeIndex(-1)]).isEqualTo("other"); // unreadable question
    }

    @Test
    void record_countsOneRequestOneResponseAndOneObservationPerHistogram() {
        DnsMetrics m = new DnsMetrics();
        m.record(RecordType.AAAA, true, true, 3, DnsMetrics.PLUGIN_KUBERNETES, 40, 120, 300_000);
        String text = PrometheusText.write(new DnsCollector(m, "dns://:53", () -> 0).collect());
        assertThat(text)
                .contains("coredns_dns_requests_total{family=\"2\",proto=\"tcp\",server=\"dns://:53\",type=\"AAAA\",view=\"\",zone=\".\"} 1\n")
                .contains("coredns_dns_responses_total{plugin=\"kubernetes\",rcode=\"NXDOMAIN\",server=\"dns://:53\",view=\"\",zone=\".\"} 1\n")
                .contains("coredns_dns_request_duration_seconds_bucket{server=\"dns://:53\",type=\"AAAA\",view=\"\",zone=\".\",le=\"0.00025\"} 0\n")
                .contains("coredns_dns_request_duration_seconds_bucket{server=\"dns://:53\",type=\"AAAA\",view=\"\",zone=\".\",le=\"0.0005\"} 1\n")
                .contains("coredns_dns_request_duration_seconds_sum{server=\"dns://:53\",type=\"AAAA\",view=\"\",zone=\".\"} 0.0003\n")
                .contains("coredns_dns_request_size_bytes_sum{proto=\"tcp\",server=\"dns://:53\",view=\"\",zone=\".\"} 40\n")
                .contains("coredns_dns_response_size_bytes_bucket{proto=\"tcp\",server=\"dns://:53\",view=\"\",zone=\".\",le=\"200\"} 1\n")
                .contains("coredns_panics_total 0\n")
                .doesNotContain("proto=\"udp\""); // label sets appear once observed, as in CoreDNS
    }

    @Test
    void sizeHistograms_fromExactAndLargeSizes_haveCoreDnsBucketsAndTheExactByteSum() {
        DnsMetrics m = new DnsMetrics();
        // request sizes on both sides of the exact range (1023 is a bound, 1024 is counted as large)
        for (int size : new int[] {0, 100, 101, 1023, 1024, 5000, 65535}) {
            m.record(RecordType.A, false, false, 0, DnsMetrics.PLUGIN_KUBERNETES, size, 64, 1000);
        }
        String text = PrometheusText.write(new DnsCollector(m, "dns://:53", () -> 0).collect());
        String labels = "proto=\"udp\",server=\"dns://:53\",view=\"\",zone=\".\"";
        assertThat(text)
                .contains("coredns_dns_request_size_bytes_bucket{" + labels + ",le=\"0\"} 1\n")
                .contains("coredns_dns_request_size_bytes_bucket{" + labels + ",le=\"100\"} 2\n")
                .contains("coredns_dns_request_size_bytes_bucket{" + labels + ",le=\"200\"} 3\n")
                .contains("coredns_dns_request_size_bytes_bucket{" + labels + ",le=\"1023\"} 4\n")
                .contains("coredns_dns_request_size_bytes_bucket{" + labels + ",le=\"2047\"} 5\n")
                .contains("coredns_dns_request_size_bytes_bucket{" + labels + ",le=\"8291\"} 6\n")
                .contains("coredns_dns_request_size_bytes_bucket{" + labels + ",le=\"64000\"} 6\n")
                .contains("coredns_dns_request_size_bytes_bucket{" + labels + ",le=\"+Inf\"} 7\n")
                .contains("coredns_dns_request_size_bytes_sum{" + labels + "} " + (100 + 101 + 1023 + 1024 + 5000 + 65535) + "\n")
                .contains("coredns_dns_response_size_bytes_sum{" + labels + "} " + 7 * 64 + "\n");
    }

    @Test
    void requestsAndResponses_areEachTheirOwnSumsOfTheSameAnswers() {
        DnsMetrics m = new DnsMetrics();
        m.record(RecordType.A, false, false, 0, DnsMetrics.PLUGIN_KUBERNETES, 40, 56, 1000);
        m.record(RecordType.A, false, false, 3, DnsMetrics.PLUGIN_KUBERNETES, 40, 100, 1000);
        m.record(RecordType.A, false, true, 0, DnsMetrics.PLUGIN_FORWARD, 40, 56, 1000);
        m.record(RecordType.SRV, true, false, 0, DnsMetrics.PLUGIN_KUBERNETES, 40, 56, 1000);
        String text = PrometheusText.write(new DnsCollector(m, "dns://:53", () -> 0).collect());
        assertThat(text)
                .contains("coredns_dns_requests_total{family=\"1\",proto=\"udp\",server=\"dns://:53\",type=\"A\",view=\"\",zone=\".\"} 2\n")
                .contains("coredns_dns_requests_total{family=\"2\",proto=\"udp\",server=\"dns://:53\",type=\"A\",view=\"\",zone=\".\"} 1\n")
                .contains("coredns_dns_requests_total{family=\"1\",proto=\"tcp\",server=\"dns://:53\",type=\"SRV\",view=\"\",zone=\".\"} 1\n")
                .contains("coredns_dns_responses_total{plugin=\"kubernetes\",rcode=\"NOERROR\",server=\"dns://:53\",view=\"\",zone=\".\"} 2\n")
                .contains("coredns_dns_responses_total{plugin=\"kubernetes\",rcode=\"NXDOMAIN\",server=\"dns://:53\",view=\"\",zone=\".\"} 1\n")
                .contains("coredns_dns_responses_total{plugin=\"forward\",rcode=\"NOERROR\",server=\"dns://:53\",view=\"\",zone=\".\"} 1\n");
        assertThat(m.requestsTotal()).isEqualTo(4);
    }
}
