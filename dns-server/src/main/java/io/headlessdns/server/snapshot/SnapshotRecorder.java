package io.headlessdns.server.snapshot;

import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.PodView;
import io.headlessdns.k8s.model.ServiceKey;
import io.headlessdns.k8s.model.ServiceView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passes every listener call on and keeps the plain model it carried, and writes that model to the
 * snapshot file (see {@link SnapshotFile}) after a change, at most once per {@code interval}, on its own
 * thread.
 *
 * <p>Design note: the listener thread only puts the new immutable view into a concurrent map and, when no
 * write is pending, schedules one: no copying, no I/O, no waiting on its path. The writer thread reads
 * the maps weakly consistently; a change it misses marked the state dirty again and is in the next write.
 * Nothing is written before the source first synced, so a server that starts and dies before it knows
 * the cluster never replaces a good snapshot with a partial one.
 */
public final class SnapshotRecorder implements ClusterListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotRecorder.class);

    private final ClusterListener next;
    private final Path file;
    private final String clusterDomain;
    private final long intervalNanos;
    private final Map<ServiceKey, ServiceView> services = new ConcurrentHashMap<>();
    private final Map<String, PodView> pods = new ConcurrentHashMap<>();
    private final Set<String> namespaces = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor writer;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean synced;
    private volatile long lastWriteNanos;
    private volatile long writes;

    public SnapshotRecorder(ClusterListener next, Path file, String clusterDomain, java.time.Duration interval) {
        this.next = next;
        this.file = file;
        this.clusterDomain = clusterDomain;
        this.intervalNanos = interval.toNanos();
        this.lastWriteNanos = System.nanoTime() - intervalNanos;
        this.writer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "snapshot-writer");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void serviceChanged(ServiceView service) {
        services.put(service.key(), service);
        next.serviceChanged(service);
        changed();
    }

    @Override
    public void serviceRemoved(ServiceKey key) {
        services.remove(key);
        next.serviceRemoved(key);
        changed();
    }

    @Override
    public void podChanged(PodView pod) {
        pods.put(pod.namespace() + "/" + pod.name(), pod);
        next.podChanged(pod);
        changed();
    }

    @Override
    public void podRemoved(String namespace, String name) {
        pods.remove(namespace + "/" + name);
        next.podRemoved(namespace, name);
        changed();
    }

    @Override
    public void namespaceChanged(String namespace, boolean exists) {
        if (exists) {
            namespaces.add(namespace);
        } else {
            namespaces.remove(namespace);
        }
        next.namespaceChanged(namespace, exists);
        changed();
    }

    @Override
    public void synced() {
        next.synced();
        synced = true;
        changed();
    }

    @Override
    public void complete() {
        next.complete();
    }

    /** Snapshot files written so far. */
    public long writes() {
        return writes;
    }

    private void changed() {
        if (!synced || !pending.compareAndSet(false, true)) {
            return;
        }
        long wait = Math.max(0, lastWriteNanos + intervalNanos - System.nanoTime());
        try {
            writer.schedule(this::write, wait, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.set(false); // closing: the final write in close() covers it
        }
    }

    private void write() {
        pending.set(false); // a change from now on schedules the next write
        lastWriteNanos = System.nanoTime();
        try {
            SnapshotFile.write(file, clusterDomain, current());
            writes++;
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("cannot write snapshot {}: {}; the next change tries again", file, e.toString());
        }
    }

    private ClusterState current() {
        return new ClusterState(new ArrayList<>(services.values()), new ArrayList<>(pods.values()),
                new ArrayList<>(namespaces));
    }

    /** Stops the writer thread, writing the last state once more if the source had synced. */
    @Override
    public void close() {
        writer.shutdownNow();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (synced) {
            write();
        }
    }
}
