package io.headlessdns.k8s.manifest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files behind a list of manifest paths: a file is itself, a folder is every {@code *.yaml},
 * {@code *.yml} and {@code *.json} below it, recursively, sorted by path. Names starting with {@code .}
 * are skipped: editor lock files, and the {@code ..data} links of a mounted ConfigMap, which would
 * otherwise be read twice.
 */
final class ManifestFiles {

    /** The text of every file and a digest over all of it (to notice a change of content, not of mtime). */
    record Content(List<Path> files, List<String> texts, String digest) {
    }

    private ManifestFiles() {
    }

    static List<Path> list(List<Path> roots) throws ManifestException {
        TreeSet<Path> files = new TreeSet<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                throw new ManifestException(root, 0, "no such file or directory");
            }
            if (!Files.isDirectory(root)) {
                files.add(root);
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(p -> Files.isRegularFile(p) && manifestName(p) && !hidden(root, p)).forEach(files::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new ManifestException(root, 0, "cannot list: " + e.getMessage(), e);
            }
        }
        return List.copyOf(files);
    }

    static Content read(List<Path> roots) throws ManifestException {
        List<Path> files = list(roots);
        List<String> texts = new ArrayList<>(files.size());
        MessageDigest digest = sha256();
        for (Path f : files) {
            try {
                byte[] bytes = readFile(f);
                digest.update(f.toString().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(bytes);
                digest.update((byte) 0);
                texts.add(new String(bytes, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ManifestException(f, 0, "cannot read: " + e, e);
            }
        }
        return new Content(files, texts, HexFormat.of().formatHex(digest.digest()));
    }

    /** Read steps: the largest direct buffer the JDK caches for the reading thread (see {@link #readFile}). */
    static final int CHUNK = 64 * 1024;

    /**
     * A file's bytes, read {@value #CHUNK} bytes at a time. Files.readAllBytes reads the whole file at once,
     * through a temporary direct buffer of the file's size that the JDK then keeps cached for the thread
     * (sun.nio.ch.Util): 16 MB of native memory for good, for a 16 MB manifest, on the watch thread.
     */
    static byte[] readFile(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Files.size(f) + 1, Integer.MAX_VALUE - 8));
            byte[] chunk = new byte[CHUNK];
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        }
    }

    /**
     * Cheap identity of the current files: path, size, mtime and file key (the inode, which changes when
     * an editor replaces a file by rename). Never throws; a problem becomes part of the fingerprint.
     */
    static String fingerprint(List<Path> roots) {
        StringBuilder sb = new StringBuilder();
        try {
            for (Path f : list(roots)) {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                sb.append(f).append('|').append(a.size()).append('|').append(a.lastModifiedTime().toMillis())
                        .append('|').append(a.fileKey()).append('\n');
            }
        } catch (ManifestException | IOException e) {
            sb.append("error: ").append(e.getMessage());
        }
        return sb.toString();
    }

    /** Every folder whose entries can change the result: the folders walked and the parents of files. */
    static List<Path> directories(List<Path> roots) {
        TreeSet<Path> dirs = new TreeSet<>();
        for (Path root : roots) {
            Path abs = root.toAbsolutePath();
            if (!Files.isDirectory(abs)) {
                if (abs.getParent() != null && Files.isDirectory(abs.getParent())) {
                    dirs.add(abs.getParent());
                }
                continue;
            }
            try (Stream<Path> walk = Files.walk(abs)) {
                walk.filter(p -> Files.isDirectory(p) && !hidden(abs, p)).forEach(dirs::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                dirs.add(abs);
            }
        }
        return List.copyOf(dirs);
    }

    private static boolean manifestName(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }

    private static boolean hidden(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
