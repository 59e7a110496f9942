package io.headlessdns.server.table;

import io.headlessdns.server.compile.PtrPolicy;
import io.headlessdns.server.compile.Rr;
import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.wire.RecordType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The single writer of a {@link RecordTable}. Records arrive grouped by contributor (a service, a pod,
 * a namespace, the zone apex); {@link #replace} swaps one contributor's records and re-encodes only the
 * names it touched, so a change costs O(size of that contributor).
 *
 * <p>Several contributors may share a name (two services behind one IP give one PTR RRset with two
 * records); each name's RRsets are the union of its contributions. Names that exist in both the old and
 * the new state are overwritten, never removed and re-added, so a concurrent reader cannot miss them.
 * Empty non-terminals are tracked by counting contributed names below each name of an authoritative
 * zone.
 *
 * <p>Not thread-safe: one thread calls it (the source's thread).
 */
public final class TableWriter {
    private static final int CNAME_SLOT = RecordType.slot(RecordType.CNAME);
    private static final int[] GLUE_TYPES = {RecordType.A, RecordType.AAAA};

    private final RecordTable table;
    private final PtrPolicy ptrPolicy;
    private final Map<Object, Map<NameKey, List<Rr>>> byContributor = new HashMap<>();
    private final Map<NameKey, NameState> names = new HashMap<>();
    private final AnswerEncoder encoder = new AnswerEncoder();
    /** Names answered NXDOMAIN with an explanation while no contributor makes them exist, and their counters. */
    private final Map<NameKey, java.util.concurrent.atomic.LongAdder> explained = new HashMap<>();

    public TableWriter(RecordTable table, PtrPolicy ptrPolicy) {
        this.table = table;
        this.ptrPolicy = ptrPolicy;
    }

    /** What the writer knows of one name. */
    private static final class NameState {
        final NameKey key;
        final Zone zone;
        final Contributions contributions = new Contributions();
        int namesBelow;

        NameState(NameKey key, Zone zone) {
            this.key = key;
            this.zone = zone;
        }

        boolean exists() {
            return !contributions.isEmpty() || namesBelow > 0;
        }
    }

    /**
     * Who contributes which records to one name. Almost every name has exactly one contributor, so that
     * case is two fields; a map is made only for a name that several contributors share (a PTR of an IP
     * behind two services). Insertion order is kept, so merged RRsets are stable.
     */
    private static final class Contributions {
        private Object one;
        private List<Rr> oneRecords;
        private Map<Object, List<Rr>> many;

        boolean isEmpty() {
            return one == null && many == null;
        }

        int size() {
            return many != null ? many.size() : one != null ? 1 : 0;
        }

        void put(Object contributor, List<Rr> records) {
            if (many != null) {
                many.put(contributor, records);
            } else if (one == null || one.equals(contributor)) {
                one = contributor;
                oneRecords = records;
            } else {
                many = new LinkedHashMap<>(4);
                many.put(one, oneRecords);
                many.put(contributor, records);
                one = null;
                oneRecords = null;
            }
        }

        void remove(Object contributor) {
            if (many != null) {
                many.remove(contributor);
                if (many.size() == 1) {
                    Map.Entry<Object, List<Rr>> last = many.entrySet().iterator().next();
                    one = last.getKey();
                    oneRecords = last.getValue();
                    many = null;
                }
            } else if (contributor.equals(one)) {
                one = null;
                oneRecords = null;
            }
        }

        Iterable<List<Rr>> values() {
            return many != null ? many.values() : one != null ? List.of(oneRecords) : List.of();
        }
    }

    /**
     * Makes {@code records} the complete contribution of {@code contributor} (an empty map removes it).
     * Names outside every zone of the table are rejected.
     */
    public void replace(Object contributor, Map<NameKey, List<Rr>> records) {
        Map<NameKey, List<Rr>> old = records.isEmpty()
                ? byContributor.remove(contributor)
                : byContributor.put(contributor, records);
        if (old == null) {
            old = Collections.emptyMap();
        }
        Set<NameKey> dirty = new LinkedHashSet<>();
        for (Map.Entry<NameKey, List<Rr>> e : records.entrySet()) {
            List<Rr> before = old.get(e.getKey());
            if (before == null || !before.equals(e.getValue())) {
                NameState s = state(e.getKey());
                boolean wasContributed = !s.contributions.isEmpty();
                s.contributions.put(contributor, e.getValue());
                dirty.add(s.key);
                if (!wasContributed) {
                    adjustAncestors(s, +1, dirty);
                }
            }
        }
        for (NameKey name : old.keySet()) {
            if (!records.containsKey(name)) {
                NameState s = names.get(name);
                s.contributions.remove(contributor);
                dirty.add(name);
                if (s.contributions.isEmpty()) {
                    adjustAncestors(s, -1, dirty);
                }
            }
        }
        if (!dirty.isEmpty()) {
            // SRV and NS answers carry their targets' addresses in the additional section
            for (Map.Entry<NameKey, List<Rr>> e : records.entrySet()) {
                if (!dirty.contains(e.getKey()) && hasTargetWithGlue(e.getValue())) {
                    dirty.add(e.getKey());
                }
            }
        }
        List<NameKey> gone = new ArrayList<>();
        for (NameKey name : dirty) {
            NameState s = names.get(name);
            if (s.exists()) {
                table.put(s.key, encode(s));
            } else {
                gone.add(name);
            }
        }
        for (NameKey name : gone) {
            names.remove(name);
            java.util.concurrent.atomic.LongAdder counter = explained.get(name);
            if (counter != null) {
                table.put(name, explainedNode(name, counter)); // one put: no moment without the explanation
            } else {
                table.remove(name);
            }
        }
    }

    /**
     * Marks a name as an explained negative (NXDOMAIN with an Extended DNS Error, each answer counted in
     * {@code counter}) for as long as nothing makes it exist; null clears the mark. A name with records, or
     * an empty non-terminal, keeps answering as before: the mark only shows while the name does not exist.
     */
    public void explainNegative(NameKey name, java.util.concurrent.atomic.LongAdder counter) {
        NameState s = names.get(name);
        boolean exists = s != null && s.exists();
        if (counter == null) {
            if (explained.remove(name) != null && !exists) {
                table.remove(name);
            }
            return;
        }
        explained.put(name, counter);
        if (!exists) {
            table.put(name, explainedNode(name, counter));
        }
    }

    private Node explainedNode(NameKey name, java.util.concurrent.atomic.LongAdder counter) {
        Zone zone = table.zoneOf(name.wire());
        if (zone == null) {
            throw new IllegalArgumentException("name outside the served zones: " + name);
        }
        return new ExplainedNegative(zone, counter);
    }

    /** The records currently contributed at a name, merged; for the records dump and tests. */
    public Map<Integer, List<Rr>> recordsAt(NameKey name) {
        NameState s = names.get(name);
        return s == null ? Map.of() : merged(s);
    }

    /** A name's records by type: the union of its contributions, duplicates removed, order kept. */
    private static Map<Integer, List<Rr>> merged(NameState s) {
        Map<Integer, java.util.Collection<Rr>> byType = new LinkedHashMap<>();
        boolean single = s.contributions.size() == 1;
        for (List<Rr> rrs : s.contributions.values()) {
            for (Rr rr : rrs) {
                // one contribution is already free of duplicates (the compiler's RRsets are sets)
                byType.computeIfAbsent(rr.type(), t -> single ? new ArrayList<>() : new LinkedHashSet<>()).add(rr);
            }
        }
        Map<Integer, List<Rr>> out = new LinkedHashMap<>();
        byType.forEach((t, rrs) -> out.put(t, rrs instanceof List<Rr> l ? l : new ArrayList<>(rrs)));
        return out;
    }

    private static boolean hasTargetWithGlue(List<Rr> rrs) {
        for (Rr rr : rrs) {
            if (rr.type() == RecordType.SRV || rr.type() == RecordType.NS) {
                return true;
            }
        }
        return false;
    }

    private NameState state(NameKey key) {
        NameState s = names.get(key);
        if (s == null) {
            byte[] wire = key.wire();
            Zone zone = table.zoneOf(wire);
            if (zone == null) {
                throw new IllegalArgumentException("name outside the served zones: " + key);
            }
            s = new NameState(key, zone);
            names.put(key, s);
        }
        return s;
    }

    private void adjustAncestors(NameState s, int delta, Set<NameKey> dirty) {
        if (!s.zone.authoritative) {
            return;
        }
        byte[] name = s.key.wire();
        while (name.length > s.zone.apex.length) {
            name = DnsName.parent(name);
            NameState p = state(NameKey.of(name));
            boolean existed = p.exists();
            p.namesBelow += delta;
            if (existed != p.exists()) {
                dirty.add(p.key);
            }
        }
    }

    private Node encode(NameState s) {
        Map<Integer, List<Rr>> byType = merged(s);
        EncodedAnswer[] answers = new EncodedAnswer[RecordType.SLOTS];
        byte[] owner = s.key.wire();
        for (Map.Entry<Integer, List<Rr>> e : byType.entrySet()) {
            int slot = RecordType.slot(e.getKey());
            if (slot < 0) {
                throw new IllegalArgumentException("unsupported record type " + e.getKey() + " at " + s.key);
            }
            List<Rr> rrs = e.getValue();
            if (e.getKey() == RecordType.CNAME) {
                rrs = rrs.subList(0, 1);
            } else if (e.getKey() == RecordType.PTR && rrs.size() > 1 && ptrPolicy == PtrPolicy.HOSTNAME_FIRST) {
                rrs = List.of(canonicalPtr(rrs));
            }
            answers[slot] = encoder.encode(owner, rrs, glue(rrs));
        }
        if (answers[CNAME_SLOT] != null) {
            // a CNAME cannot coexist with other data (RFC 1034 3.6.2); the CNAME wins
            EncodedAnswer cname = answers[CNAME_SLOT];
            java.util.Arrays.fill(answers, null);
            answers[CNAME_SLOT] = cname;
        }
        return new Node(answers, s.zone);
    }

    /** The one PTR of {@link PtrPolicy#HOSTNAME_FIRST}: lowest rank, then the smallest name. */
    private static Rr canonicalPtr(List<Rr> rrs) {
        Rr best = rrs.get(0);
        for (Rr rr : rrs) {
            if (rr.rank() < best.rank() || rr.rank() == best.rank() && java.util.Arrays.compare(rr.target(), best.target()) < 0) {
                best = rr;
            }
        }
        return best;
    }

    private List<AnswerEncoder.Additional> glue(List<Rr> rrs) {
        List<AnswerEncoder.Additional> out = new ArrayList<>();
        Set<NameKey> seen = new LinkedHashSet<>();
        for (Rr rr : rrs) {
            if ((rr.type() != RecordType.SRV && rr.type() != RecordType.NS) || rr.target() == null) {
                continue;
            }
            NameKey target = NameKey.of(rr.target());
            if (!seen.add(target)) {
                continue;
            }
            NameState at = names.get(target);
            if (at == null) {
                continue;
            }
            for (int type : GLUE_TYPES) {
                for (List<Rr> rrs2 : at.contributions.values()) {
                    for (Rr a : rrs2) {
                        if (a.type() == type) {
                            out.add(new AnswerEncoder.Additional(rr.target(), a));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Sets the SOA that negative answers of a zone carry (body: everything after the owner name). */
    public void setNegativeSoa(Zone zone, Rr soa) {
        zone.soaBody = AnswerEncoder.recordBodyUncompressed(soa);
    }
}
