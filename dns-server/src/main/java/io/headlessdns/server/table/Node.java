package io.headlessdns.server.table;

import io.headlessdns.server.wire.RecordType;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything served at one owner name: an encoded answer per stored type (null where the name has no
 * records of that type). A node with no answers at all is an empty non-terminal: the name exists, so
 * queries for it get NODATA, not NXDOMAIN (RFC 8020). Immutable once published.
 */
public final class Node {
    final EncodedAnswer[] answers;
    final Zone zone;
    /**
     * Non-null only on an explained negative: a name that does not exist in DNS but names a headless
     * service without ready endpoints. Such a node answers NXDOMAIN (never NODATA) with an RFC 8914
     * Extended DNS Error, and each such answer is counted here (read by the metrics at scrape time).
     */
    final LongAdder explainedNegatives;

    Node(EncodedAnswer[] answers, Zone zone) {
        this(answers, zone, null);
    }

    Node(EncodedAnswer[] answers, Zone zone, LongAdder explainedNegatives) {
        this.answers = answers;
        this.zone = zone;
        this.explainedNegatives = explainedNegatives;
    }

    /** The counter of an explained negative, or null for a name that exists. */
    public LongAdder explainedNegatives() {
        return explainedNegatives;
    }

    /** The answer for a query type, or null (NODATA). A CNAME answers every type but CNAME itself too. */
    public EncodedAnswer answer(int qtype) {
        int slot = RecordType.slot(qtype);
        EncodedAnswer a = slot >= 0 ? answers[slot] : null;
        if (a == null && qtype != RecordType.CNAME) {
            a = answers[RecordType.slot(RecordType.CNAME)];
        }
        return a;
    }

    /** A minimal answer to ANY (RFC 8482 4.2): one RRset the node has, or null. */
    public EncodedAnswer anyAnswer() {
        for (EncodedAnswer a : answers) {
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    public Zone zone() {
        return zone;
    }
}
