package io.headlessdns.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot format: what is written reads back equal; anything else is rejected whole, with the reason. */
class SnapshotFileTest {
    private static final PortView HTTP = new PortView("http", 80, "TCP");
    private static final ClusterState STATE = new ClusterState(List.of(
            new ServiceView(new ServiceKey("default", "web"), ServiceType.HEADLESS, List.of(), null, false, List.of(HTTP),
                    List.of(new EndpointView(List.of("10.1.0.10"), "web-0", true, true, false, "web-0", List.of(HTTP)),
                            new EndpointView(List.of("fd00::1"), null, false, false, true, null, List.of())),
                    Instant.ofEpochMilli(1_700_000_000_000L), true),
            new ServiceView(new ServiceKey("kube-system", "ext"), ServiceType.EXTERNAL_NAME, List.of(), "example.org",
                    false, List.of(), List.of(), null, false),
            new ServiceView(new ServiceKey("default", "api"), ServiceType.CLUSTER_IP, List.of("10.96.0.5", "fd00::5"), null,
                    true, List.of(HTTP), List.of(), null, true)),
            List.of(new PodView("default", "web-0", List.of("10.1.0.10"), "web-0", "web"),
                    new PodView("default", "p", List.of(), null, null)),
            List.of("default", "kube-system"));

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void write() throws Exception {
        file = dir.resolve("snap");
        SnapshotFile.write(file, "cluster.local", STATE);
    }

    @Test
    void roundTrip_readsBackTheSameModel() throws Exception {
        assertThat(SnapshotFile.read(file, "cluster.local")).isEqualTo(STATE);
        assertThat(Files.list(dir)).as("no temp file left behind").containsExactly(file);
    }

    @Test
    void otherClusterDomain_isRejected() {
        assertThatThrownBy(() -> SnapshotFile.read(file, "example.internal"))
                .isInstanceOf(SnapshotFile.Rejected.class).hasMessageContaining("cluster domain cluster.local");
    }

    @Test
    void badMagic_isRejected() throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[0] = 'X';
        Files.write(file, b);
        assertThatThrownBy(() -> SnapshotFile.read(file, "cluster.local")).hasMessageContaining("magic");
    }

    @Test
    void otherVersion_isRejected() throws Exception {
        byte[] b = Files.readAllBytes(file);
        ByteBuffer.wrap(b).putInt(SnapshotFile.MAGIC.length, 2);
        Files.write(file, b);
        assertThatThrownBy(() -> SnapshotFile.read(file, "cluster.local")).hasMessageContaining("version 2");
    }

    @Test
    void flippedByteInTheBody_failsTheChecksum() throws Exception {
        byte[] b = Files.readAllBytes(file);
        b[b.length - 10] ^= 1;
        Files.write(file, b);
        assertThatThrownBy(() -> SnapshotFile.read(file, "cluster.local")).hasMessageContaining("checksum");
    }

    @Test
    void truncatedAnywhere_isRejected() throws Exception {
        byte[] b = Files.readAllBytes(file);
        for (int cut = 0; cut < b.length; cut += 7) {
            Files.write(file, Arrays.copyOf(b, cut));
            assertThatThrownBy(() -> SnapshotFile.read(file, "cluster.local")).as("cut at " + cut)
                    .isInstanceOf(SnapshotFile.Rejected.class);
        }
    }

    @Test
    void emptyOrForeignFile_isRejected() throws Exception {
        Files.write(file, new byte[0]);
        assertThatThrownBy(() -> SnapshotFile.read(file, "cluster.local")).isInstanceOf(SnapshotFile.Rejected.class);
        Files.writeString(file, "{\"services\": []}");
        assertThatThrownBy(() -> SnapshotFile.read(file, "cluster.local")).isInstanceOf(SnapshotFile.Rejected.class);
    }
}
