package io.headlessdns.k8s.manifest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The manifest reader on arbitrary text: parsing and building the cluster snapshot either yield a
 * {@link ClusterSnapshot} or a {@link ManifestException} (which the source logs with file and line, keeping
 * the last good state); no other exception may escape, since that would take the watch loop down.
 */
class ManifestFuzzTest {
    private static final Path FILE = Path.of("fuzz.yaml");

    @FuzzTest(maxDuration = "150s")
    void yaml(byte[] bytes) {
        // raw bytes, decoded as the source decodes files, so that seeds are plain YAML files
        String text = new String(bytes, StandardCharsets.UTF_8);
        Manifests manifests = new Manifests();
        ClusterSnapshot snapshot;
        try {
            new ManifestParser().parse(FILE, text, manifests);
            snapshot = SnapshotBuilder.build(manifests);
        } catch (ManifestException expected) {
            return;
        }
        if (snapshot == null) {
            throw new AssertionError("no snapshot and no ManifestException");
        }
    }
}
