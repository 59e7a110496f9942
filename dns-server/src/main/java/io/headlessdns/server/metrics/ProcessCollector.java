package io.headlessdns.server.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process metrics every Prometheus client library exports, under their standard names
 * ({@code process_cpu_seconds_total}, {@code process_resident_memory_bytes},
 * {@code process_virtual_memory_bytes}, {@code process_open_fds}, {@code process_max_fds},
 * {@code process_start_time_seconds}), read from /proc at scrape time as the Go client's procfs collector
 * does. CoreDNS dashboards graph these; Micrometer's own binders use other names. Off Linux (no /proc)
 * it exports nothing.
 */
public final class ProcessCollector implements MultiCollector {
    /** USER_HZ and the page size are fixed on Linux x86-64; the Go procfs library assumes the same. */
    private static final double TICKS_PER_SECOND = 100;
    private static final long PAGE_SIZE = 4096;

    private final Path proc;

    public ProcessCollector() {
        this(Path.of("/proc"));
    }

    ProcessCollector(Path proc) {
        this.proc = proc;
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>();
        try {
            String stat = Files.readString(proc.resolve("self/stat"));
            // fields after the command name, which is in parentheses and may contain spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            // f[0] is field 3 (state): utime is field 14, stime 15, starttime 22, vsize 23, rss 24
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            out.add(CounterSnapshot.builder().name("process_cpu_seconds").help("Total user and system CPU time spent in seconds.")
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(cpu).build()).build());
            out.add(gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", Long.parseLong(f[20])));
            out.add(gauge("process_resident_memory_bytes", "Resident memory size in bytes.", Long.parseLong(f[21]) * PAGE_SIZE));
            long bootTime = bootTime();
            if (bootTime > 0) {
                out.add(gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                        bootTime + Long.parseLong(f[19]) / TICKS_PER_SECOND));
            }
            out.add(gauge("process_open_fds", "Number of open file descriptors.", openFds()));
            long max = maxFds();
            if (max > 0) {
                out.add(gauge("process_max_fds", "Maximum number of open file descriptors.", max));
            }
        } catch (IOException | RuntimeException e) {
            return new MetricSnapshots(out); // no /proc (not Linux) or an unexpected format: export what was read
        }
        return new MetricSnapshots(out);
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private long bootTime() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("stat"))) {
            if (line.startsWith("btime ")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        return -1;
    }

    private long openFds() throws IOException {
        long n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("self/fd"))) {
            for (Path ignored : fds) {
                n++;
            }
        }
        return n;
    }

    private long maxFds() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split(" +")[0];
                return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
            }
        }
        return -1;
    }
}
