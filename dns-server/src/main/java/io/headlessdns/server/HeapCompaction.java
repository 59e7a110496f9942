package io.headlessdns.server;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collection right after the initial load of a large cluster, before it is served. Building the table
 * of 10k services leaves several hundred MB of parsing garbage around a live set of about 100 MB, spread
 * over the whole heap. Left to its own triggers, the collector's last cycle ran while parsing still went
 * on, and the next ones (every 30 s with the image's flags) evacuate only regions that are mostly garbage:
 * 75 s after ready the heap was still 150 MB committed (bench/README.md, "Memory"). A cycle asked for at
 * the moment all the loading garbage has died frees it at once, and the collector uncommits the regions a
 * few seconds later. With the image's Shenandoah, {@code System.gc()} runs a concurrent cycle (its
 * {@code ExplicitGCInvokesConcurrent} is on): the event loops keep running, only this thread waits.
 * {@code -XX:+DisableExplicitGC} turns it off. Small clusters skip it: their garbage is small.
 */
final class HeapCompaction {
    private static final Logger log = LoggerFactory.getLogger(HeapCompaction.class);
    /** The number of served names from which the initial load is followed by a collection. */
    static final int FROM_NAMES = 50_000;

    private final AtomicBoolean done = new AtomicBoolean();

    /** Compacts once, the first time it is called with at least {@link #FROM_NAMES} names served; true if it did. */
    boolean afterInitialLoad(int names) {
        if (names < FROM_NAMES || !done.compareAndSet(false, true)) {
            return false;
        }
        Runtime rt = Runtime.getRuntime();
        long before = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        System.gc();
        // "requested": -XX:+DisableExplicitGC makes it a no-op, which the figures then show
        log.info("collection requested after the initial load of {} names: heap {} MB -> {} MB used, {} ms", names,
                before >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20, (System.nanoTime() - t0) / 1_000_000);
        return true;
    }
}
