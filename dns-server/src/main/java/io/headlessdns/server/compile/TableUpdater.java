package io.headlessdns.server.compile;

import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceView;
import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.table.NameKey;
import io.headlessdns.server.table.RecordTable;
import io.headlessdns.server.table.TableWriter;
import io.headlessdns.server.table.Zone;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge from a cluster source to the record table: compiles each changed object and hands its
 * records to the table's single writer. An object that cannot be compiled is logged once, with its
 * identity and the reason, and skipped: whatever was served for it before stays served.
 *
 * <p>Called by one source thread at a time (the {@link ClusterListener} contract), which makes it the
 * table's single writer.
 */
public final class TableUpdater implements ClusterListener {
    private static final Logger log = LoggerFactory.getLogger(TableUpdater.class);
    private static final Object APEX = "zone apex";

    private final RecordCompiler compiler;
    private final RecordTable table;
    private final TableWriter writer;
    private final Clock clock;
    private final ProgrammingLatency latency;
    private final ExplainedNegatives negatives;
    private final Map<Object, String> lastError = new java.util.HashMap<>();
    private volatile boolean synced;
    private volatile Runnable beforeFirstSync;
    private long serial;
    /** Listener calls by {@link Event}, read by the metrics at scrape time (another thread). */
    private final java.util.concurrent.atomic.LongAdder[] events = new java.util.concurrent.atomic.LongAdder[Event.values().length];
    private final java.util.concurrent.atomic.LongAdder publishes = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder publishNanos = new java.util.concurrent.atomic.LongAdder();
    /** System.nanoTime() of the last listener call, or 0 before the first; volatile for the scraping thread. */
    private volatile long lastEventNanos;

    /** The kinds of listener call, as the {@code kind} label of the watch-event counter. */
    public enum Event { SERVICE_CHANGED, SERVICE_REMOVED, POD_CHANGED, POD_REMOVED, NAMESPACE_CHANGED, SYNCED }

    public TableUpdater(RecordCompiler compiler, RecordTable table, Clock clock) {
        this(compiler, table, clock, new ProgrammingLatency(new SimpleMeterRegistry(), clock));
    }

    /** @param latency records DNS programming latency once a service's answers are published */
    public TableUpdater(RecordCompiler compiler, RecordTable table, Clock clock, ProgrammingLatency latency) {
        this(compiler, table, clock, latency, new ExplainedNegatives(new SimpleMeterRegistry()));
    }

    /** @param negatives the per-service counters of explained NXDOMAIN answers */
    public TableUpdater(RecordCompiler compiler, RecordTable table, Clock clock, ProgrammingLatency latency,
                        ExplainedNegatives negatives) {
        this.negatives = negatives;
        this.latency = latency;
        this.compiler = compiler;
        this.table = table;
        this.writer = new TableWriter(table, compiler.options().ptrPolicy());
        this.clock = clock;
        for (int i = 0; i < events.length; i++) {
            events[i] = new java.util.concurrent.atomic.LongAdder();
        }
        bumpSerial();
    }

    /** The zones a table for these options serves: the cluster zone and the two reverse trees. */
    public static RecordTable newTable(ZoneOptions options) {
        return new RecordTable(List.of(
                new Zone(DnsName.fromText(options.clusterDomain()), true),
                new Zone(DnsName.fromText("in-addr.arpa"), false),
                new Zone(DnsName.fromText("ip6.arpa"), false)));
    }

    public RecordTable table() {
        return table;
    }

    public TableWriter writer() {
        return writer;
    }

    /** Whether the source has delivered its complete initial state. */
    public boolean isSynced() {
        return synced;
    }

    @Override
    public void serviceChanged(ServiceView service) {
        event(Event.SERVICE_CHANGED);
        Map<NameKey, List<io.headlessdns.server.compile.Rr>> records;
        try {
            records = compiler.service(service);
        } catch (IllegalArgumentException e) {
            skip(service.key(), "service " + service.key(), e);
            return;
        }
        apply(service.key(), records);
        explain(service);
        latency.published(service, synced);
    }

    /**
     * A headless service without a ready endpoint has no records, so its name is NXDOMAIN as in CoreDNS;
     * the answer says why (RFC 8914) and is counted per service, for "why does my service not resolve".
     */
    private void explain(ServiceView service) {
        NameKey name = NameKey.of(compiler.serviceName(service.key().namespace(), service.key().name()));
        boolean noneReady = service.type() == io.headlessdns.k8s.model.ServiceType.HEADLESS
                && service.endpoints().stream().noneMatch(service::publishes);
        writer.explainNegative(name, noneReady ? negatives.counter(service.key()) : null);
    }

    @Override
    public void serviceRemoved(ServiceKey key) {
        event(Event.SERVICE_REMOVED);
        apply(key, Map.of());
        writer.explainNegative(NameKey.of(compiler.serviceName(key.namespace(), key.name())), null);
        negatives.remove(key);
        latency.removed(key);
    }

    @Override
    public void podChanged(PodView pod) {
        event(Event.POD_CHANGED);
        PodKey key = new PodKey(pod.namespace(), pod.name());
        try {
            apply(key, compiler.pod(pod));
        } catch (IllegalArgumentException e) {
            skip(key, "pod " + key, e);
        }
    }

    @Override
    public void podRemoved(String namespace, String name) {
        event(Event.POD_REMOVED);
        apply(new PodKey(namespace, name), Map.of());
    }

    @Override
    public void namespaceChanged(String namespace, boolean exists) {
        event(Event.NAMESPACE_CHANGED);
        NamespaceKey key = new NamespaceKey(namespace);
        try {
            apply(key, exists ? compiler.namespace(namespace) : Map.of());
        } catch (IllegalArgumentException e) {
            skip(key, "namespace " + namespace, e);
        }
    }

    /**
     * Runs once, in the first {@link #synced}, before the cluster counts as synced (so /ready is still 503
     * while it runs).
     */
    public void beforeFirstSync(Runnable hook) {
        this.beforeFirstSync = hook;
    }

    @Override
    public void synced() {
        event(Event.SYNCED);
        Runnable hook = beforeFirstSync;
        if (!synced && hook != null) {
            hook.run();
        }
        synced = true;
        log.info("cluster synced: {} names served ({} services, {} pods, {} namespaces delivered)", table.size(),
                events(Event.SERVICE_CHANGED), events(Event.POD_CHANGED), events(Event.NAMESPACE_CHANGED));
    }

    /** Listener calls of one kind so far. */
    public long events(Event kind) {
        return events[kind.ordinal()].sum();
    }

    /** System.nanoTime() of the last listener call, or 0 if there was none. */
    public long lastEventNanos() {
        return lastEventNanos;
    }

    /** Table publications (one per applied change) so far, and the time they took in total. */
    public long publishes() {
        return publishes.sum();
    }

    public long publishNanos() {
        return publishNanos.sum();
    }

    private void event(Event kind) {
        events[kind.ordinal()].increment();
        lastEventNanos = System.nanoTime();
    }

    private void apply(Object key, Map<NameKey, List<Rr>> records) {
        long start = System.nanoTime();
        lastError.remove(key);
        writer.replace(key, records);
        bumpSerial();
        publishNanos.add(System.nanoTime() - start);
        publishes.increment();
    }

    private void skip(Object key, String what, IllegalArgumentException e) {
        String msg = e.getMessage();
        if (!msg.equals(lastError.put(key, msg))) {
            log.error("skipping {}: {}; its last good records stay served", what, msg);
        }
    }

    /** The SOA serial follows the clock in seconds and moves forward on every change within a second. */
    private void bumpSerial() {
        long now = clock.millis() / 1000;
        long next = Math.max(now, serial + 1) & 0xffffffffL;
        serial = next;
        writer.replace(APEX, compiler.apex(next));
        Rr soa = compiler.soa(next);
        for (Zone z : table.zones()) {
            writer.setNegativeSoa(z, soa);
        }
    }

    private record PodKey(String namespace, String name) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    private record NamespaceKey(String namespace) {
    }
}
