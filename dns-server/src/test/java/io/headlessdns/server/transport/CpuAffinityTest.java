package io.headlessdns.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code --cpu-affinity}: each event loop runs on its own CPU, the i-th of those the process may use, as
 * the kernel reports for the loop's own thread ({@code /proc/thread-self/status}); without the flag the
 * loops keep the process's whole set. No traffic is sent.
 */
class CpuAffinityTest {
    @Test
    void pinned_eachEventLoopRunsOnTheIthAllowedCpu() throws Exception {
        List<Integer> allowed = cpusOfThisThread();
        try (DnsServer server = started(true)) {
            List<List<Integer>> loops = cpusOfEachLoop(server);
            assertThat(loops).hasSize(2);
            for (int i = 0; i < loops.size(); i++) {
                assertThat(loops.get(i)).as("event loop %d", i).containsExactly(allowed.get(i % allowed.size()));
            }
        }
        assertThat(cpusOfThisThread()).as("the starting thread stays unpinned").isEqualTo(allowed);
    }

    @Test
    void unpinned_byDefault() throws Exception {
        List<Integer> allowed = cpusOfThisThread();
        try (DnsServer server = started(false)) {
            assertThat(cpusOfEachLoop(server)).hasSize(2).allSatisfy(cpus -> assertThat(cpus).isEqualTo(allowed));
        }
    }

    @Test
    void allowedCpus_areTheKernelsListForTheCallingThread() throws Exception {
        assertThat(CpuAffinity.allowedCpus()).isEqualTo(cpusOfThisThread());
    }

    private static DnsServer started(boolean pin) throws Exception {
        DnsServer server = new DnsServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2, TestEngines.cluster(),
                null, TransportLimits.DEFAULT, pin);
        server.start();
        return server;
    }

    private static List<List<Integer>> cpusOfEachLoop(DnsServer server) throws Exception {
        List<List<Integer>> out = new ArrayList<>();
        for (EventExecutor loop : server.eventLoops()) {
            out.add(loop.submit(CpuAffinityTest::cpusOfThisThread).get());
        }
        return out;
    }

    /** Cpus_allowed_list of the calling thread, e.g. "0-1" or "0,2-3", expanded. */
    private static List<Integer> cpusOfThisThread() throws Exception {
        String list = Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                .substring("Cpus_allowed_list:".length()).trim();
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String range : list.split(",")) {
            String[] ends = range.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length == 2 ? Integer.parseInt(ends[1]) : from;
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return new ArrayList<>(cpus);
    }
}
