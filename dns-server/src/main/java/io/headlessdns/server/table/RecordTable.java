package io.headlessdns.server.table;

import io.headlessdns.server.name.DnsName;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The names this server answers, each with its pre-encoded answers: an open-addressing hash table of
 * {@link Node}s keyed by their own owner name, with linear probing.
 *
 * <p>Design note: one writer ({@link TableWriter}) and many readers (the event loops), who never lock.
 * Nodes are immutable and fully built before the writer stores one in a slot with release semantics;
 * readers load slots with acquire semantics, so a reader sees either the old node or the new one, never
 * a half-built one. A removed node leaves a marker that matches no name, so probe runs stay unbroken for
 * readers; markers are dropped when the writer rebuilds the array, which it fills aside and then
 * publishes through one volatile write, never touching the old array again (a reader still probing it
 * sees the table as it was a moment earlier). A change touches only the names of the changed service,
 * so its cost is O(size of that service), plus an amortised rebuild.
 *
 * <p>Why not a ConcurrentHashMap: it spends a 32-byte entry per name beside the node and its key (10 MB
 * at 336,000 names); here a name costs its slot.
 */
public final class RecordTable {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Node[].class);
    private static final int MIN_CAPACITY = 1 << 12;
    /** Left in the slot of a removed node; its empty key matches no name (a wire name has at least one byte). */
    private static final Node REMOVED = new Node(NameKey.of(new byte[0]), new EncodedAnswer[0]);

    /**
     * The slots and, beside them, each slot's hash: a probe compares hashes in one array and follows a
     * node only on a match, so a look-up of an absent name (an NXDOMAIN, a new name the writer adds) reads
     * consecutive ints instead of loading a node and its key per probe. One object holds both so a rebuild
     * publishes them together.
     */
    private static final class Slots {
        final Node[] nodes;
        final int[] hashes;

        Slots(int capacity) {
            nodes = new Node[capacity];
            hashes = new int[capacity];
        }
    }

    private volatile Slots table = new Slots(MIN_CAPACITY);
    // the writer's: nodes, and nodes plus markers (the probe runs' length grows with both)
    private int size;
    private int used;
    private final Zone[] zones;

    public RecordTable(List<Zone> zones) {
        this.zones = zones.toArray(new Zone[0]);
    }

    /** The node at a name, or null. Allocation-free for a {@link NameKey.Probe}. */
    public Node lookup(NameKey name) {
        Slots t = table;
        Node[] nodes = t.nodes;
        int[] hashes = t.hashes;
        int mask = nodes.length - 1;
        int hash = name.hash;
        // terminates: an array always keeps at least a quarter of its slots null
        for (int i = index(hash, mask); ; i = (i + 1) & mask) {
            // the acquire orders the hash read after it: a node's hash is written before the node
            Node n = (Node) SLOT.getAcquire(nodes, i);
            if (n == null) {
                return null;
            }
            if (hashes[i] == hash) {
                byte[] k = n.name;
                if (Arrays.equals(k, 0, k.length, name.bytes, 0, name.length())) {
                    return n;
                }
            }
        }
    }

    /** The zone whose apex is the longest match for a name, or null when the name is outside them all. */
    public Zone zoneOf(byte[] lowerWire, int len, int[] labelOffsets, int labelCount) {
        Zone best = null;
        for (Zone z : zones) {
            if (z.contains(lowerWire, len, labelOffsets, labelCount) && (best == null || z.apex.length > best.apex.length)) {
                best = z;
            }
        }
        return best;
    }

    /**
     * {@link #zoneOf(byte[], int, int[], int)} for a whole wire name; for the writer, not the query path.
     * Allocates nothing: the writer asks it for every name it encodes.
     */
    public Zone zoneOf(byte[] lowerWire) {
        Zone best = null;
        for (Zone z : zones) {
            if (DnsName.isAtOrBelow(lowerWire, z.apex) && (best == null || z.apex.length > best.apex.length)) {
                best = z;
            }
        }
        return best;
    }

    public Zone zone(byte[] apex) {
        for (Zone z : zones) {
            if (java.util.Arrays.equals(z.apex, apex)) {
                return z;
            }
        }
        throw new IllegalArgumentException("not a zone of this table: " + DnsName.toText(apex));
    }

    public List<Zone> zones() {
        return List.of(zones);
    }

    /** Number of names (including empty non-terminals) being served. */
    public int size() {
        return size;
    }

    /**
     * Stores a node under its own name, replacing the node there. {@code key} is the key the node was
     * built with (its hash is not computed again). Writer only.
     */
    void put(NameKey key, Node node) {
        byte[] name = node.name;
        if (key.bytes != name) {
            throw new IllegalArgumentException("not the node's own key: " + key);
        }
        Slots t = table;
        Node[] nodes = t.nodes;
        int[] hashes = t.hashes;
        int mask = nodes.length - 1;
        int hash = key.hash;
        int marker = -1;
        int i = index(hash, mask);
        for (Node n = nodes[i]; n != null; i = (i + 1) & mask, n = nodes[i]) {
            if (n == REMOVED) {
                marker = marker < 0 ? i : marker;
            } else if (hashes[i] == hash && Arrays.equals(n.name, name)) {
                SLOT.setRelease(nodes, i, node);
                return;
            }
        }
        size++;
        if (marker >= 0) {
            i = marker; // the name is not further along the run: reuse the first marker
        } else {
            used++;
        }
        hashes[i] = hash;
        SLOT.setRelease(nodes, i, node); // after the hash: a reader that sees the node sees its hash
        if (used * 4 > nodes.length * 3) {
            rebuild();
        }
    }

    /** Removes the node at a name, if any. Writer only. */
    void remove(NameKey key) {
        Slots t = table;
        Node[] nodes = t.nodes;
        int[] hashes = t.hashes;
        int mask = nodes.length - 1;
        int hash = key.hash;
        for (int i = index(hash, mask); nodes[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == hash && nodes[i] != REMOVED && Arrays.equals(nodes[i].name, 0, nodes[i].name.length, key.bytes, 0, key.length())) {
                SLOT.setRelease(nodes, i, REMOVED);
                size--;
                if (nodes.length > MIN_CAPACITY && size * 8 < nodes.length) {
                    rebuild();
                }
                return;
            }
        }
    }

    /** Copies the nodes into a fresh array of twice their number or more, without markers, and publishes it. */
    private void rebuild() {
        int capacity = MIN_CAPACITY;
        while (capacity < size * 2) {
            capacity <<= 1;
        }
        Slots old = table;
        Slots fresh = new Slots(capacity);
        int mask = capacity - 1;
        for (int j = 0; j < old.nodes.length; j++) {
            Node n = old.nodes[j];
            if (n != null && n != REMOVED) {
                int hash = old.hashes[j];
                int i = index(hash, mask);
                while (fresh.nodes[i] != null) {
                    i = (i + 1) & mask;
                }
                fresh.nodes[i] = n;
                fresh.hashes[i] = hash;
            }
        }
        used = size;
        table = fresh; // the volatile write publishes the filled arrays
    }

    /** Spreads a NameKey hash before masking, so probe runs stay short whatever bits the hash varies in. */
    private static int index(int hash, int mask) {
        int h = hash * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }

    /** The nodes at the moment of the call, weakly consistent; for the records dump and tests, not the query path. */
    List<Node> nodes() {
        Node[] t = table.nodes;
        List<Node> out = new ArrayList<>(size);
        for (int i = 0; i < t.length; i++) {
            Node n = (Node) SLOT.getAcquire(t, i);
            if (n != null && n != REMOVED) {
                out.add(n);
            }
        }
        return out;
    }
}
