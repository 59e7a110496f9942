package io.headlessdns.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the side-by-side load harness from rotting: {@code bench/load.sh --smoke} (a tiny cluster,
 * one-second runs) must start headless-dns, Knot DNS and NSD, get answers from all three with dnsperf and
 * with the batched client (bench/mmsgperf.c, compiled by the script), and summarise.
 * No figure from it is a claim; the full run is manual (bench/README.md).
 */
class LoadHarnessSmokeIT {
    @TempDir
    Path out;

    @Test
    void smokeRun_measuresAllThreeServers() throws Exception {
        Process p = new ProcessBuilder("bash", "bench/load.sh", "--smoke", "--out", out.toString())
                .directory(Path.of("..").toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(240, TimeUnit.SECONDS)).as(log).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        for (String phase : List.of("peak", "bpeak")) {
            for (String server : List.of("headless-dns", "knot", "nsd")) {
                assertThat(csv).as(log).anySatisfy(line -> {
                    String[] f = line.split(",");
                    assertThat(f[0]).isEqualTo(phase);
                    assertThat(f[4]).isEqualTo(server);
                    assertThat(Double.parseDouble(f[5])).isGreaterThan(100);
                });
            }
        }
        assertThat(Files.readString(out.resolve("summary.md")))
                .contains("| peak | 1 | service | headless-dns |")
                .contains("| bpeak | 1 | service | headless-dns |");
    }
}
