package io.headlessdns.server.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.name.DnsName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The record table's open-addressing array: finds exactly the stored names, also while the writer works. */
class RecordTableTest {
    private static final Zone ZONE = new Zone(DnsName.fromText("cluster.local"), true);

    private static RecordTable table() {
        return new RecordTable(List.of(ZONE));
    }

    private static NameKey name(int n) {
        return NameKey.ofText("n" + n + ".ns.svc.cluster.local");
    }

    private static Node node(NameKey key) {
        return new Node(key, new EncodedAnswer[0]);
    }

    private static void put(RecordTable table, NameKey key) {
        table.put(key, node(key));
    }

    private static Node lookup(RecordTable table, NameKey key) {
        // as the query path asks: through a probe filled with the name's bytes
        NameKey.Probe probe = new NameKey.Probe(DnsName.MAX_LENGTH);
        byte[] wire = key.wire();
        System.arraycopy(wire, 0, probe.buffer(), 0, wire.length);
        probe.seal(wire.length);
        return table.lookup(probe);
    }

    @Test
    void putsAndRemovals_findExactlyThePresentNames_acrossGrowthRemovalMarkersAndShrinking() {
        RecordTable table = table();
        Map<NameKey, Node> reference = new HashMap<>();
        Random random = new Random(7);
        for (int step = 0; step < 60_000; step++) {
            // a name space larger than the smallest array, so the table grows, collects markers and shrinks
            NameKey key = name(random.nextInt(12_000));
            boolean grow = step < 30_000 ? random.nextInt(3) > 0 : random.nextInt(4) == 0;
            if (grow) {
                Node n = node(key);
                table.put(key, n);
                reference.put(key, n);
            } else {
                table.remove(key);
                reference.remove(key);
            }
            if (step % 5_000 == 0) {
                for (int i = 0; i < 12_000; i++) {
                    assertThat(lookup(table, name(i))).isSameAs(reference.get(name(i)));
                }
            }
        }
        assertThat(table.size()).isEqualTo(reference.size());
        assertThat(table.nodes()).containsExactlyInAnyOrderElementsOf(reference.values());
    }

    @Test
    void putUnderAnEqualKeyThatIsNotTheNodesOwn_isRefused() {
        // the table takes the hash from the key and compares names by the node's bytes: they must be one name
        NameKey key = name(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> table().put(name(1), node(key)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nodeWithAProbeForKey_isRefused() {
        NameKey.Probe probe = new NameKey.Probe(16);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> node(probe)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Readers never miss a name that is only ever overwritten, while the writer adds and removes other
     * names (rebuilding the array many times) and overwrites the stable ones. Bounded: 300 ms.
     */
    @Test
    void concurrentReaders_alwaysFindOverwrittenNames_whileTheWriterAddsRemovesAndRebuilds() throws Exception {
        RecordTable table = table();
        int stable = 500;
        for (int i = 0; i < stable; i++) {
            put(table, name(i));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong misses = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            readers[r] = new Thread(() -> {
                NameKey[] keys = new NameKey[stable];
                for (int i = 0; i < stable; i++) {
                    keys[i] = name(i);
                }
                long n = 0;
                while (!stop.get()) {
                    for (NameKey k : keys) {
                        if (table.lookup(k) == null) {
                            misses.incrementAndGet();
                        }
                        n++;
                    }
                }
                reads.addAndGet(n);
            });
            readers[r].start();
        }
        long deadline = System.nanoTime() + 300_000_000L;
        Random random = new Random(3);
        for (int round = 0; System.nanoTime() < deadline && round < 1_000; round++) {
            for (int i = 0; i < 5_000; i++) {
                put(table, name(stable + i));
            }
            for (int i = 0; i < stable; i++) {
                put(table, name(random.nextInt(stable)));
            }
            for (int i = 0; i < 5_000; i++) {
                table.remove(name(stable + i));
            }
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join(5_000);
        }
        assertThat(reads.get()).isPositive();
        assertThat(misses.get()).isZero();
        assertThat(table.size()).isEqualTo(stable);
    }
}
