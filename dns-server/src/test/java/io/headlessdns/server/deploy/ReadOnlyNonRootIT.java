package io.headlessdns.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headlessdns.server.e2e.Dig;
import io.headlessdns.server.e2e.FreePort;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar, started with the image's JVM flags (the Dockerfile's ENTRYPOINT) as the pod runs it:
 * UID 65532, no capabilities, a read-only root file system and a writable /tmp only. It must serve: no
 * hsperfdata or temp file outside /tmp, Netty's native epoll transport unpacked into /tmp.
 */
class ReadOnlyNonRootIT {
    private static final String POD0 = "sts-web-0.svc-sts-nginx.default.svc.cluster.local";

    @TempDir
    Path dir;

    @Test
    void jar_asUid65532_onAReadOnlyRoot_servesDig() throws Exception {
        Path built = Path.of("target", "headless-dns.jar").toAbsolutePath();
        assertThat(built).exists();
        // what the image's /app is: readable by every user (a checkout may sit in a 0700 folder UID 65532
        // cannot enter), outside /tmp (which gets a fresh tmpfs)
        Path app = Files.createTempDirectory(Path.of("/var/tmp"), "headless-dns-app");
        Path jar = app.resolve("headless-dns.jar");
        Path examples = app.resolve("examples");
        Files.copy(built, jar);
        Files.createDirectories(examples);
        try (var files = Files.list(DeployManifestsTest.DEPLOY.resolve("examples"))) {
            for (Path f : files.toList()) {
                Files.copy(f, examples.resolve(f.getFileName()));
                Files.setPosixFilePermissions(examples.resolve(f.getFileName()), PosixFilePermissions.fromString("rw-r--r--"));
            }
        }
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        for (Path d : List.of(app, examples)) {
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try {
            servesAsNonRoot(jar, examples);
        } finally {
            try (var all = Files.walk(app)) {
                for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    private void servesAsNonRoot(Path jar, Path examples) throws Exception {
        int dnsPort = FreePort.udpAndTcp();
        int httpPort;
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(Confined.dockerfileJvmFlags());
        command.addAll(List.of("-Xmx128m", "-jar", jar.toString(),
                "--manifests", examples.toString(),
                "--bind", "127.0.0.1", "--port", String.valueOf(dnsPort), "--http-port", String.valueOf(httpPort),
                "--threads", "1", "--lameduck", "0"));
        File log = dir.resolve("server.log").toFile();
        Process p = Confined.onHostRoot(command, log);
        try {
            Dig dig = new Dig(dnsPort);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                    .until(() -> dig.shortAnswer(POD0).size() == 1);
            assertThat(dig.shortAnswer("+tcp", POD0)).hasSize(1);
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            // unshare, sh and setpriv exec in turn: the pid is the JVM's
            assertThat(Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status")))
                    .contains("Uid:\t65532\t65532\t65532\t65532", "Gid:\t65532\t65532\t65532\t65532", "CapEff:\t0000000000000000");
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String out = Files.readString(log.toPath());
        assertThat(out).as(out).contains("epoll").doesNotContainIgnoringCase("read-only file system")
                .doesNotContain("hsperfdata").doesNotContain("WARN");
        assertThat(p.exitValue()).as(out).isZero();
    }
}
