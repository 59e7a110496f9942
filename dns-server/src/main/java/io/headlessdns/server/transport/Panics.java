package io.headlessdns.server.transport;

import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts queries whose handling threw, CoreDNS's "panics". The query path is built never to throw, so a
 * count here is a bug: the first one is logged with its stack trace, later ones once per 1000, so a
 * query of death cannot flood the log.
 */
final class Panics {
    private static final Logger log = LoggerFactory.getLogger(Panics.class);

    private final LongAdder count = new LongAdder();

    void record(RuntimeException e) {
        count.increment();
        long n = count.sum();
        if (n == 1) {
            log.error("query handling failed (a bug; further failures are logged 1 in 1000)", e);
        } else if (n % 1000 == 0) {
            log.error("query handling failed {} times; latest: {}", n, e.toString());
        }
    }

    long count() {
        return count.sum();
    }
}
