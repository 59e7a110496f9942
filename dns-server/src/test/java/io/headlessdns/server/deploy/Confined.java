package io.headlessdns.server.deploy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a command the way the pod in deploy/ runs it, as closely as a root shell without a container
 * runtime allows: in its own mount namespace (unshare) where the root file system is read-only and only
 * /tmp is writable (a tmpfs, the pod's emptyDir), as UID/GID 65532 with no capabilities and no
 * supplementary groups (setpriv). Both tools are util-linux, present on every Debian.
 */
final class Confined {
    static final int UID = 65532;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Confined() {
    }

    /** The host's file system, read-only, with a fresh /tmp. */
    static Process onHostRoot(List<String> command, File log) throws IOException {
        String script = "set -e; mount -o remount,bind,ro /; mount -t tmpfs -o size=64m,mode=1777 tmpfs /tmp; "
                + "exec setpriv --reuid=" + UID + " --regid=" + UID + " --clear-groups --inh-caps=-all -- \"$@\"";
        return start(script, command, log);
    }

    /**
     * An image's root file system (its layers extracted to {@code root}), read-only, as the container's
     * root: /proc and /dev from the host, a fresh /tmp, and {@code data} mounted read-only at /data.
     */
    static Process inRoot(Path root, Path data, List<String> command, File log) throws IOException {
        for (String d : List.of("proc", "dev", "data", "tmp")) {
            Files.createDirectories(root.resolve(d));
        }
        String r = root.toAbsolutePath().toString();
        String script = "set -e; R='" + r + "'; mount --bind \"$R\" \"$R\"; mount -o remount,bind,ro \"$R\"; "
                + "mount --rbind /proc \"$R/proc\"; mount --rbind /dev \"$R/dev\"; "
                + "mount -t tmpfs -o size=64m,mode=1777 tmpfs \"$R/tmp\"; "
                + "mount --bind '" + data.toAbsolutePath() + "' \"$R/data\"; mount -o remount,bind,ro \"$R/data\"; "
                + "exec chroot --userspec=" + UID + ":" + UID + " \"$R\" \"$@\"";
        return start(script, command, log);
    }

    private static Process start(String script, List<String> command, File log) throws IOException {
        List<String> argv = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private", "--",
                "sh", "-c", script, "confined"));
        argv.addAll(command);
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log).start();
    }

    /** The Dockerfile's ENTRYPOINT JVM flags: what comes between "java" and "-jar" (the image's contract). */
    static List<String> dockerfileJvmFlags() throws IOException {
        List<String> entrypoint = dockerfileArray("ENTRYPOINT");
        int jar = entrypoint.indexOf("-jar");
        if (!entrypoint.get(0).equals("java") || jar < 0) {
            throw new IllegalStateException("Dockerfile ENTRYPOINT is not java ... -jar: " + entrypoint);
        }
        return entrypoint.subList(1, jar);
    }

    /** An exec-form (JSON array) instruction of the Dockerfile. */
    static List<String> dockerfileArray(String instruction) throws IOException {
        for (String line : Files.readAllLines(Path.of("..", "Dockerfile"))) {
            if (line.startsWith(instruction + " ")) {
                List<String> out = new ArrayList<>();
                for (JsonNode n : JSON.readTree(line.substring(instruction.length() + 1))) {
                    out.add(n.asString());
                }
                return out;
            }
        }
        throw new IllegalStateException("no " + instruction + " in the Dockerfile");
    }
}
