package io.headlessdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN section 2: dns-server consumes only the watcher's plain model; no fabric8 type crosses the
 * line. Checked on the sources, so a new import or qualified type name fails the build (the logger
 * name "io.fabric8", whose level the log setup lowers, names no type).
 */
class ModuleBoundaryTest {
    @Test
    void dnsServer_importsNoFabric8Type() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            List<String> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains("io.fabric8.");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(Path::toString).toList();
            assertThat(offenders).isEmpty();
        }
    }
}
