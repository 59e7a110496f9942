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
    /** The gathered records: {@link #all}, or a single contribution's own array (never written to). */
    private Rr[] view = all;
    private int size;
    private Rr[] selected = new Rr[16];
    /** The selected RRset: {@link #selected}, or the gathered array when it holds one type only. */
    private Rr[] selectedView = selected;
    private int selectedCount;
    private NameState[] targets = new NameState[16];
    private final AnswerEncoder.Glue glue = new AnswerEncoder.Glue();
    private final AnswerEncoder.Glue none = new AnswerEncoder.Glue();
    private final Set<Rr> seen = new HashSet<>();

    /** Collects a name's records: the union of its contributions, duplicates removed, order kept. */
    void gather(NameState s) {
        size = 0;
        view = all;
        if (!s.shared()) {
            Object recs = s.single();
            if (recs instanceof Rr[] array) {
                // one contribution is already free of duplicates (the compiler's RRsets are sets): read it in place
                view = array;
                size = array.length;
            } else if (recs != null) {
                add((Rr) recs);
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
            view = all;
        }
        all[size++] = rr;
    }

    int size() {
        return size;
    }

    Rr get(int i) {
        return view[i];
    }

    /** Bit {@link RecordType#slot} set for each type among the gathered records. */
    int slots(NameKey owner) {
        int bits = 0;
        for (int i = 0; i < size; i++) {
            int slot = RecordType.slot(view[i].type());
            if (slot < 0) {
                throw new IllegalArgumentException("unsupported record type " + view[i].type() + " at " + owner);
            }
            bits |= 1 << slot;
        }
        return bits;
    }

    /** Selects the gathered records of one type, in order; returns how many. */
    int select(int type) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (view[i].type() == type) {
                n++;
            }
        }
        selectedCount = n;
        if (n == size) {
            // one type only, the usual case: the gathered array is the RRset
            selectedView = view;
            return n;
        }
        if (selected.length < n) {
            selected = new Rr[Math.max(n, selected.length * 2)];
        }
        for (int i = 0, j = 0; i < size; i++) {
            if (view[i].type() == type) {
                selected[j++] = view[i];
            }
        }
        selectedView = selected;
        return n;
    }

    Rr[] selected() {
        return selectedView;
    }

    /** Keeps the one PTR of {@link io.headlessdns.server.compile.PtrPolicy#HOSTNAME_FIRST}: lowest rank, then the smallest name. */
    int keepCanonicalPtr() {
        Rr best = selectedView[0];
        for (int i = 1; i < selectedCount; i++) {
            Rr rr = selectedView[i];
            if (rr.rank() < best.rank() || rr.rank() == best.rank() && Arrays.compare(rr.target(), best.target()) < 0) {
                best = rr;
            }
        }
        selected[0] = best;
        selectedView = selected;
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
