package io.headlessdns.server.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.compile.Rr;
import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.wire.RecordType;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records read back from pre-encoded answers equal the compiled ones, through every kind of name
 * compression the encoder writes (RFC 1035 4.1.4: pointers into the question and into earlier records).
 */
class AnswerDecoderTest {
    private static final byte[] OWNER = DnsName.fromText("x.ns.svc.cluster.local");

    private static EncodedAnswer encode(Rr... rrs) {
        AnswerEncoder.Glue glue = new AnswerEncoder.Glue();
        // an additional record behind the answers, as an SRV answer carries: the decoder must stop before it
        glue.add(DnsName.fromText("a.web.other"), new Rr(RecordType.A, 5, new byte[] {10, 0, 0, 9}, null));
        return new AnswerEncoder().encode(OWNER, rrs, rrs.length, glue);
    }

    private static void assertReadBack(Rr... rrs) {
        EncodedAnswer a = encode(rrs);
        assertThat(AnswerDecoder.holds(a, OWNER, List.of(rrs))).isTrue();
        Rr[] back = AnswerDecoder.records(a, OWNER, 2);
        assertThat(back).containsExactly(rrs);
        for (int i = 0; i < rrs.length; i++) {
            assertThat(back[i].ttl()).isEqualTo(rrs[i].ttl());
            assertThat(back[i].rank()).isEqualTo(2);
        }
    }

    @Test
    void addresses_readBackWithTheirTtls() {
        assertReadBack(new Rr(RecordType.A, 7, new byte[] {10, 0, 0, 1}, null),
                new Rr(RecordType.A, 30, new byte[] {10, 0, 0, 2}, null));
        assertReadBack(new Rr(RecordType.AAAA, 5, new byte[16], null));
    }

    @Test
    void targetPointingIntoTheQuestion_readsBackWhole() {
        assertReadBack(new Rr(RecordType.CNAME, 5, null, DnsName.fromText("y.ns.svc.cluster.local")));
    }

    @Test
    void targetsPointingAtEarlierRecords_readBackWhole() {
        assertReadBack(new Rr(RecordType.PTR, 5, null, DnsName.fromText("a.web.other")),
                new Rr(RecordType.PTR, 5, null, DnsName.fromText("b.web.other")));
    }

    /** RFC 2782: SRV targets are written uncompressed; priority, weight and port are the fixed part. */
    @Test
    void srvRecords_readBackWithTheirFixedPart() {
        byte[] fixed = {0, 0, 0, 50, 0, 80};
        assertReadBack(new Rr(RecordType.SRV, 5, fixed, DnsName.fromText("web-0.web.ns.svc.cluster.local")),
                new Rr(RecordType.SRV, 5, fixed, DnsName.fromText("web-1.web.ns.svc.cluster.local")));
    }

    @Test
    void differentRecords_areNotHeld() {
        EncodedAnswer a = encode(new Rr(RecordType.PTR, 5, null, DnsName.fromText("a.web.other")),
                new Rr(RecordType.PTR, 5, null, DnsName.fromText("b.web.other")));
        Rr a1 = new Rr(RecordType.PTR, 5, null, DnsName.fromText("a.web.other"));
        assertThat(AnswerDecoder.holds(a, OWNER, List.of(a1))).isFalse();
        assertThat(AnswerDecoder.holds(a, OWNER, List.of(a1, new Rr(RecordType.PTR, 5, null, DnsName.fromText("b.web.othe"))))).isFalse();
        assertThat(AnswerDecoder.holds(a, OWNER, List.of(a1, new Rr(RecordType.PTR, 5, null, DnsName.fromText("b.web.other.x"))))).isFalse();
        assertThat(AnswerDecoder.holds(a, OWNER, List.of(a1, new Rr(RecordType.CNAME, 5, null, DnsName.fromText("b.web.other"))))).isFalse();
        // TTL is no part of a record's identity (RFC 2181 5.2), as in Rr.equals
        assertThat(AnswerDecoder.holds(a, OWNER, List.of(a1, new Rr(RecordType.PTR, 99, null, DnsName.fromText("b.web.other"))))).isTrue();
    }
}
