package io.headlessdns.k8s.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading manifest files leaves no native memory behind in the reading thread. */
class ManifestFilesTest {

    @TempDir
    Path dir;

    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }

    /**
     * A large file is read whole and exactly, and the JDK's per-thread temporary direct buffer stays at
     * the read step's size, not the file's (it stays cached for as long as the thread lives: the watch
     * thread lives as long as the server).
     */
    @Test
    void largeFile_isReadExactly_withoutCachingAFileSizedDirectBuffer() throws Exception {
        byte[] content = new byte[8 * 1024 * 1024 + 17];
        Arrays.fill(content, (byte) 'x');
        Path file = Files.write(dir.resolve("big.yaml"), content);
        AtomicLong grown = new AtomicLong();
        AtomicReference<Object> read = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            long before = directBytes();
            try {
                read.set(ManifestFiles.read(List.of(file)));
            } catch (ManifestException e) {
                read.set(e);
            }
            grown.set(directBytes() - before);
        });
        reader.start();
        reader.join(30_000);
        assertThat(read.get()).isInstanceOf(ManifestFiles.Content.class);
        assertThat(((ManifestFiles.Content) read.get()).texts().get(0)).hasSize(content.length);
        assertThat(grown.get()).isLessThanOrEqualTo(ManifestFiles.CHUNK);
    }
}
