package io.headlessdns.server.table;

import io.headlessdns.server.wire.RecordType;

/**
 * One RRset ready to copy into a response: the answer section's records, then the additional section's,
 * already in wire form for a response whose question name is the owner name. Offsets inside assume the
 * question starts at byte 12, which is true of every response this server writes, so owner names and
 * compression pointers never need rewriting at query time.
 *
 * <p>{@code rrEnds[i]} is the end (exclusive, relative to {@code data}) of the i-th answer record, so a
 * truncated response can take the first k whole records (RFC 2181 9). A lone record without additional
 * records, nearly every answer of a cluster (a pod's A, an address's PTR), has no array: it ends where
 * the data ends.
 *
 * <p>Design note: a {@link Node} is the first of its RRsets itself (it extends this class), so the
 * common name with one RRset costs one object beside its arrays, not two: 40 bytes rather than 64
 * (about 8 MB at 150k endpoints). That is why the answer length is not a field.
 */
public sealed class EncodedAnswer permits Node {
    final byte[] data;
    final int answerCount;
    final int additionalCount;
    final int[] rrEnds;

    EncodedAnswer(byte[] data, int answerCount, int answerLength, int additionalCount, int[] rrEnds) {
        if (answerCount < 1 || answerLength > data.length || rrEnds != null && rrEnds.length != answerCount
                || rrEnds != null && rrEnds[answerCount - 1] != answerLength
                || rrEnds == null && answerCount > 1) {
            throw new IllegalArgumentException("inconsistent answer: " + answerCount + " records, answer section "
                    + answerLength + " of " + data.length + " bytes");
        }
        this.data = data;
        this.answerCount = answerCount;
        this.additionalCount = additionalCount;
        this.rrEnds = answerCount == 1 && answerLength == data.length ? null
                : rrEnds != null ? rrEnds : new int[] {answerLength};
    }

    /** A copy of {@code a}'s fields (a node taking its first RRset in), or no answer at all for null. */
    EncodedAnswer(EncodedAnswer a) {
        this.data = a == null ? null : a.data;
        this.answerCount = a == null ? 0 : a.answerCount;
        this.additionalCount = a == null ? 0 : a.additionalCount;
        this.rrEnds = a == null ? null : a.rrEnds;
    }

    public byte[] data() {
        return data;
    }

    public int answerCount() {
        return answerCount;
    }

    /** Where the answer section ends in {@link #data()}: the additional section follows. */
    public int answerLength() {
        return rrEnds == null ? data.length : rrEnds[answerCount - 1];
    }

    public int additionalCount() {
        return additionalCount;
    }

    public int additionalLength() {
        return data.length - answerLength();
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
    public int type() {
        return (data[2] & 0xff) << 8 | (data[3] & 0xff);
    }

    /** Start offset in {@link #data()} of answer record {@code i}. */
    public int rrStart(int i) {
        return i == 0 ? 0 : rrEnds[i - 1];
    }

    /** End offset (exclusive) in {@link #data()} of answer record {@code i}. */
    public int rrEnd(int i) {
        return rrEnds == null ? data.length : rrEnds[i];
    }
}
