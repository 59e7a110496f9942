package io.headlessdns.server.table;

import io.headlessdns.server.wire.RecordType;

/**
 * Everything served at one owner name: the name, and an encoded answer per stored type (null where the
 * name has no records of that type). A node with no answers at all is an empty non-terminal: the name
 * exists, so queries for it get NODATA, not NXDOMAIN (RFC 8020). Immutable once published.
 *
 * <p>The node is its first RRset's answer itself (the RRset of the lowest present slot; nearly every node
 * holds exactly one), so it costs no separate answer object; the others, in slot order, are in an array.
 * It does not know its zone: the query path asks the table for the zone of a negative answer, the only
 * one that needs it (its SOA), and 4 bytes more would make every node 8 bytes larger.
 */
public sealed class Node extends EncodedAnswer permits ExplainedNegative {
    private static final EncodedAnswer[] NONE = new EncodedAnswer[0];
    private static final int CNAME_BIT = 1 << RecordType.slot(RecordType.CNAME);

    /** Bit {@code slot} set when the node has an RRset of the type in that slot. */
    private final int present;
    /** The RRsets after the first (this node), in slot order. */
    private final EncodedAnswer[] rest;
    /**
     * The owner name in lower-case wire form, exactly: the table's key for this node (the table keeps no
     * entry object beside it, and the hash is in its own array). The array is the one of the key the
     * node was built with, usually the writer's {@link NameState} of the name, so it costs no memory;
     * holding the bytes rather than the key saves a look-up one dependent load, a cache miss when the
     * kernel's network path has run since. Written before this node was built; this final field
     * publishes it with the node.
     */
    final byte[] name;

    /** {@code bySlot} is indexed by {@link RecordType#slot}; null entries are absent types. Not kept. */
    Node(NameKey key, EncodedAnswer[] bySlot) {
        super(firstOf(bySlot));
        if (key instanceof NameKey.Probe) {
            throw new IllegalArgumentException("a probe is reused; a node needs an immutable key");
        }
        this.name = key.wire();
        int bits = 0;
        int n = 0;
        for (int i = 0; i < bySlot.length; i++) {
            if (bySlot[i] != null) {
                bits |= 1 << i;
                n++;
            }
        }
        EncodedAnswer[] tail = n <= 1 ? NONE : new EncodedAnswer[n - 1];
        for (int i = 0, j = -1; i < bySlot.length; i++) {
            if (bySlot[i] != null) {
                if (j >= 0) {
                    tail[j] = bySlot[i];
                }
                j++;
            }
        }
        this.present = bits;
        this.rest = tail;
    }

    private static EncodedAnswer firstOf(EncodedAnswer[] bySlot) {
        for (EncodedAnswer a : bySlot) {
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    private EncodedAnswer at(int index) {
        return index == 0 ? this : rest[index - 1];
    }

    /** The answer for a query type, or null (NODATA). A CNAME answers every type but CNAME itself too. */
    public EncodedAnswer answer(int qtype) {
        int slot = RecordType.slot(qtype);
        if (slot >= 0 && (present & (1 << slot)) != 0) {
            return at(Integer.bitCount(present & ((1 << slot) - 1)));
        }
        if (qtype != RecordType.CNAME && (present & CNAME_BIT) != 0) {
            return at(Integer.bitCount(present & (CNAME_BIT - 1)));
        }
        return null;
    }

    /** Whether the node holds an RRset of exactly this type (a CNAME node answers others, but holds only the CNAME). */
    boolean has(int type) {
        int slot = RecordType.slot(type);
        return slot >= 0 && (present & (1 << slot)) != 0;
    }

    /** A minimal answer to ANY (RFC 8482 4.2): one RRset the node has, or null. */
    public EncodedAnswer anyAnswer() {
        return present == 0 ? null : this;
    }

    /** Each RRset with its type, for the records dump. */
    public void forEach(java.util.function.BiConsumer<Integer, EncodedAnswer> action) {
        for (int slot = 0, j = 0; slot < RecordType.SLOTS; slot++) {
            if ((present & (1 << slot)) != 0) {
                action.accept(RecordType.typeOfSlot(slot), at(j++));
            }
        }
    }

    /** The owner name (a new key over the node's bytes). */
    public NameKey name() {
        return NameKey.of(name);
    }

    /**
     * The counter of an explained negative ({@link ExplainedNegative}), or null for a name that exists.
     * A subclass rather than a field, so the nodes of existing names stay as small as they are.
     */
    public java.util.concurrent.atomic.LongAdder explainedNegatives() {
        return null;
    }
}
