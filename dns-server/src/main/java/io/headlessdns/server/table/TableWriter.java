package io.headlessdns.server.table;

import io.headlessdns.server.compile.PtrPolicy;
import io.headlessdns.server.compile.Rr;
import io.headlessdns.server.wire.RecordType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The single writer of a {@link RecordTable}. Records arrive grouped by contributor (a service, a pod,
 * a namespace, the zone apex); {@link #replace} swaps one contributor's records and re-encodes only the
 * names it touched, so a change costs O(size of that contributor).
 *
 * <p>Several contributors may share a name (two services behind one IP give one PTR RRset with two
 * records); each name's RRsets are the union of its contributions. Names that exist in both the old and
 * the new state are overwritten, never removed and re-added, so a concurrent reader cannot miss them.
 * Empty non-terminals are tracked by counting, at each name of an authoritative zone, the existing
 * names directly below it.
 *
 * <p>Design note: the records live once, in each name's {@link NameState}; a contributor keeps only the
 * array of the names it wrote, which is all a replace needs to find the names it no longer writes. A
 * replace allocates what it publishes and little else: scratch arrays and flags on the states are reused.
 *
 * <p>Not thread-safe: one thread calls it (the source's thread).
 */
public final class TableWriter {
    private static final int CNAME_SLOT = RecordType.slot(RecordType.CNAME);
    private static final int[] GLUE_TYPES = {RecordType.A, RecordType.AAAA};

    private final RecordTable table;
    private final PtrPolicy ptrPolicy;
    private final Map<Object, Contribution> byContributor = new HashMap<>();
    private final NameStates names = new NameStates();
    private final AnswerEncoder encoder = new AnswerEncoder();
    /** Names answered NXDOMAIN with an explanation while no contributor makes them exist, and their counters. */
    private final Map<NameKey, LongAdder> explained = new HashMap<>();

    // scratch of one replace (single writer)
    private final List<NameState> dirty = new ArrayList<>();
    private final List<NameState> glueOnly = new ArrayList<>();
    private final List<NameState> gone = new ArrayList<>();
    private final RrSets sets = new RrSets();
    private final EncodedAnswer[] bySlot = new EncodedAnswer[RecordType.SLOTS];
    private final NameKey.Probe probe = new NameKey.Probe(256);
    private Rr lastSoa;
    private byte[] lastSoaBody;

    /** One contributor: its key as first seen, and the names it writes (their records are in their states). */
    private static final class Contribution {
        final Object key;
        NameState[] names;

        Contribution(Object key, NameState[] names) {
            this.key = key;
            this.names = names;
        }
    }

    public TableWriter(RecordTable table, PtrPolicy ptrPolicy) {
        this.table = table;
        this.ptrPolicy = ptrPolicy;
    }

    /**
     * Makes {@code records} the complete contribution of {@code contributor} (an empty map removes it).
     * Names outside every zone of the table are rejected.
     */
    public void replace(Object contributor, Map<NameKey, List<Rr>> records) {
        Contribution known = records.isEmpty() ? byContributor.remove(contributor) : byContributor.get(contributor);
        NameState[] old = known == null ? null : known.names;
        // the key object first seen is the one the states hold, so comparing them is mostly an identity check
        Object who = known == null ? contributor : known.key;
        NameState[] now = new NameState[records.size()];
        try {
            int i = 0;
            for (Map.Entry<NameKey, List<Rr>> e : records.entrySet()) {
                NameState s = state(e.getKey());
                now[i++] = s;
                s.mark |= NameState.SEEN;
                Object before = s.recordsOf(who);
                List<Rr> rrs = e.getValue();
                if (before == null) {
                    boolean wasContributed = s.contributed();
                    if (wasContributed) {
                        readBack(s); // the name becomes shared: every contribution is kept as records
                    }
                    s.put(who, NameState.compact(rrs));
                    markDirty(s);
                    if (!wasContributed && s.namesBelow() == 0) {
                        adjustAncestors(s, +1); // the name comes into existence
                    }
                } else if (!same(s, before, rrs)) {
                    s.put(who, NameState.compact(rrs));
                    markDirty(s);
                } else if (hasTargetWithGlue(before)) {
                    glueOnly.add(s);
                }
            }
            if (old != null) {
                for (NameState s : old) {
                    if ((s.mark & NameState.SEEN) == 0) {
                        s.remove(who);
                        markDirty(s);
                        if (!s.contributed() && s.namesBelow() == 0) {
                            adjustAncestors(s, -1); // the name ceases to exist
                        }
                    }
                }
            }
            if (known != null && now.length > 0) {
                known.names = now;
            } else if (now.length > 0) {
                byContributor.put(contributor, new Contribution(contributor, now));
            }
            if (!dirty.isEmpty()) {
                // SRV and NS answers carry their targets' addresses in the additional section
                for (NameState s : glueOnly) {
                    markDirty(s);
                }
            }
            publish();
        } finally {
            for (NameState s : now) {
                if (s != null) { // null past a name that was rejected
                    s.clearMarks();
                }
            }
            for (NameState s : dirty) {
                s.clearMarks();
            }
            dirty.clear();
            glueOnly.clear();
            gone.clear();
        }
    }

    private void publish() {
        for (NameState s : dirty) {
            if (s.exists()) {
                Node node = encode(s);
                table.put(s, node);
                s.keepEncodedIfHeld(node);
            } else {
                gone.add(s);
            }
        }
        for (NameState s : gone) {
            names.remove(s);
            LongAdder counter = explained.get(s);
            if (counter != null) {
                table.put(s, explainedNode(s, counter)); // one put: no moment without the explanation
            } else {
                table.remove(s);
            }
        }
    }

    private void markDirty(NameState s) {
        if ((s.mark & NameState.DIRTY) == 0) {
            s.mark |= NameState.DIRTY;
            dirty.add(s);
        }
    }

    /**
     * Marks a name as an explained negative (NXDOMAIN with an Extended DNS Error, each answer counted in
     * {@code counter}) for as long as nothing makes it exist; null clears the mark. A name with records, or
     * an empty non-terminal, keeps answering as before: the mark only shows while the name does not exist.
     */
    public void explainNegative(NameKey name, LongAdder counter) {
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

    private Node explainedNode(NameKey name, LongAdder counter) {
        zoneOf(name); // rejects a name outside the zones
        return new ExplainedNegative(name, counter);
    }

    /** The records currently contributed at a name, merged; for tests. Writer thread only, like every method here. */
    public Map<Integer, List<Rr>> recordsAt(NameKey name) {
        NameState s = names.get(name);
        Map<Integer, List<Rr>> out = new LinkedHashMap<>();
        if (s != null && s.encoded() != null) {
            for (Rr rr : decode(s, s.encoded())) {
                out.computeIfAbsent(rr.type(), t -> new ArrayList<>()).add(rr);
            }
        } else if (s != null) {
            RrSets merged = new RrSets(); // not the encoding scratch: this is no part of a replace
            merged.gather(s);
            for (int i = 0; i < merged.size(); i++) {
                out.computeIfAbsent(merged.get(i).type(), t -> new ArrayList<>()).add(merged.get(i));
            }
        }
        return out;
    }

    /** Whether kept records (or the published answer they stand for) are the same, in order, as new ones. */
    private boolean same(NameState s, Object before, List<Rr> rrs) {
        if (before instanceof Node n) {
            return AnswerDecoder.holds(n.anyAnswer(), s.wire(), rrs);
        }
        return NameState.same(before, rrs);
    }

    /** Turns a contribution kept as its published node back into records, read from the node's answer. */
    private void readBack(NameState s) {
        Node e = s.encoded();
        if (e != null) {
            s.keepAs(NameState.compact(Arrays.asList(decode(s, e))));
        }
    }

    private Rr[] decode(NameState s, Node e) {
        return AnswerDecoder.records(e.anyAnswer(), s.wire(), s.encodedRank());
    }

    private static boolean hasTargetWithGlue(Object recs) {
        if (recs instanceof Node n) {
            return n.has(RecordType.SRV) || n.has(RecordType.NS);
        }
        for (int i = 0, n = NameState.count(recs); i < n; i++) {
            int type = NameState.at(recs, i).type();
            if (type == RecordType.SRV || type == RecordType.NS) {
                return true;
            }
        }
        return false;
    }

    private NameState state(NameKey key) {
        NameState s = names.get(key);
        if (s == null) {
            zoneOf(key);
            s = new NameState(key.wire());
            names.add(s);
        }
        return s;
    }

    private Zone zoneOf(NameKey key) {
        Zone zone = table.zoneOf(key.wire());
        if (zone == null) {
            throw new IllegalArgumentException("name outside the served zones: " + key);
        }
        return zone;
    }

    /**
     * Counts a name that came into existence (+1) or ceased to (-1) in its parent's count of existing
     * children; a parent that appears or goes with it (an empty non-terminal) is flagged and counted in
     * its own parent, and so on up to the zone's apex. The walk stops at the first ancestor whose
     * existence does not change, so a new name below a populated subtree costs one step, not one per label.
     */
    private void adjustAncestors(NameState s, int delta) {
        Zone zone = zoneOf(s);
        if (!zone.authoritative) {
            return;
        }
        byte[] name = s.wire();
        int from = 0;
        while (name.length - from > zone.apex.length) {
            from += (name[from] & 0xff) + 1;
            NameState p = ancestor(name, from);
            boolean existed = p.exists();
            p.addNamesBelow(delta);
            if (existed == p.exists()) {
                return;
            }
            markDirty(p);
        }
    }

    /** The state of the suffix of {@code name} at {@code from}; copies the suffix only for a new name. */
    private NameState ancestor(byte[] name, int from) {
        int len = name.length - from;
        System.arraycopy(name, from, probe.buffer(), 0, len);
        probe.seal(len);
        NameState p = names.get(probe);
        if (p == null) {
            p = new NameState(Arrays.copyOfRange(name, from, name.length));
            names.add(p);
        }
        return p;
    }

    private Node encode(NameState s) {
        readBack(s); // re-encoded for new glue: the records come back from the answer being replaced
        sets.gather(s);
        byte[] owner = s.wire();
        Arrays.fill(bySlot, null);
        int present = sets.slots(s);
        if ((present & (1 << CNAME_SLOT)) != 0) {
            // a CNAME cannot coexist with other data (RFC 1034 3.6.2); the first CNAME wins
            sets.select(RecordType.CNAME);
            bySlot[CNAME_SLOT] = encoder.encode(owner, sets.selected(), 1, sets.noGlue());
            return new Node(s, bySlot);
        }
        for (int slot = 0; slot < RecordType.SLOTS; slot++) {
            if ((present & (1 << slot)) == 0) {
                continue;
            }
            int type = RecordType.typeOfSlot(slot);
            int n = sets.select(type);
            if (type == RecordType.PTR && n > 1 && ptrPolicy == PtrPolicy.HOSTNAME_FIRST) {
                n = sets.keepCanonicalPtr();
            }
            AnswerEncoder.Glue glue = type == RecordType.SRV || type == RecordType.NS ? glue(n) : sets.noGlue();
            bySlot[slot] = encoder.encode(owner, sets.selected(), n, glue);
        }
        return new Node(s, bySlot);
    }

    /** The A and AAAA records of the selected records' targets, each target once (the additional section). */
    private AnswerEncoder.Glue glue(int n) {
        AnswerEncoder.Glue glue = sets.glue();
        Rr[] rrs = sets.selected();
        int marked = 0;
        NameState[] targets = sets.glueTargets(n);
        for (int i = 0; i < n; i++) {
            byte[] target = rrs[i].target();
            if (target == null) {
                continue;
            }
            System.arraycopy(target, 0, probe.buffer(), 0, target.length);
            probe.seal(target.length);
            NameState at = names.get(probe);
            if (at == null || (at.mark & NameState.GLUE) != 0) {
                continue;
            }
            at.mark |= NameState.GLUE;
            targets[marked++] = at;
            for (int type : GLUE_TYPES) {
                if (at.shared()) {
                    for (Object recs : at.contributions()) {
                        glue.addOfType(target, recs, type);
                    }
                } else if (at.encoded() != null) {
                    if (at.encoded().has(type)) {
                        glue.addEncoded(target, at.encoded().answer(type));
                    }
                } else if (at.contributed()) {
                    glue.addOfType(target, at.single(), type);
                }
            }
        }
        for (int i = 0; i < marked; i++) {
            targets[i].mark &= ~NameState.GLUE;
        }
        return glue;
    }

    /** Sets the SOA that negative answers of a zone carry (body: everything after the owner name). */
    public void setNegativeSoa(Zone zone, Rr soa) {
        if (soa != lastSoa) {
            // the updater sets the same SOA on every zone after each change: encode it once
            lastSoa = soa;
            lastSoaBody = encoder.recordBodyUncompressed(soa);
        }
        zone.soaBody = lastSoaBody;
    }
}
