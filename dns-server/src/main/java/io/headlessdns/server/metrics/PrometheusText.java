package io.headlessdns.server.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.math.BigDecimal;

/**
 * Writes metric snapshots in the Prometheus text exposition format 0.0.4, with numbers printed as the Go
 * client (and so CoreDNS) prints them: {@code 0.00025}, {@code 100}, {@code 1e+06}, where the Java client
 * prints {@code 2.5E-4} and {@code 100.0}.
 *
 * <p>Design note: why not the client's own writer. A bucket bound is the {@code le} label's value, and
 * Prometheus before 3.0 compares label values as strings, so {@code le="2.5E-4"} and {@code le="0.00025"}
 * are different series: a dashboard or recording rule that selects CoreDNS's {@code le} would find
 * nothing. This writer covers every snapshot type the registry holds (Micrometer's meters and native
 * collectors alike), so any part that registers a histogram gets CoreDNS-compatible bounds for free.
 */
public final class PrometheusText {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    public static String write(MetricSnapshots snapshots) {
        StringBuilder out = new StringBuilder(16 << 10);
        for (MetricSnapshot s : snapshots) {
            if (s.getDataPoints().isEmpty()) {
                continue;
            }
            String name = s.getMetadata().getPrometheusName();
            String help = s.getMetadata().getHelp();
            if (s instanceof CounterSnapshot c) {
                header(out, name + "_total", help, "counter");
                for (CounterSnapshot.CounterDataPointSnapshot d : c.getDataPoints()) {
                    sample(out, name + "_total", d.getLabels(), null, 0, format(d.getValue()));
                }
            } else if (s instanceof GaugeSnapshot g) {
                header(out, name, help, "gauge");
                for (GaugeSnapshot.GaugeDataPointSnapshot d : g.getDataPoints()) {
                    sample(out, name, d.getLabels(), null, 0, format(d.getValue()));
                }
            } else if (s instanceof HistogramSnapshot h) {
                histogram(out, name, help, h);
            } else if (s instanceof SummarySnapshot sum) {
                header(out, name, help, "summary");
                for (SummarySnapshot.SummaryDataPointSnapshot d : sum.getDataPoints()) {
                    for (Quantile q : d.getQuantiles()) {
                        sample(out, name, d.getLabels(), "quantile", q.getQuantile(), format(q.getValue()));
                    }
                    if (d.hasCount()) {
                        sample(out, name + "_count", d.getLabels(), null, 0, Long.toString(d.getCount()));
                    }
                    if (d.hasSum()) {
                        sample(out, name + "_sum", d.getLabels(), null, 0, format(d.getSum()));
                    }
                }
            } else if (s instanceof InfoSnapshot info) {
                header(out, name + "_info", help, "gauge");
                for (InfoSnapshot.InfoDataPointSnapshot d : info.getDataPoints()) {
                    sample(out, name + "_info", d.getLabels(), null, 0, "1");
                }
            } else if (s instanceof StateSetSnapshot set) {
                header(out, name, help, "gauge");
                for (StateSetSnapshot.StateSetDataPointSnapshot d : set.getDataPoints()) {
                    for (int i = 0; i < d.size(); i++) {
                        sample(out, name, d.getLabels().add(name, d.getName(i)), null, 0, d.isTrue(i) ? "1" : "0");
                    }
                }
            } else if (s instanceof UnknownSnapshot u) {
                header(out, name, help, "untyped");
                for (UnknownSnapshot.UnknownDataPointSnapshot d : u.getDataPoints()) {
                    sample(out, name, d.getLabels(), null, 0, format(d.getValue()));
                }
            }
        }
        return out.toString();
    }

    private static void histogram(StringBuilder out, String name, String help, HistogramSnapshot h) {
        header(out, name, help, "histogram"); // 0.0.4 has no gauge histogram type; nothing here makes one
        for (HistogramSnapshot.HistogramDataPointSnapshot d : h.getDataPoints()) {
            ClassicHistogramBuckets b = d.getClassicBuckets();
            long cumulative = 0;
            if (b.isEmpty()) {
                cumulative = d.getCount();
                sample(out, name + "_bucket", d.getLabels(), "le", Double.POSITIVE_INFINITY, Long.toString(cumulative));
            }
            for (int i = 0; i < b.size(); i++) {
                cumulative += b.getCount(i);
                sample(out, name + "_bucket", d.getLabels(), "le", b.getUpperBound(i), Long.toString(cumulative));
            }
            sample(out, name + "_count", d.getLabels(), null, 0, Long.toString(d.hasCount() ? d.getCount() : cumulative));
            if (d.hasSum()) {
                sample(out, name + "_sum", d.getLabels(), null, 0, format(d.getSum()));
            }
        }
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        if (help != null && !help.isBlank()) {
            out.append("# HELP ").append(name).append(' ');
            for (int i = 0; i < help.length(); i++) {
                char c = help.charAt(i);
                if (c == '\\') {
                    out.append("\\\\");
                } else if (c == '\n') {
                    out.append("\\n");
                } else {
                    out.append(c);
                }
            }
            out.append('\n');
        }
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, Labels labels, String extraName, double extraValue, String value) {
        out.append(name);
        if (!labels.isEmpty() || extraName != null) {
            out.append('{');
            for (int i = 0; i < labels.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                label(out, labels.getPrometheusName(i), labels.getValue(i));
            }
            if (extraName != null) {
                if (!labels.isEmpty()) {
                    out.append(',');
                }
                label(out, extraName, format(extraValue));
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    private static void label(StringBuilder out, String name, String value) {
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('"');
    }

    /**
     * A float as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)} prints it, which the Go Prometheus client
     * uses for values and bucket bounds: the shortest digits that read back as the same double, in
     * exponent form only when the decimal exponent is below -4 or at least 6.
     */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale(); // decimal exponent of the first digit
        StringBuilder sb = new StringBuilder(24);
        if (v < 0) {
            sb.append('-');
        }
        if (exp < -4 || exp >= 6) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            int e = Math.abs(exp);
            sb.append('e').append(exp < 0 ? '-' : '+').append(e < 10 ? "0" : "").append(e);
        } else if (exp < 0) {
            sb.append("0.");
            sb.append("0".repeat(-exp - 1)).append(digits);
        } else if (digits.length() <= exp + 1) {
            sb.append(digits).append("0".repeat(exp + 1 - digits.length()));
        } else {
            sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
        }
        return sb.toString();
    }
}
