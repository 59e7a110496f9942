package io.headlessdns.server.query;

import java.util.Locale;

/**
 * What a UDP answer that does not fit the client's buffer becomes. {@link #TRUNCATE} is RFC 1035/2181
 * behaviour (whole records that fit, TC set, the client retries over TCP). {@link #FIT} is for clients that
 * never retry over TCP (musl libc, coredns#5362): an RRset of self-contained records (A, AAAA, SRV) gets
 * as many whole records as fit, starting at a record that rotates per query, without TC and without the
 * additional section; other RRsets (PTR, CNAME, whose names may point into earlier records) truncate.
 */
public enum UdpAnswerPolicy {
    TRUNCATE, FIT;

    public static UdpAnswerPolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--udp-answer-policy must be truncate or fit, not '" + text + "'");
        }
    }
}
