package io.headlessdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The collection after the initial load: only for a large cluster, and only once per process start. */
class HeapCompactionTest {
    @Test
    void aSmallCluster_isNotCollected_aLargeOneOnce() {
        HeapCompaction compaction = new HeapCompaction();
        assertThat(compaction.afterInitialLoad(HeapCompaction.FROM_NAMES - 1)).isFalse();
        assertThat(compaction.afterInitialLoad(HeapCompaction.FROM_NAMES)).isTrue();
        assertThat(compaction.afterInitialLoad(HeapCompaction.FROM_NAMES * 2)).as("a second sync").isFalse();
    }
}
