package io.headlessdns.server;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One full collection after the initial load of a large cluster, before it is served. Building the table
 * of 10k services leaves several hundred MB of parsing garbage around a live set of about 100 MB, spread
 * over the whole heap; the concurrent collector's cycles then evacuate only regions that are mostly
 * garbage, and the resident size stays 50-100 MB above the live set for minutes (bench/README.md,
 * "Memory"). One compacting collection while /ready still says 503 gives that back at once (the collector
 * uncommits the freed regions a few seconds later). {@code -XX:+DisableExplicitGC} turns it off. Small
 * clusters skip it: their garbage is small, and the pause buys nothing.
 */
final class HeapCompaction {
    private static final Logger log = LoggerFactory.getLogger(HeapCompaction.class);
    /** The number of served names from which the initial load is followed by a full collection. */
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
        log.info("full collection requested after the initial load of {} names: heap {} MB -> {} MB used, {} ms", names,
                before >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20, (System.nanoTime() - t0) / 1_000_000);
        return true;
    }
}
