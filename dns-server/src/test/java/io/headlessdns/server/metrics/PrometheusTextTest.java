package io.headlessdns.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

/** Numbers as the Go client prints them (strconv.FormatFloat(v, 'g', -1, 64)), and the 0.0.4 syntax. */
class PrometheusTextTest {
    @Test
    void format_printsFloatsAsGoStrconvShortestG() {
        assertThat(PrometheusText.format(0.00025)).isEqualTo("0.00025");
        assertThat(PrometheusText.format(0.0005)).isEqualTo("0.0005");
        assertThat(PrometheusText.format(4.096)).isEqualTo("4.096");
        assertThat(PrometheusText.format(8.192)).isEqualTo("8.192");
        assertThat(PrometheusText.format(0.0001)).isEqualTo("0.0001");
        assertThat(PrometheusText.format(0.00001)).isEqualTo("1e-05");
        assertThat(PrometheusText.format(0)).isEqualTo("0");
        assertThat(PrometheusText.format(1)).isEqualTo("1");
        assertThat(PrometheusText.format(100)).isEqualTo("100");
        assertThat(PrometheusText.format(64000)).isEqualTo("64000");
        assertThat(PrometheusText.format(999999)).isEqualTo("999999");
        assertThat(PrometheusText.format(1e6)).isEqualTo("1e+06");
        assertThat(PrometheusText.format(1234567)).isEqualTo("1.234567e+06");
        assertThat(PrometheusText.format(1.5e300)).isEqualTo("1.5e+300");
        assertThat(PrometheusText.format(-2.5)).isEqualTo("-2.5");
        assertThat(PrometheusText.format(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(PrometheusText.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PrometheusText.format(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void write_escapesLabelValuesAndHelp() {
        MetricSnapshots s = MetricSnapshots.of(CounterSnapshot.builder().name("x").help("a\\b\nc")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(2)
                        .labels(Labels.of("q", "say \"hi\"\\\n")).build()).build());
        assertThat(PrometheusText.write(s)).isEqualTo(
                "# HELP x_total a\\\\b\\nc\n# TYPE x_total counter\nx_total{q=\"say \\\"hi\\\"\\\\\\n\"} 2\n");
    }
}
