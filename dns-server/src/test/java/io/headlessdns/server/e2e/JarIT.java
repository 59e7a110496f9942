package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's first command, as a user runs it: the packaged jar on the example manifests, queried with dig
 * and nslookup. Runs in the integration-test phase, after the jar is built.
 */
class JarIT {
    private static final String SVC = "svc-sts-nginx.default.svc.cluster.local";

    @Test
    void packagedJar_servesTheExample_andRejectsAWrongFlag() throws Exception {
        Path jar = Path.of("target", "headless-dns.jar");
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Process bad = new ProcessBuilder(java, "-jar", jar.toString(), "--manifests", "../deploy/examples", "--port", "x")
                .redirectErrorStream(true).start();
        assertThat(bad.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(2);
        assertThat(new String(bad.getInputStream().readAllBytes())).contains("--port");

        int port = FreePort.udpAndTcp();
        File log = Files.createTempFile("headless-dns", ".log").toFile();
        Process server = new ProcessBuilder(java, "-jar", jar.toString(), "--manifests", "../deploy/examples",
                "--bind", "127.0.0.1", "--port", String.valueOf(port), "--http-port", "0")
                .redirectErrorStream(true).redirectOutput(log).start();
        try {
            Dig dig = new Dig(port);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> dig.shortAnswer(SVC).size() == 2);
            List<String> both = dig.shortAnswer(SVC);
            assertThat(dig.shortAnswer("sts-web-0." + SVC)).hasSize(1).isSubsetOf(both);
            assertThat(dig.shortAnswer("+tcp", "sts-web-1." + SVC)).hasSize(1).isSubsetOf(both);
            assertThat(dig.nslookup("sts-web-0." + SVC)).contains("Address: " + dig.shortAnswer("sts-web-0." + SVC).get(0));
            assertThat(Files.readString(log.toPath())).contains("DNS on 127.0.0.1:" + port);
            // coredns_build_info names the commit the jar was built from (the build stamps it from git)
            Matcher http = Pattern.compile("HTTP on 127\\.0\\.0\\.1:(\\d+)")
                    .matcher(Files.readString(log.toPath()));
            assertThat(http.find()).isTrue();
            String metrics = new String(new URL("http://127.0.0.1:" + http.group(1) + "/metrics")
                    .openStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(metrics).contains("revision=\"" + gitHead() + "\"");
        } finally {
            server.destroy();
            server.waitFor(20, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
    }

    /** The checkout's commit; the test runs where the jar was built, inside the repository. */
    private static String gitHead() throws Exception {
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(new File("..")).start();
        String head = new String(git.getInputStream().readAllBytes()).trim();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(head).matches("[0-9a-f]{40}");
        return head;
    }
}
