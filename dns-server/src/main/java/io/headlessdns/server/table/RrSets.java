package io.headlessdns.server.table;

import io.headlessdns.server.compile.Rr;
import io.headlessdns.server.wire.RecordType;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The table writer's scratch for encoding one name: the name's records merged from its contributions,
 * then the RRset of one type selected from them, and its glue. Reused for every name, so encoding
 * allocates only what it publishes. Not thread-safe (the single writer's).
 */
final class RrSets {
    private Rr[] all = new Rr[16];
    private int size;
    private Rr[] selected = new Rr[16];
    private int selectedCount;
    private NameState[] targets = new NameState[16];
    private final AnswerEncoder.Glue glue = new AnswerEncoder.Glue();
    private final AnswerEncoder.Glue none = new AnswerEncoder.Glue();
    private final Set<Rr> seen = new HashSet<>();

    /** Collects a name's records: the union of its contributions, duplicates removed, order kept. */
    void gather(NameState s) {
        size = 0;
        if (!s.shared()) {
            Object recs = s.single();
            if (recs != null) {
                // one contribution is already free of duplicates (the compiler's RRsets are sets)
                for (int i = 0, n = NameState.count(recs); i < n; i++) {
                    add(NameState.at(recs, i));
                }
            }
            return;
        }
        seen.clear();
        for (Object recs : s.contributions()) {
            for (int i = 0, n = NameState.count(recs); i < n; i++) {
                Rr rr = NameState.at(recs, i);
                if (seen.add(rr)) {
                    add(rr);
                }
            }
        }
        seen.clear();
    }

    private void add(Rr rr) {
        if (size == all.length) {
            all = Arrays.copyOf(all, size * 2);
        }
        all[size++] = rr;
    }

    int size() {
        return size;
    }

    Rr get(int i) {
        return all[i];
    }

    /** Bit {@link RecordType#slot} set for each type among the gathered records. */
    int slots(NameKey owner) {
        int bits = 0;
        for (int i = 0; i < size; i++) {
            int slot = RecordType.slot(all[i].type());
            if (slot < 0) {
                throw new IllegalArgumentException("unsupported record type " + all[i].type() + " at " + owner);
            }
            bits |= 1 << slot;
        }
        return bits;
    }

    /** Selects the gathered records of one type, in order; returns how many. */
    int select(int type) {
        if (selected.length < size) {
            selected = new Rr[Math.max(size, selected.length * 2)];
        }
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (all[i].type() == type) {
                selected[n++] = all[i];
            }
        }
        selectedCount = n;
        return n;
    }

    Rr[] selected() {
        return selected;
    }

    /** Keeps the one PTR of {@link io.headlessdns.server.compile.PtrPolicy#HOSTNAME_FIRST}: lowest rank, then the smallest name. */
    int keepCanonicalPtr() {
        Rr best = selected[0];
        for (int i = 1; i < selectedCount; i++) {
            Rr rr = selected[i];
            if (rr.rank() < best.rank() || rr.rank() == best.rank() && Arrays.compare(rr.target(), best.target()) < 0) {
                best = rr;
            }
        }
        selected[0] = best;
        selectedCount = 1;
        return 1;
    }

    /** The glue collector, emptied. */
    AnswerEncoder.Glue glue() {
        glue.clear();
        return glue;
    }

    AnswerEncoder.Glue noGlue() {
        return none;
    }

    /** Room for the states of up to {@code n} glue targets. */
    NameState[] glueTargets(int n) {
        if (targets.length < n) {
            targets = new NameState[Math.max(n, targets.length * 2)];
        }
        return targets;
    }
}
