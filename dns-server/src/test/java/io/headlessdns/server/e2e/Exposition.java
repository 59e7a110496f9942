package io.headlessdns.server.e2e;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4
 * (prometheus.io/docs/instrumenting/exposition_formats): every line must be a HELP, a TYPE or a sample;
 * names, label names, escapes and numbers must be well formed; a family's TYPE comes once, before its
 * samples, which are contiguous; histogram buckets are cumulative and end in {@code le="+Inf"} equal to
 * {@code _count}. Any violation throws with the line.
 */
final class Exposition {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");
    private static final Pattern NUMBER = Pattern.compile("[+-]?Inf|NaN|[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

    /** A sample's name and labels, labels sorted by name. */
    record Series(String name, Map<String, String> labels) {
    }

    final Map<Series, Double> samples = new LinkedHashMap<>();
    final Map<String, String> types = new HashMap<>();
    /** The le label values seen per histogram family, in order of appearance for the first series. */
    final Map<String, List<String>> bucketBounds = new HashMap<>();
    private final Map<String, Series> firstSeries = new HashMap<>();

    static Exposition parse(String text) {
        Exposition e = new Exposition();
        e.read(text);
        return e;
    }

    private void read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("exposition must end with a newline");
        }
        Set<String> finished = new HashSet<>();
        String current = null;
        Map<Series, Double> lastBucket = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                continue;
            }
            if ((m = TYPE.matcher(line)).matches()) {
                String family = m.group(1);
                if (types.put(family, m.group(2)) != null) {
                    throw new AssertionError("second TYPE for " + family + ": " + line);
                }
                if (current != null) {
                    finished.add(current);
                }
                current = family;
                continue;
            }
            if (line.startsWith("#")) {
                continue; // other comments are allowed
            }
            if (!(m = SAMPLE.matcher(line)).matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            String name = m.group(1);
            String family = familyOf(name);
            if (finished.contains(family)) {
                throw new AssertionError("samples of " + family + " are not contiguous: " + line);
            }
            if (!family.equals(current)) {
                if (current != null) {
                    finished.add(current);
                }
                current = family;
            }
            Map<String, String> labels = labels(m.group(3) == null ? "" : m.group(3), line);
            if (!NUMBER.matcher(m.group(4)).matches()) {
                throw new AssertionError("not a number: " + line);
            }
            double value = Double.parseDouble(m.group(4).replace("Inf", "Infinity"));
            Series s = new Series(name, labels);
            if (samples.put(s, value) != null) {
                throw new AssertionError("duplicate series: " + line);
            }
            if (name.endsWith("_bucket") && "histogram".equals(types.get(family))) {
                checkBucket(family, s, value, lastBucket, line);
            }
            if (name.endsWith("_count") && "histogram".equals(types.get(family))) {
                Map<String, String> inf = new TreeMap<>(labels);
                inf.put("le", "+Inf");
                Double infCount = samples.get(new Series(family + "_bucket", inf));
                if (infCount == null || infCount != value) {
                    throw new AssertionError("_count differs from the +Inf bucket (" + infCount + "): " + line);
                }
            }
        }
    }

    private void checkBucket(String family, Series s, double value, Map<Series, Double> lastBucket, String line) {
        String le = s.labels().get("le");
        if (le == null) {
            throw new AssertionError("bucket without le: " + line);
        }
        Map<String, String> rest = new TreeMap<>(s.labels());
        rest.remove("le");
        Series key = new Series(family, rest);
        Double before = lastBucket.put(key, value);
        if (before != null && before > value) {
            throw new AssertionError("buckets not cumulative: " + line);
        }
        if (key.equals(firstSeries.computeIfAbsent(family, f -> key))) {
            bucketBounds.computeIfAbsent(family, f -> new java.util.ArrayList<>()).add(le);
        }
    }

    private String familyOf(String sampleName) {
        for (String suffix : new String[] {"_bucket", "_count", "_sum"}) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                if ("histogram".equals(types.get(base)) || "summary".equals(types.get(base))) {
                    return base;
                }
            }
        }
        return sampleName;
    }

    private static Map<String, String> labels(String text, String line) {
        Map<String, String> labels = new TreeMap<>();
        Matcher m = LABEL.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new AssertionError("bad labels: " + line);
            }
            String value = m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
            if (labels.put(m.group(1), value) != null) {
                throw new AssertionError("duplicate label " + m.group(1) + ": " + line);
            }
            at = m.end();
        }
        return labels;
    }

    /** Sum of the samples named {@code name} whose labels include all of {@code match} (k1, v1, k2, v2...). */
    double sum(String name, String... match) {
        double total = 0;
        for (Map.Entry<Series, Double> e : samples.entrySet()) {
            if (e.getKey().name().equals(name) && matches(e.getKey().labels(), match)) {
                total += e.getValue();
            }
        }
        return total;
    }

    private static boolean matches(Map<String, String> labels, String... match) {
        for (int i = 0; i < match.length; i += 2) {
            if (!match[i + 1].equals(labels.get(match[i]))) {
                return false;
            }
        }
        return true;
    }
}
