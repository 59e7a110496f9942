package io.headlessdns.server.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.cache.CachedReply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Checking upstream replies (RFC 5452 matching) and re-encoding them for the cache (RFC 2308 TTLs). */
class UpstreamReplyTest {
    private static final TtlPolicy TTLS = new TtlPolicy(0, 3600, 1800);
    private static final Name WWW = name("www.example.com.");

    @Test
    void garbage_neverThrows_andIsMalformedOrMismatched() {
        Random r = new Random(42);
        byte[] good = answer(WWW, 300).toWire();
        for (int i = 0; i < 20_000; i++) {
            byte[] b = good.clone();
            int flips = 1 + r.nextInt(6);
            for (int f = 0; f < flips; f++) {
                b[12 + r.nextInt(b.length - 12)] = (byte) r.nextInt(256);
            }
            if (r.nextBoolean()) {
                b = java.util.Arrays.copyOf(b, 12 + r.nextInt(b.length - 12));
            }
            UpstreamReply u = UpstreamReply.check(b, WWW, Type.A, DClass.IN, TTLS, false, 0);
            assertThat(u.kind).isNotNull();
        }
    }

    @Test
    void answerToAnotherQuestion_isIgnored_rfc5452() {
        assertThat(UpstreamReply.check(answer(name("evil.example.com."), 300).toWire(), WWW, Type.A, DClass.IN, TTLS, false, 0).kind)
                .isEqualTo(UpstreamReply.Kind.MISMATCH);
        Message notAResponse = answer(WWW, 300);
        notAResponse.getHeader().unsetFlag(Flags.QR);
        assertThat(UpstreamReply.check(notAResponse.toWire(), WWW, Type.A, DClass.IN, TTLS, false, 0).kind)
                .isEqualTo(UpstreamReply.Kind.MISMATCH);
        assertThat(UpstreamReply.check(answer(name("WWW.Example.COM."), 300).toWire(), WWW, Type.A, DClass.IN, TTLS, false, 0).kind)
                .as("names match case-insensitively (RFC 4343)").isEqualTo(UpstreamReply.Kind.OK);
    }

    @Test
    void reEncoded_withoutOpt_withTheClientsIdCaseAndCountingDownTtl() throws Exception {
        Message m = answer(WWW, 300);
        m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        UpstreamReply u = UpstreamReply.check(m.toWire(), WWW, Type.A, DClass.IN, TTLS, false, 0);
        assertThat(u.cacheable).isTrue();
        CachedReply c = u.reply;
        assertThat(c.ttl()).isEqualTo(300);
        byte[] clientQuestion = Message.newQuery(Record.newRecord(name("WwW.eXample.com."), Type.A, DClass.IN)).toWire();
        ByteBuf q = Unpooled.wrappedBuffer(clientQuestion);
        ByteBuf out = c.write(UnpooledByteBufAllocator.DEFAULT, 0x4242, 0x0100, q, 12, false, 0, false, false, 297);
        byte[] b = new byte[out.readableBytes()];
        out.readBytes(b);
        Message back = new Message(b);
        assertThat(back.getHeader().getID()).isEqualTo(0x4242);
        assertThat(back.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(back.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(back.getQuestion().getName().toString()).isEqualTo("WwW.eXample.com.");
        assertThat(back.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(297);
        assertThat(back.getOPT()).as("no EDNS from the client, none back (RFC 6891 7)").isNull();
    }

    @Test
    void negativeTtl_isTheSmallerOfSoaTtlAndMinimum_capped_rfc2308_5() {
        Message nx = answer(WWW, 0);
        nx.removeAllRecords(Section.ANSWER);
        nx.getHeader().setRcode(Rcode.NXDOMAIN);
        nx.addRecord(new SOARecord(name("example.com."), DClass.IN, 3600, name("ns.example.com."), name("h.example.com."),
                1, 7200, 1800, 86400, 60), Section.AUTHORITY);
        UpstreamReply u = UpstreamReply.check(nx.toWire(), WWW, Type.A, DClass.IN, TTLS, false, 0);
        assertThat(u.cacheable).isTrue();
        assertThat(u.reply.denial()).isTrue();
        assertThat(u.reply.ttl()).isEqualTo(60);
        UpstreamReply capped = UpstreamReply.check(nx.toWire(), WWW, Type.A, DClass.IN, new TtlPolicy(0, 3600, 30), false, 0);
        assertThat(capped.reply.ttl()).isEqualTo(30);

        nx.removeAllRecords(Section.AUTHORITY);
        assertThat(UpstreamReply.check(nx.toWire(), WWW, Type.A, DClass.IN, TTLS, false, 0).cacheable)
                .as("no SOA, no negative caching").isFalse();
    }

    @Test
    void truncatedOverUdp_asksForTcp_andServfailIsNeverCached() {
        Message tc = answer(WWW, 300);
        tc.getHeader().setFlag(Flags.TC);
        assertThat(UpstreamReply.check(tc.toWire(), WWW, Type.A, DClass.IN, TTLS, false, 0).kind).isEqualTo(UpstreamReply.Kind.TRUNCATED);
        assertThat(UpstreamReply.check(tc.toWire(), WWW, Type.A, DClass.IN, TTLS, true, 0).cacheable).isFalse();
        Message sf = answer(WWW, 300);
        sf.getHeader().setRcode(Rcode.SERVFAIL);
        UpstreamReply u = UpstreamReply.check(sf.toWire(), WWW, Type.A, DClass.IN, TTLS, false, 0);
        assertThat(u.rcode).isEqualTo(Rcode.SERVFAIL);
        assertThat(u.reply).isNull();
    }

    private static Message answer(Name q, int ttl) {
        Message m = new Message(0x1234);
        m.getHeader().setFlag(Flags.QR);
        m.addRecord(Record.newRecord(q, Type.A, DClass.IN), Section.QUESTION);
        try {
            m.addRecord(new ARecord(q, DClass.IN, ttl, InetAddress.getByName("192.0.2.7")), Section.ANSWER);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    private static Name name(String s) {
        try {
            return Name.fromString(s);
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
