package io.headlessdns.k8s.manifest;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import io.headlessdns.k8s.model.ClusterListener;
import io.headlessdns.k8s.model.ClusterSource;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster as Kubernetes manifest files describe it: files and folders read at {@link #start}, then
 * watched. Every change re-reads all files and delivers only what differs from the last delivered state;
 * a change that does not parse is logged once with its file:line and the last good state stays served.
 *
 * <p>Design note: one daemon thread, {@code manifest-watch}, makes every listener call (the initial state
 * too), so listeners see a single writer. It wakes on WatchService events and, because inotify misses
 * some cases (NFS, a replaced parent folder, a ConfigMap's symlink swap on some kernels), also compares a
 * cheap mtime/size/inode fingerprint every {@value #POLL_MILLIS} ms. Before re-reading it waits until the
 * files have been quiet for {@value #SETTLE_MILLIS} ms, so an editor's delete-then-rename is seen as one
 * edit, not as a removal followed by a re-creation.
 */
public final class ManifestSource implements ClusterSource {

    static final long POLL_MILLIS = 250;
    static final long SETTLE_MILLIS = 50;
    private static final int MAX_SETTLE_ROUNDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(ManifestSource.class);

    private final List<Path> paths;
    private final ManifestParser parser = new ManifestParser();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<Path> watched = new HashSet<>();
    private volatile Thread thread;
    private volatile WatchService watchService;

    // owned by the watch thread once start() has handed over
    private SnapshotDiff.Delivered delivered;
    /** The initial state, handed from start() to the watch thread, which drops it once delivered. */
    private ClusterSnapshot initialState;
    private String deliveredDigest;
    private String failedDigest;
    private String fingerprint;

    public ManifestSource(List<Path> paths) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no manifest paths given");
        }
        this.paths = List.copyOf(paths);
    }

    /** Reads {@code paths} once, without watching: the state {@link #start} would deliver first. */
    public static ClusterSnapshot loadOnce(List<Path> paths) throws ManifestException {
        return load(new ManifestParser(), ManifestFiles.read(paths));
    }

    private static ClusterSnapshot load(ManifestParser parser, ManifestFiles.Content content)
            throws ManifestException {
        Manifests manifests = new Manifests();
        for (int i = 0; i < content.files().size(); i++) {
            parser.parse(content.files().get(i), content.texts().get(i), manifests);
        }
        return SnapshotBuilder.build(manifests);
    }

    /**
     * Reads all files and delivers their state followed by {@code synced()}, then keeps watching. Returns
     * once the initial state was delivered; throws, naming file:line, if the files cannot be served.
     */
    @Override
    public void start(ClusterListener listener) throws ManifestException, InterruptedException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started: " + describe());
        }
        // watch before the first read, so an edit racing with start-up is not missed
        openWatchService();
        fingerprint = ManifestFiles.fingerprint(paths);
        ManifestFiles.Content content = ManifestFiles.read(paths);
        ClusterSnapshot first = load(parser, content);
        deliveredDigest = content.digest();
        CompletableFuture<Void> initial = new CompletableFuture<>();
        // a field, not a captured variable: the thread's Runnable lives as long as the thread
        initialState = first;
        Thread t = new Thread(() -> run(listener, initial), "manifest-watch");
        t.setDaemon(true);
        thread = t;
        t.start();
        try {
            initial.get();
        } catch (ExecutionException e) {
            close();
            throw new IllegalStateException("listener failed on the initial state", e.getCause());
        }
        LOG.info("{}: {} services, {} pods, {} namespaces", describe(), first.services().size(),
                first.pods().size(), first.namespaces().size());
    }

    @Override
    public String describe() {
        return "manifests " + paths;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        WatchService w = watchService;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                LOG.debug("closing the watch service", e);
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run(ClusterListener listener, CompletableFuture<Void> initial) {
        if (!deliverInitial(listener, initial)) {
            return;
        }
        while (!closed.get()) {
            try {
                if (waitForChange()) {
                    settle();
                    reload(listener);
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("{}: applying a change failed; still serving the last state", describe(), e);
            }
        }
    }

    /**
     * Delivers the initial state; false if the listener failed. A method of its own so that no local of
     * the watch loop's frame keeps the parsed cluster reachable once it is delivered.
     */
    private boolean deliverInitial(ClusterListener listener, CompletableFuture<Void> initial) {
        try {
            ClusterSnapshot first = initialState;
            initialState = null;
            delivered = SnapshotDiff.deliver(SnapshotDiff.Delivered.NOTHING, first, listener);
            listener.synced();
            listener.complete();
            initial.complete(null);
            return true;
        } catch (RuntimeException e) {
            initial.completeExceptionally(e);
            return false;
        }
    }

    /** Blocks up to one poll interval; true when an event arrived or the fingerprint moved. */
    private boolean waitForChange() throws InterruptedException {
        boolean signalled;
        WatchService w = watchService;
        if (w == null) {
            Thread.sleep(POLL_MILLIS);
            signalled = false;
        } else {
            signalled = drain(w.poll(POLL_MILLIS, TimeUnit.MILLISECONDS));
        }
        return signalled || !ManifestFiles.fingerprint(paths).equals(fingerprint);
    }

    /** Waits until a round of {@value #SETTLE_MILLIS} ms passes without events (bounded). */
    private void settle() throws InterruptedException {
        for (int round = 0; round < MAX_SETTLE_ROUNDS; round++) {
            Thread.sleep(SETTLE_MILLIS);
            WatchService w = watchService;
            if (w == null || !drain(w.poll())) {
                break;
            }
        }
        fingerprint = ManifestFiles.fingerprint(paths);
        register();
    }

    private void reload(ClusterListener listener) {
        ManifestFiles.Content content;
        ClusterSnapshot next;
        try {
            content = ManifestFiles.read(paths);
            if (content.digest().equals(deliveredDigest)) {
                failedDigest = null;
                return;
            }
            if (content.digest().equals(failedDigest)) {
                return;
            }
            next = load(parser, content);
        } catch (ManifestException e) {
            String digest = "unreadable " + e.getMessage();
            if (!digest.equals(failedDigest)) {
                failedDigest = digest;
                LOG.error("{} (keeping the last good state)", e.getMessage());
            }
            return;
        }
        delivered = SnapshotDiff.deliver(delivered, next, listener);
        deliveredDigest = content.digest();
        failedDigest = null;
        LOG.info("{} reloaded: {} services, {} pods", describe(), next.services().size(), next.pods().size());
    }

    private void openWatchService() {
        try {
            watchService = FileSystems.getDefault().newWatchService();
            register();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("{}: no file events ({}); polling every {} ms", describe(), e.getMessage(), POLL_MILLIS);
        }
    }

    /** Registers folders that appeared since the last call; others are already registered. */
    private void register() {
        WatchService w = watchService;
        if (w == null) {
            return;
        }
        for (Path dir : ManifestFiles.directories(paths)) {
            if (!watched.contains(dir)) {
                try {
                    dir.register(w, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
                    watched.add(dir);
                } catch (IOException e) {
                    LOG.debug("cannot watch {}; the fingerprint poll covers it", dir, e);
                }
            }
        }
    }

    private static boolean drain(WatchKey key) {
        if (key == null) {
            return false;
        }
        key.pollEvents();
        key.reset();
        return true;
    }
}
