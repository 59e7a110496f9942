package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.k8s.model.PortView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceType;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.TableUpdater;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Consistency under churn: a driver rewrites services through the cluster listener at 100 changes/s
 * (scale up and down, rolling IP changes, readiness flips, endpoints re-partitioned as slices split and
 * merge) while UDP queries run against the real server. Every answer must be a state the service really
 * had while the query was in flight (never a mix of two, never an older one), never NXDOMAIN unless the
 * service had no ready endpoint at some point of that window (a headless service without ready endpoints
 * has no records), never SERVFAIL, and the heap after GC must not grow. {@code -Dsoak.seconds=N} sets the duration (default 10 s for {@code mvn verify}).
 */
@Tag("soak")
class ChurnSoakTest {
    private static final long SECONDS = Long.getLong("soak.seconds", 10);
    private static final int CHANGES_PER_SECOND = 100;
    private static final int SERVICES = 20;
    private static final int QUERY_THREADS = 2;
    private static final long HEAP_TOLERANCE = 24L << 20;
    private static final List<PortView> PORTS = List.of(new PortView("web", 80, "TCP"));

    @TempDir
    Path dir;

    /** Per service, every address set (sorted) it was published with, by version; written before it is served. */
    private final AtomicReferenceArray<List<String>>[] history = newHistory();
    /** Per service, the version the server is known to have applied (the next one may already be served). */
    private final AtomicIntegerArray version = new AtomicIntegerArray(SERVICES);
    private final LongAdder queries = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder servfail = new LongAdder();
    private final LongAdder nxdomain = new LongAdder();
    private final LongAdder nxdomainAllowed = new LongAdder();
    private final LongAdder otherRcode = new LongAdder();
    private final List<String> inconsistent = Collections.synchronizedList(new ArrayList<>());

    @Test
    void churnAt100ChangesPerSecond_underUdpLoad_everyAnswerIsAPublishedState_noServfail_noHeapGrowth() throws Exception {
        Files.copy(Path.of("..", "deploy", "examples", "statefulset.yaml"), dir.resolve("statefulset.yaml"));
        try (RunningServer running = new RunningServer(List.of(dir), PodRecordMode.INSECURE)) {
            TableUpdater updater = running.server.updater();
            Random random = new Random(42);
            int[] generation = new int[SERVICES];
            List<List<EndpointView>> state = new ArrayList<>();
            for (int i = 0; i < SERVICES; i++) {
                state.add(new ArrayList<>());
                for (int e = 0; e < 3; e++) {
                    state.get(i).add(endpoint(i, generation[i]++, true));
                }
                publish(updater, i, state.get(i), true);
            }
            long heapBefore = usedHeapAfterGc();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService load = Executors.newFixedThreadPool(QUERY_THREADS);
            List<Future<?>> loaders = new ArrayList<>();
            for (int t = 0; t < QUERY_THREADS; t++) {
                int seed = t;
                loaders.add(load.submit(() -> query(running.server.dnsPort(), seed, stop)));
            }
            long changes = 0;
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
            long interval = TimeUnit.SECONDS.toNanos(1) / CHANGES_PER_SECOND;
            for (long next = start; next < end; next += interval) {
                LockSupport.parkNanos(next - System.nanoTime());
                int i = random.nextInt(SERVICES);
                churn(random, i, generation, state.get(i));
                publish(updater, i, state.get(i), false);
                changes++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            for (Future<?> f : loaders) {
                f.get(10, TimeUnit.SECONDS);
            }
            load.shutdown();
            List<String> stillInconsistent = List.copyOf(inconsistent);
            long heapAfter = usedHeapAfterGc();
            String report = String.format("soak: %.1f s, %d changes (%.0f/s), %d queries, %d answered, %d timeouts, "
                            + "%d inconsistent, %d SERVFAIL, %d NXDOMAIN while the service had no ready endpoint, %d NXDOMAIN otherwise, %d other rcode, heap after GC %d -> %d KiB",
                    seconds, changes, changes / seconds, queries.sum(), answered.sum(), timeouts.sum(),
                    stillInconsistent.size(), servfail.sum(), nxdomainAllowed.sum(), nxdomain.sum(), otherRcode.sum(), heapBefore >> 10, heapAfter >> 10);
            System.out.println(report);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "soak-report.txt"), report + "\n");
            assertThat(stillInconsistent).as(report).isEmpty();
            assertThat(servfail.sum()).as(report).isZero();
            assertThat(nxdomain.sum()).as(report).isZero();
            assertThat(otherRcode.sum()).as(report).isZero();
            assertThat(changes / seconds).as(report).isGreaterThan(CHANGES_PER_SECOND * 0.9);
            assertThat(answered.sum()).as(report).isGreaterThan(SECONDS * 500);
            assertThat(timeouts.sum()).as(report).isLessThan(Math.max(10, queries.sum() / 1000));
            assertThat(heapAfter - heapBefore).as(report).isLessThan(HEAP_TOLERANCE);
        }
    }

    /** One change: scale up or down, a rolling IP change, a readiness flip, or a re-partition (new order). */
    private static void churn(Random random, int service, int[] generation, List<EndpointView> endpoints) {
        switch (random.nextInt(4)) {
            case 0 -> {
                if (endpoints.size() < 8 && (endpoints.isEmpty() || random.nextBoolean())) {
                    endpoints.add(random.nextInt(endpoints.size() + 1), endpoint(service, generation[service]++, true));
                } else if (!endpoints.isEmpty()) {
                    endpoints.remove(random.nextInt(endpoints.size()));
                }
            }
            case 1 -> {
                if (!endpoints.isEmpty()) {
                    endpoints.set(random.nextInt(endpoints.size()), endpoint(service, generation[service]++, true));
                }
            }
            case 2 -> {
                if (!endpoints.isEmpty()) {
                    int at = random.nextInt(endpoints.size());
                    EndpointView e = endpoints.get(at);
                    endpoints.set(at, new EndpointView(e.addresses(), e.hostname(), !e.ready(), true, false, e.targetPod(), PORTS));
                }
            }
            default -> Collections.shuffle(endpoints, random);
        }
    }

    private static EndpointView endpoint(int service, int generation, boolean ready) {
        String ip = "10." + (100 + service) + "." + (generation / 250 % 250) + "." + (generation % 250 + 1);
        return new EndpointView(List.of(ip), "p" + generation, ready, true, false, "p" + generation, PORTS);
    }

    private static String name(int service) {
        return "churn-" + service + ".soak.svc.cluster.local.";
    }

    @SuppressWarnings("unchecked")
    private static AtomicReferenceArray<List<String>>[] newHistory() {
        AtomicReferenceArray<List<String>>[] h = new AtomicReferenceArray[SERVICES];
        for (int i = 0; i < SERVICES; i++) {
            h[i] = new AtomicReferenceArray<>((int) (CHANGES_PER_SECOND * SECONDS * 2 + 100));
        }
        return h;
    }

    /** Records the next state before it is served, then serves it, then advances the version. */
    private void publish(TableUpdater updater, int service, List<EndpointView> endpoints, boolean first) {
        List<String> ready = new ArrayList<>();
        for (EndpointView e : endpoints) {
            if (e.ready()) {
                ready.addAll(e.addresses());
            }
        }
        Collections.sort(ready);
        int next = first ? 0 : version.get(service) + 1;
        history[service].set(next, List.copyOf(ready));
        updater.serviceChanged(new ServiceView(new ServiceKey("soak", "churn-" + service), ServiceType.HEADLESS,
                List.of(), null, false, PORTS, List.copyOf(endpoints), null, true));
        version.set(service, next);
    }

    private void query(int port, int seed, AtomicBoolean stop) {
        Random random = new Random(1000 + seed);
        byte[] buf = new byte[4096];
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(1000);
            InetAddress server = InetAddress.getLoopbackAddress();
            int id = 0;
            while (!stop.get()) {
                int service = random.nextInt(SERVICES);
                Message q = Message.newQuery(Record.newRecord(Name.fromString(name(service)), Type.A, DClass.IN));
                q.getHeader().setID(id = (id + 1) & 0xffff);
                byte[] wire = q.toWire();
                int from = version.get(service);
                socket.send(new DatagramPacket(wire, wire.length, server, port));
                queries.increment();
                Message r;
                try {
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        r = new Message(java.util.Arrays.copyOf(buf, p.getLength()));
                        if (r.getHeader().getID() == id) {
                            break; // a late answer to an earlier, timed-out query is skipped
                        }
                    }
                } catch (SocketTimeoutException e) {
                    timeouts.increment();
                    continue;
                }
                int to = version.get(service) + 1; // a publication may be under way
                answered.increment();
                List<String> addresses = new ArrayList<>();
                for (Record rr : r.getSection(Section.ANSWER)) {
                    addresses.add(rr.rdataToString());
                }
                Collections.sort(addresses);
                boolean matches = false;
                boolean hadNoEndpoint = false;
                for (int v = from; v <= to && history[service].get(v) != null; v++) {
                    matches |= history[service].get(v).equals(addresses);
                    hadNoEndpoint |= history[service].get(v).isEmpty();
                }
                switch (r.getRcode()) {
                    case Rcode.NOERROR -> {
                        if (!matches) {
                            inconsistent.add(name(service) + " versions " + from + ".." + to + " answered " + addresses);
                        }
                    }
                    case Rcode.SERVFAIL -> servfail.increment();
                    case Rcode.NXDOMAIN -> (hadNoEndpoint ? nxdomainAllowed : nxdomain).increment();
                    default -> otherRcode.increment();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
