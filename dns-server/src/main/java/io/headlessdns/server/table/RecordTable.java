package io.headlessdns.server.table;

import io.headlessdns.server.name.DnsName;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names this server answers, each with its pre-encoded answers.
 *
 * <p>Design note: one writer ({@link TableWriter}) and many readers (the event loops). Nodes are
 * immutable and fully built before they are put; {@link ConcurrentHashMap#put} publishes them with
 * release semantics and {@link ConcurrentHashMap#get} reads them with acquire semantics, so a reader
 * sees either the old node or the new one, never a half-built one, and never takes a lock. A change
 * touches only the names of the changed service, so its cost is O(size of that service).
 */
public final class RecordTable {
    private final ConcurrentHashMap<NameKey, Node> nodes = new ConcurrentHashMap<>(1 << 12);
    private final Zone[] zones;

    public RecordTable(List<Zone> zones) {
        this.zones = zones.toArray(new Zone[0]);
    }

    /** The node at a name, or null. Allocation-free for a {@link NameKey.Probe}. */
    public Node lookup(NameKey name) {
        return nodes.get(name);
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
        return nodes.size();
    }

    void put(NameKey key, Node node) {
        nodes.put(key, node);
    }

    void remove(NameKey key) {
        nodes.remove(key);
    }

    /** A weakly consistent view for the records dump and tests; not for the query path. */
    Map<NameKey, Node> view() {
        return java.util.Collections.unmodifiableMap(nodes);
    }
}
