package io.headlessdns.server.table;

import io.headlessdns.server.compile.Rr;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the table writer knows of one name: who contributes which records to it, and how many existing
 * names lie directly below it (an empty non-terminal exists while that count is positive, RFC 8020).
 *
 * <p>Design note: the writer keeps one of these per served name, so it is small: it is the name's
 * {@link NameKey} itself (the table's node refers to it as its key), plus four fields. Almost
 * every name has exactly one contributor, whose records are held directly: one {@link Rr}, or an
 * {@code Rr[]} when there are several, or, when they are exactly the one RRset the table publishes at
 * the name, just the published node (the records are read back from its answer when needed). Only
 * a name that several contributors share (a PTR of an IP behind two services) gets a map, kept in
 * insertion order so merged RRsets are stable; its contributions are always compiled records.
 */
final class NameState extends NameKey {
    /** Stands for "several contributors" in {@link #contributor}; {@link #records} is then the map. */
    private static final Object MANY = new Object();
    static final Rr[] NO_RECORDS = new Rr[0];

    /** {@link #mark} bits, set during one {@code replace} and cleared before it returns. */
    static final int SEEN = 1;
    static final int DIRTY = 2;
    static final int GLUE = 4;

    /**
     * Records of a name's one contributor that are exactly the answer the table publishes there (one
     * RRset of a type {@link AnswerDecoder} reads back, all records of one rank) are kept as that
     * published {@link Node} itself: the records are read back from its answer when needed, and the
     * writer reaches the answer without a table look-up. The rank, the only thing the answer does not
     * hold, is kept in two bits of {@link #mark}.
     *
     * <p>Design note: compiled records beside their encoded answers cost about 130 bytes per endpoint
     * (an A, a PTR and an SRV record, and the address array); they are needed again only when the name
     * becomes shared, when its answer is re-encoded for new glue, and as glue of an SRV target.
     */
    static final int MAX_RANK = 3;
    private static final int RANK_SHIFT = 8;
    private static final int RANK_MASK = MAX_RANK << RANK_SHIFT;
    /** The {@link #mark} bits a replace sets and clears; the bits above hold the kept rank and the count below. */
    static final int TRANSIENT = (1 << RANK_SHIFT) - 1;
    /** Where {@link #mark} keeps the count of existing names directly below: its upper 22 bits. */
    private static final int BELOW_SHIFT = 10;
    static final int MAX_NAMES_BELOW = (1 << (32 - BELOW_SHIFT)) - 1;

    /** The one contributor, {@link #MANY}, or null when nobody contributes records. */
    private Object contributor;
    /** The contributor's records (an Rr or an Rr[]), or for MANY a map from contributor to those. */
    private Object records;
    /**
     * Three things in one int, so that a name state is 32 bytes, not 40 (about 2.7 MB at 150k endpoints):
     * the marks of one replace ({@link #TRANSIENT}), the kept rank, and above them the number of existing
     * names directly below this one (a name exists when contributed or when that is positive). A name
     * with more than four million children does not occur: a namespace, a service and an in-addr.arpa
     * label have far fewer, and {@link #addNamesBelow} refuses rather than wraps.
     */
    int mark;

    /** The state of a name, which is also that name's key: one object per name in the writer, not two. */
    NameState(byte[] lowerWire) {
        bytes = lowerWire;
        hash = hash(lowerWire, 0, lowerWire.length);
    }

    boolean contributed() {
        return contributor != null;
    }

    boolean exists() {
        return contributor != null || namesBelow() > 0;
    }

    boolean shared() {
        return contributor == MANY;
    }

    /** The records of one contributor here (an Rr or Rr[]), or null when it contributes nothing. */
    @SuppressWarnings("unchecked")
    Object recordsOf(Object who) {
        if (contributor == MANY) {
            return ((Map<Object, Object>) records).get(who);
        }
        return who == contributor || who.equals(contributor) ? records : null;
    }

    /** The only contribution's records, or null when the name is shared or has none. */
    Object single() {
        return contributor == MANY ? null : records;
    }

    /** The published node that stands for the only contribution's records, or null when they are kept as records. */
    Node encoded() {
        return contributor != MANY && records instanceof Node n ? n : null;
    }

    /** The rank of the records an {@link #encoded()} node stands for. */
    int encodedRank() {
        return (mark & RANK_MASK) >>> RANK_SHIFT;
    }

    /** The existing names directly below this one. */
    int namesBelow() {
        return mark >>> BELOW_SHIFT;
    }

    void addNamesBelow(int delta) {
        int n = namesBelow() + delta;
        if (n < 0 || n > MAX_NAMES_BELOW) {
            throw new IllegalStateException(n + " names directly below " + this);
        }
        mark = (mark & ((1 << BELOW_SHIFT) - 1)) | n << BELOW_SHIFT;
    }

    /** Clears the marks of one replace, keeping the rank. */
    void clearMarks() {
        mark &= ~TRANSIENT;
    }

    /** Replaces the form the only contribution's records are kept in (records, or the node that holds them). */
    void keepAs(Object recs) {
        if (contributor == null || contributor == MANY) {
            throw new IllegalStateException("no single contribution at " + this);
        }
        records = recs;
    }

    /**
     * Keeps only the published node for a single contribution that the published answer
     * holds exactly: one readable type, one rank, and every record in the answer (not so for the one PTR a
     * policy keeps of several).
     */
    void keepEncodedIfHeld(Node node) {
        Object recs = single();
        if (recs == null || recs instanceof Node) {
            return;
        }
        int n = count(recs);
        if (n == 0) {
            return;
        }
        Rr first = at(recs, 0);
        int type = first.type();
        int rank = first.rank();
        if (!AnswerDecoder.readable(type) || rank < 0 || rank > MAX_RANK) {
            return;
        }
        for (int i = 1; i < n; i++) {
            Rr rr = at(recs, i);
            if (rr.type() != type || rr.rank() != rank) {
                return;
            }
        }
        EncodedAnswer a = node.answer(type);
        if (a != null && a.answerCount == n) {
            keepAs(node);
            mark = (mark & ~RANK_MASK) | rank << RANK_SHIFT;
        }
    }

    @SuppressWarnings("unchecked")
    Iterable<Object> contributions() {
        if (contributor == MANY) {
            return ((Map<Object, Object>) records).values();
        }
        return contributor == null ? List.of() : List.of(records);
    }

    @SuppressWarnings("unchecked")
    void put(Object who, Object recs) {
        if (contributor == MANY) {
            ((Map<Object, Object>) records).put(who, recs);
        } else if (contributor == null || contributor == who || contributor.equals(who)) {
            contributor = who;
            records = recs;
        } else {
            if (records instanceof Node) {
                throw new IllegalStateException("records of " + this + " must be read back before it is shared");
            }
            Map<Object, Object> many = new LinkedHashMap<>(4);
            many.put(contributor, records);
            many.put(who, recs);
            contributor = MANY;
            records = many;
        }
    }

    @SuppressWarnings("unchecked")
    void remove(Object who) {
        if (contributor == MANY) {
            Map<Object, Object> many = (Map<Object, Object>) records;
            many.remove(who);
            if (many.size() == 1) {
                Map.Entry<Object, Object> last = many.entrySet().iterator().next();
                contributor = last.getKey();
                records = last.getValue();
            }
        } else if (who == contributor || who.equals(contributor)) {
            contributor = null;
            records = null;
        }
    }

    /** The compact form kept for a contribution: one Rr, or an array. */
    static Object compact(List<Rr> rrs) {
        return rrs.size() == 1 ? rrs.get(0) : rrs.isEmpty() ? NO_RECORDS : rrs.toArray(NO_RECORDS);
    }

    static int count(Object recs) {
        return recs instanceof Rr ? 1 : ((Rr[]) recs).length;
    }

    static Rr at(Object recs, int i) {
        return recs instanceof Rr r ? r : ((Rr[]) recs)[i];
    }

    /** Whether a kept contribution holds the same records, in the same order, as a new one. */
    static boolean same(Object recs, List<Rr> rrs) {
        int n = count(recs);
        if (n != rrs.size()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!at(recs, i).equals(rrs.get(i))) {
                return false;
            }
        }
        return true;
    }
}
