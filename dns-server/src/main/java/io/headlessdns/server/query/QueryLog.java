package io.headlessdns.server.query;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sampled query log ({@code --log-queries N}: one query in N), written off the event loops. An engine
 * decides per query with a plain countdown (no allocation for the unsampled N-1); a sampled query's line
 * is built on the event loop and put on a bounded queue, and a daemon thread writes it through SLF4J
 * (logger {@code query}). When the queue is full the line is dropped and counted, so a slow log sink can
 * never stall DNS.
 */
public final class QueryLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("query");
    static final int CAPACITY = 4096;

    private final int every;
    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean closed;

    /** @param every log one query in this many (at least 1) */
    public QueryLog(int every) {
        if (every < 1) {
            throw new IllegalArgumentException("sampling must be 1 in N with N >= 1, not " + every);
        }
        this.every = every;
        writer = new Thread(this::drain, "query-log");
        writer.setDaemon(true);
        writer.start();
    }

    int every() {
        return every;
    }

    /** Called on an event loop with a sampled query's line; never blocks. */
    void offer(String line) {
        if (!queue.offer(line)) {
            dropped.increment();
        }
    }

    /** Lines dropped because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    private void drain() {
        try {
            while (!closed || !queue.isEmpty()) {
                String line = queue.poll(200, TimeUnit.MILLISECONDS);
                if (line != null) {
                    log.info(line);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued (for up to a second) and stops the writer thread. */
    @Override
    public void close() {
        closed = true;
        try {
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
