package io.headlessdns.server.query;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of queries by outcome, by transport and of truncated answers. Pre-registered {@link LongAdder}s
 * indexed by small integers, so counting on the query path is an increment, never a look-up.
 * Shared by all engines; read at scrape time.
 */
public final class QueryCounters {
    private final LongAdder[] byOutcome = new LongAdder[Outcome.values().length];
    private final LongAdder udp = new LongAdder();
    private final LongAdder tcp = new LongAdder();
    private final LongAdder truncated = new LongAdder();

    public QueryCounters() {
        for (int i = 0; i < byOutcome.length; i++) {
            byOutcome[i] = new LongAdder();
        }
    }

    void count(Outcome outcome, boolean overTcp) {
        byOutcome[outcome.ordinal()].increment();
        (overTcp ? tcp : udp).increment();
    }

    void truncated() {
        truncated.increment();
    }

    public long count(Outcome outcome) {
        return byOutcome[outcome.ordinal()].sum();
    }

    public long udp() {
        return udp.sum();
    }

    public long tcp() {
        return tcp.sum();
    }

    public long truncatedCount() {
        return truncated.sum();
    }
}
