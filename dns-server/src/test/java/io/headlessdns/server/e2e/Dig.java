package io.headlessdns.server.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code dig} and {@code nslookup} (Debian bind9-dnsutils) against 127.0.0.1 and returns
 * what they print. Every run is bounded in time.
 */
public final class Dig {
    private final int port;

    public Dig(int port) {
        this.port = port;
    }

    /** {@code dig @127.0.0.1 -p PORT +short? args...}; returns stdout, fails on a non-zero exit. */
    public String dig(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", String.valueOf(port), "+time=2", "+tries=1"));
        cmd.addAll(Arrays.asList(args));
        return run(cmd, true);
    }

    /** The answer lines only (dig +short), sorted for stable comparison. */
    public List<String> shortAnswer(String... args) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.add("+short");
        String out = dig(a.toArray(new String[0])).trim();
        List<String> lines = out.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(out.split("\n")));
        lines.sort(null);
        return lines;
    }

    /** The status word of dig's header line (NOERROR, NXDOMAIN, ...). */
    public String status(String... args) throws IOException, InterruptedException {
        String out = dig(args);
        int i = out.indexOf("status: ");
        if (i < 0) {
            throw new AssertionError("no status in dig output:\n" + out);
        }
        return out.substring(i + 8, out.indexOf(',', i));
    }

    /** The RDATA of the answer section's records of one type in dig's full output, in the order dig printed them. */
    public static List<String> answers(String digOutput, String type) {
        List<String> out = new ArrayList<>();
        boolean inAnswer = false;
        for (String line : digOutput.split("\n")) {
            if (line.startsWith(";; ANSWER SECTION")) {
                inAnswer = true;
            } else if (line.isBlank()) {
                inAnswer = false;
            } else if (inAnswer) {
                String[] f = line.trim().split("\\s+", 5);
                if (f.length == 5 && f[3].equals(type)) {
                    out.add(f[4]);
                }
            }
        }
        return out;
    }

    public String nslookup(String name) throws IOException, InterruptedException {
        return run(List.of("nslookup", "-port=" + port, "-timeout=2", "-retry=1", name, "127.0.0.1"), false);
    }

    private static String run(List<String> cmd, boolean mustSucceed) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mustSucceed && p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
