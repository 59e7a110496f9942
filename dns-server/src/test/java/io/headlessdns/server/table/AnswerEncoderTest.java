package io.headlessdns.server.table;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.compile.Rr;
import io.headlessdns.server.name.DnsName;
import io.headlessdns.server.wire.RecordType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Name compression in pre-encoded answers (RFC 1035 4.1.4), for the offsets a response has (question at 12). */
class AnswerEncoderTest {
    private static final byte[] OWNER = DnsName.fromText("x.ns.svc.cluster.local");

    private static byte[] rdata(EncodedAnswer a, int record) {
        int start = a.rrStart(record) + 2 + 8; // owner pointer, type, class, ttl
        int length = (a.data()[start] & 0xff) << 8 | (a.data()[start + 1] & 0xff);
        return Arrays.copyOfRange(a.data(), start + 2, start + 2 + length);
    }

    private static EncodedAnswer encode(Rr... rrs) {
        return new AnswerEncoder().encode(OWNER, rrs, rrs.length, new AnswerEncoder.Glue());
    }

    private static Rr cname(String target) {
        return new Rr(RecordType.CNAME, 5, null, DnsName.fromText(target));
    }

    @Test
    void onlyName_sharingTheOwnersSuffix_pointsIntoTheQuestion() {
        // "ns.svc.cluster.local" starts 2 bytes into the question name, which starts at 12
        assertThat(rdata(encode(cname("y.ns.svc.cluster.local")), 0)).containsExactly(1, 'y', 0xC0, 14);
    }

    @Test
    void onlyName_sharingNothingButTheRoot_isWrittenInFull() {
        byte[] target = DnsName.fromText("example.com");
        assertThat(rdata(encode(cname("example.com")), 0)).containsExactly(toInts(target));
    }

    @Test
    void laterNames_pointAtEarlierRecordsNames() {
        EncodedAnswer a = encode(new Rr(RecordType.PTR, 5, null, DnsName.fromText("a.web.other")),
                new Rr(RecordType.PTR, 5, null, DnsName.fromText("b.web.other")));
        byte[] first = rdata(a, 0);
        assertThat(first).containsExactly(toInts(DnsName.fromText("a.web.other")));
        int firstNameAt = 12 + OWNER.length + 4 + 2 + 8 + 2; // question, first record's pointer, fields, rdlength
        assertThat(rdata(a, 1)).containsExactly(1, 'b', 0xC0, firstNameAt + 2);
    }

    private static int[] toInts(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }
}
