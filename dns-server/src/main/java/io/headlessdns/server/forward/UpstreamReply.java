package io.headlessdns.server.forward;

import io.headlessdns.server.cache.CachedReply;
import io.headlessdns.server.wire.Header;
import io.headlessdns.server.wire.Rcode;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Checks an upstream's reply and turns it into a {@link CachedReply}. Runs on the slow path with
 * dnsjava; anything dnsjava cannot parse or re-encode (it throws unchecked exceptions on some inputs) is
 * {@link Kind#MALFORMED}, never an exception that escapes.
 *
 * <p>A reply counts only if it answers our question: QR set, one question with the same name
 * (case-insensitive, RFC 4343), type and class (RFC 5452 4.1 / 9.1). Anything else is
 * {@link Kind#MISMATCH} and ignored, as a spoofing attempt or a late answer to something else would be.
 */
final class UpstreamReply {
    enum Kind { OK, TRUNCATED, MISMATCH, MALFORMED }

    final Kind kind;
    final int rcode;
    /** For OK (and TRUNCATED over TCP): the reply re-encoded, its TTL decided by {@link TtlPolicy}. */
    final CachedReply reply;
    final boolean cacheable;

    private UpstreamReply(Kind kind, int rcode, CachedReply reply, boolean cacheable) {
        this.kind = kind;
        this.rcode = rcode;
        this.reply = reply;
        this.cacheable = cacheable;
    }

    private static final UpstreamReply MISMATCHED = new UpstreamReply(Kind.MISMATCH, -1, null, false);
    private static final UpstreamReply BROKEN = new UpstreamReply(Kind.MALFORMED, Rcode.SERVFAIL, null, false);

    static UpstreamReply check(byte[] bytes, Name question, int qtype, int qclass, TtlPolicy ttls, boolean overTcp, long nowNanos) {
        try {
            Message m = new Message(bytes);
            if (!m.getHeader().getFlag(Flags.QR) || m.getHeader().getCount(Section.QUESTION) != 1) {
                return MISMATCHED;
            }
            Record q = m.getQuestion();
            if (q == null || !q.getName().equals(question) || q.getType() != qtype || q.getDClass() != qclass) {
                return MISMATCHED;
            }
            boolean tc = m.getHeader().getFlag(Flags.TC);
            if (tc && !overTcp) {
                return new UpstreamReply(Kind.TRUNCATED, m.getRcode(), null, false);
            }
            int rcode = m.getRcode();
            if (rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED) {
                return new UpstreamReply(Kind.OK, rcode, null, false); // the caller asks the next upstream
            }
            return encode(m, question, qtype, qclass, rcode, tc, ttls, nowNanos);
        } catch (Exception | StackOverflowError e) {
            return BROKEN; // dnsjava: WireParseException, IllegalArgumentException, IndexOutOfBounds, ...
        }
    }

    private static UpstreamReply encode(Message m, Name question, int qtype, int qclass, int rcode, boolean tc,
                                        TtlPolicy ttls, long nowNanos) {
        OPTRecord opt = m.getOPT();
        if (opt != null) {
            m.removeRecord(opt, Section.ADDITIONAL); // the client gets its own OPT
        }
        m.removeAllRecords(Section.QUESTION);
        m.addRecord(Record.newRecord(question, qtype, qclass), Section.QUESTION); // lower case: the key's form
        m.getHeader().setID(0);
        m.getHeader().setRcode(rcode & 0xF);
        long minTtl = Long.MAX_VALUE;
        SOARecord soa = null;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : m.getSection(section)) {
                minTtl = Math.min(minTtl, r.getTTL());
                if (section == Section.AUTHORITY && r instanceof SOARecord) {
                    soa = (SOARecord) r;
                }
            }
        }
        boolean noAnswer = m.getHeader().getCount(Section.ANSWER) == 0;
        boolean denial = rcode == Rcode.NXDOMAIN || rcode == Rcode.NOERROR && noAnswer;
        int ttl;
        boolean cacheable;
        if (denial) {
            // RFC 2308 5: the negative TTL is min(SOA TTL, SOA MINIMUM); no SOA, no negative caching
            cacheable = soa != null && !tc;
            ttl = soa == null ? 0 : ttls.denial(Math.min(soa.getTTL(), soa.getMinimum()));
        } else {
            cacheable = rcode == Rcode.NOERROR && !tc;
            ttl = ttls.success(minTtl == Long.MAX_VALUE ? 0 : minTtl);
        }
        cacheable &= ttl > 0;
        byte[] wire = m.toWire();
        int questionEnd = Header.LENGTH + question.length() + 4;
        int records = ((wire[6] & 0xff) << 8 | (wire[7] & 0xff)) + ((wire[8] & 0xff) << 8 | (wire[9] & 0xff))
                + ((wire[10] & 0xff) << 8 | (wire[11] & 0xff));
        int[] ttlOffsets = new int[records];
        int pos = questionEnd;
        for (int i = 0; i < records; i++) {
            pos = skipName(wire, pos);
            ttlOffsets[i] = pos + 4;
            pos += 10 + ((wire[pos + 8] & 0xff) << 8 | (wire[pos + 9] & 0xff));
        }
        if (pos != wire.length) {
            throw new IllegalStateException("re-encoded reply does not add up");
        }
        return new UpstreamReply(Kind.OK, rcode, new CachedReply(wire, questionEnd, ttlOffsets, ttl, nowNanos, denial), cacheable);
    }

    /** The offset after a (possibly compressed) name in a message dnsjava wrote. */
    private static int skipName(byte[] wire, int pos) {
        while (true) {
            int len = wire[pos] & 0xff;
            if ((len & 0xC0) == 0xC0) {
                return pos + 2;
            }
            if (len == 0) {
                return pos + 1;
            }
            pos += len + 1;
        }
    }
}
