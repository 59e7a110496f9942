package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a real process, configured only through HEADLESS_DNS_* environment variables, stopped
 * the way Kubernetes stops it: SIGTERM ({@link Process#destroy()}), then /ready 503 at once, DNS answering
 * through the lame-duck period, and exit code 0. Its stdout is JSON lines ({@code --log-format json}).
 */
class ShutdownProcessTest {
    private static final String POD0 = "sts-web-0.svc-sts-nginx.default.svc.cluster.local";
    private static final int LAMEDUCK_SECONDS = 3;

    @TempDir
    Path dir;

    @Test
    void sigterm_readyTurns503_dnsAnswersThroughLameDuck_thenExitsZero() throws Exception {
        int dnsPort = FreePort.udpAndTcp();
        int httpPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            httpPort = s.getLocalPort();
        }
        Path log = dir.resolve("stdout.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), "io.headlessdns.server.Main")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("HEADLESS_DNS_MANIFESTS", Path.of("..", "deploy", "examples").toAbsolutePath().toString());
        env.put("HEADLESS_DNS_BIND", "127.0.0.1");
        env.put("HEADLESS_DNS_PORT", String.valueOf(dnsPort));
        env.put("HEADLESS_DNS_HTTP_PORT", String.valueOf(httpPort));
        env.put("HEADLESS_DNS_THREADS", "1");
        env.put("HEADLESS_DNS_LAMEDUCK", String.valueOf(LAMEDUCK_SECONDS));
        env.put("HEADLESS_DNS_LOG_FORMAT", "json");
        Process p = pb.start();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> Http.get(httpPort, "/ready").statusCode() == 200);
            Dig dig = new Dig(dnsPort);
            assertThat(dig.shortAnswer(POD0)).hasSize(1);

            long sigterm = System.nanoTime();
            p.destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Http.get(httpPort, "/ready").statusCode() == 503);
            assertThat(dig.shortAnswer(POD0)).hasSize(1);
            assertThat(dig.shortAnswer("+tcp", POD0)).hasSize(1);
            assertThat(System.nanoTime() - sigterm).isLessThan(TimeUnit.SECONDS.toNanos(LAMEDUCK_SECONDS));

            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(System.nanoTime() - sigterm).isGreaterThanOrEqualTo(TimeUnit.SECONDS.toNanos(LAMEDUCK_SECONDS));
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        assertThat(lines).isNotEmpty().allSatisfy(line ->
                assertThat(line).as("a JSON log line").startsWith("{").endsWith("}").contains("\"level\":"));
        String all = String.join("\n", lines);
        assertThat(all).contains("cluster synced: ").contains("lame duck").contains("\"formattedMessage\":\"stopped\"");
    }
}
