package io.headlessdns.server.table;

import java.util.concurrent.atomic.LongAdder;

/**
 * A name that does not exist in DNS but names a headless service without ready endpoints (issue #9 item
 * 5): the query path answers it NXDOMAIN (never NODATA) with an RFC 8914 Extended DNS Error and counts
 * the answer in the service's adder, which the metrics read at scrape time. Has no RRsets.
 */
final class ExplainedNegative extends Node {
    private final LongAdder counter;

    ExplainedNegative(NameKey name, LongAdder counter) {
        super(name, new EncodedAnswer[0]);
        this.counter = counter;
    }

    @Override
    public LongAdder explainedNegatives() {
        return counter;
    }
}
