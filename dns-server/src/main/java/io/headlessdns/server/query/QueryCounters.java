package io.headlessdns.server.query;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counts of queries by outcome, by transport and of truncated answers, shared by all engines and read at
 * scrape time. Each engine (one per event loop thread) counts into its own {@link Shard} of plain
 * {@code long}s indexed by small integers: counting on the query path is a store, never a look-up or a
 * locked instruction. Readers sum the shards with opaque loads (as {@code DnsMetrics} does; see there).
 */
public final class QueryCounters {
    private static final int OUTCOMES = Outcome.values().length;
    private static final int UDP = OUTCOMES;
    private static final int TCP = OUTCOMES + 1;
    private static final int TRUNCATED = OUTCOMES + 2;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Every shard ever made; a shard outlives its engine so counts never go back. */
    private final List<long[]> shards = new CopyOnWriteArrayList<>();

    /** A new shard, for one engine: only that engine's thread writes it. */
    Shard newShard() {
        long[] counts = new long[TRUNCATED + 1];
        shards.add(counts);
        return new Shard(counts);
    }

    /** One engine's counters. */
    static final class Shard {
        private final long[] counts;

        private Shard(long[] counts) {
            this.counts = counts;
        }

        void count(Outcome outcome, boolean overTcp) {
            counts[outcome.ordinal()]++;
            counts[overTcp ? TCP : UDP]++;
        }

        void truncated() {
            counts[TRUNCATED]++;
        }
    }

    private long sum(int index) {
        long n = 0;
        for (long[] s : shards) {
            n += (long) LONGS.getOpaque(s, index);
        }
        return n;
    }

    public long count(Outcome outcome) {
        return sum(outcome.ordinal());
    }

    public long udp() {
        return sum(UDP);
    }

    public long tcp() {
        return sum(TCP);
    }

    public long truncatedCount() {
        return sum(TRUNCATED);
    }
}
