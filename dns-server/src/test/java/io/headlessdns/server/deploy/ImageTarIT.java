package io.headlessdns.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headlessdns.server.e2e.Dig;
import io.headlessdns.server.e2e.FreePort;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The image tarball of {@code mvn -Pimage package} (Jib, FROM scratch): its config runs as 65532 with the
 * DNS and metrics ports and the Dockerfile's JVM flags, and its layers, unpacked as a read-only root,
 * serve DNS. Runs only in the image profile, which passes the tarball's path.
 */
class ImageTarIT {
    private static final String POD0 = "sts-web-0.svc-sts-nginx.default.svc.cluster.local";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void imageConfig_nonRootUser_dnsAndMetricsPorts_dockerfileJvmFlags_andItServes() throws Exception {
        String tarPath = System.getProperty("headlessdns.image.tar");
        Assumptions.assumeTrue(tarPath != null, "only in the image profile (mvn -Pimage package)");
        Map<String, byte[]> image = entries(Files.newInputStream(Path.of(tarPath)), null);
        JsonNode manifest = JSON.readTree(image.get("manifest.json")).get(0);
        JsonNode config = JSON.readTree(image.get(manifest.get("Config").asString())).get("config");

        assertThat(config.get("User").asString()).isEqualTo("65532:65532");
        assertThat(names(config.get("ExposedPorts"))).containsExactlyInAnyOrder("1053/udp", "1053/tcp", "9153/tcp");
        List<String> entrypoint = strings(config.get("Entrypoint"));
        List<String> flags = Confined.dockerfileJvmFlags();
        assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint.subList(1, 1 + flags.size())).as("the Dockerfile's JVM flags").isEqualTo(flags);
        assertThat(entrypoint.subList(1 + flags.size(), entrypoint.size()))
                .containsExactly("-cp", "@/app/jib-classpath-file", "io.headlessdns.server.Main");
        assertThat(strings(config.get("Cmd"))).isEqualTo(Confined.dockerfileArray("CMD"));

        // unpack the layers in order, as a container runtime would, and run the entrypoint on it
        Path root = dir.resolve("root");
        Map<String, Integer> modes = new HashMap<>();
        for (JsonNode layer : manifest.get("Layers")) {
            entries(new GZIPInputStream(new ByteArrayInputStream(image.get(layer.asString()))), root, modes);
        }
        assertThat(modes.get("opt/java/bin/java") & 0111).as("java is executable").isNotZero();
        assertThat(root.resolve("app/jib-classpath-file")).exists();
        assertThat(root.resolve("lib64/ld-linux-x86-64.so.2")).exists();

        int dnsPort = FreePort.udpAndTcp();
        List<String> command = new ArrayList<>(entrypoint);
        command.addAll(List.of("--manifests", "/data", "--bind", "127.0.0.1", "--port", String.valueOf(dnsPort),
                "--http-port", "0", "--threads", "1", "--lameduck", "0"));
        File log = dir.resolve("server.log").toFile();
        Process p = Confined.inRoot(root, DeployManifestsTest.DEPLOY.resolve("examples"), command, log);
        try {
            Dig dig = new Dig(dnsPort);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                    .until(() -> dig.shortAnswer(POD0).size() == 1);
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String out = Files.readString(log.toPath());
        assertThat(out).as(out).contains("epoll").doesNotContain("WARN")
                .contains("headless-dns " + System.getProperty("headlessdns.image.version") + " on Java");
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static Map<String, byte[]> entries(InputStream in, Path unpackTo) throws IOException {
        return entries(in, unpackTo, new HashMap<>());
    }

    /**
     * A ustar/PAX reader, enough for Jib's tarballs: regular files (kept in memory, or written under
     * {@code unpackTo} with their mode recorded), directories and PAX long names.
     */
    private static Map<String, byte[]> entries(InputStream in, Path unpackTo, Map<String, Integer> modes) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        String paxPath = null;
        try (in) {
            while (true) {
                byte[] header = in.readNBytes(512);
                if (header.length < 512 || header[0] == 0) {
                    return out;
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                int mode = Integer.parseInt(field(header, 100, 8).trim(), 8);
                char type = (char) header[156];
                byte[] body = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                if (type == 'x') {
                    for (String rec : new String(body, StandardCharsets.UTF_8).split("\n")) {
                        int eq = rec.indexOf(" path=");
                        if (eq > 0) {
                            paxPath = rec.substring(eq + 6);
                        }
                    }
                    continue;
                }
                if (paxPath != null) {
                    name = paxPath;
                    paxPath = null;
                }
                name = name.startsWith("./") ? name.substring(2) : name.startsWith("/") ? name.substring(1) : name;
                if (unpackTo == null) {
                    out.put(name, body);
                } else if (type == '5') {
                    Files.createDirectories(unpackTo.resolve(name));
                } else if (type == '0' || type == 0) {
                    Path f = unpackTo.resolve(name);
                    Files.createDirectories(f.getParent());
                    Files.write(f, body);
                    modes.put(name, mode);
                    f.toFile().setExecutable((mode & 0111) != 0, false);
                }
            }
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }

    private static Set<String> names(JsonNode object) {
        return Set.copyOf(object.propertyNames());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }
}
