package io.headlessdns.server.table;

import io.headlessdns.server.wire.RecordType;

/**
 * One RRset ready to copy into a response: the answer section's records, then the additional section's,
 * already in wire form for a response whose question name is the owner name. Offsets inside assume the
 * question starts at byte 12, which is true of every response this server writes, so owner names and
 * compression pointers never need rewriting at query time.
 *
 * <p>{@code rrEnds[i]} is the end (exclusive, relative to {@code data}) of the i-th answer record, so a
 * truncated response can take the first k whole records (RFC 2181 9).
 */
public final class EncodedAnswer {
    final byte[] data;
    final int answerCount;
    final int answerLength;
    final int additionalCount;
    final int[] rrEnds;

    EncodedAnswer(byte[] data, int answerCount, int answerLength, int additionalCount, int[] rrEnds) {
        this.data = data;
        this.answerCount = answerCount;
        this.answerLength = answerLength;
        this.additionalCount = additionalCount;
        // one record ends where the answer section ends: no array for the common single-record RRset
        this.rrEnds = answerCount == 1 ? null : rrEnds;
    }

    public byte[] data() {
        return data;
    }

    public int answerCount() {
        return answerCount;
    }

    public int answerLength() {
        return answerLength;
    }

    public int additionalCount() {
        return additionalCount;
    }

    public int additionalLength() {
        return data.length - answerLength;
    }

    /**
     * Whether each answer record stands alone: its owner is the pointer to the question and its RDATA
     * holds no pointer to an earlier record (A, AAAA; SRV, whose targets are never compressed, RFC 2782).
     * Only then may a response carry any subset of the records, in any order (--udp-answer-policy fit).
     * Read from the first record's TYPE (bytes 2-3, after the owner pointer; an RRset has one type), so
     * it costs no field per answer.
     */
    public boolean selfContained() {
        int type = type();
        return type == RecordType.A || type == RecordType.AAAA || type == RecordType.SRV;
    }

    /**
     * Whether the RRset is addresses (A or AAAA): the records {@code --loadbalance round_robin} rotates.
     * SRV is left in order, as CoreDNS's loadbalance leaves it: its priority and weight choose the target.
     */
    public boolean addresses() {
        int type = type();
        return type == RecordType.A || type == RecordType.AAAA;
    }

    /** The RRset's TYPE, read from the first record (bytes 2-3, after the owner pointer). */
    private int type() {
        return (data[2] & 0xff) << 8 | (data[3] & 0xff);
    }

    /** Start offset in {@link #data()} of answer record {@code i}. */
    public int rrStart(int i) {
        return i == 0 ? 0 : rrEnds[i - 1];
    }

    /** End offset (exclusive) in {@link #data()} of answer record {@code i}. */
    public int rrEnd(int i) {
        return rrEnds == null ? answerLength : rrEnds[i];
    }
}
