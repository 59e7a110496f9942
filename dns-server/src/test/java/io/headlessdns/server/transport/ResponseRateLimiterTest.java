package io.headlessdns.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Response rate limiting with slip, per /24 and /56 client prefix (after BIND's RRL). */
class ResponseRateLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final ResponseRateLimiter rrl = new ResponseRateLimiter(10, 2, nanos::get);

    private int[] burst(String client, int n) throws Exception {
        int[] verdicts = new int[3];
        InetAddress a = InetAddress.getByName(client);
        for (int i = 0; i < n; i++) {
            verdicts[rrl.admit(a)]++;
        }
        return verdicts;
    }

    @Test
    void withinOneSecond_theFirstNAreSent_andOfTheRestEverySecondSlipsTruncated() throws Exception {
        assertThat(burst("192.0.2.1", 30)).containsExactly(10, 10, 10);
    }

    @Test
    void theBudgetIsPerIpv4Slash24() throws Exception {
        burst("192.0.2.1", 10);
        assertThat(burst("192.0.2.200", 1)[ResponseRateLimiter.SEND]).as("same /24").isZero();
        assertThat(burst("192.0.3.1", 10)[ResponseRateLimiter.SEND]).as("another /24").isEqualTo(10);
    }

    @Test
    void theBudgetIsPerIpv6Slash56() throws Exception {
        burst("2001:db8:0:100::1", 10);
        assertThat(burst("2001:db8:0:1ff::9", 1)[ResponseRateLimiter.SEND]).as("same /56").isZero();
        assertThat(burst("2001:db8:0:200::1", 10)[ResponseRateLimiter.SEND]).as("another /56").isEqualTo(10);
    }

    @Test
    void theNextSecond_refillsTheBudget() throws Exception {
        burst("192.0.2.1", 25);
        nanos.addAndGet(1_000_000_000L);
        assertThat(burst("192.0.2.1", 10)[ResponseRateLimiter.SEND]).isEqualTo(10);
    }

    @Test
    void slipZero_dropsEverythingOverTheLimit() throws Exception {
        ResponseRateLimiter noSlip = new ResponseRateLimiter(5, 0, nanos::get);
        InetAddress a = InetAddress.getByName("198.51.100.7");
        int sent = 0;
        for (int i = 0; i < 20; i++) {
            int v = noSlip.admit(a);
            assertThat(v).isNotEqualTo(ResponseRateLimiter.SLIP);
            sent += v == ResponseRateLimiter.SEND ? 1 : 0;
        }
        assertThat(sent).isEqualTo(5);
    }

    @Test
    void truncate_keepsHeaderAndQuestion_setsTc_andDropsEveryRecord_rfc2181_9() throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString("a.default.svc.cluster.local."), Type.A, DClass.IN));
        m.getHeader().setFlag(Flags.QR);
        m.addRecord(Record.fromString(Name.fromString("a.default.svc.cluster.local."), Type.A, DClass.IN, 5, "10.0.0.1", Name.root), Section.ANSWER);
        m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        ByteBuf b = Unpooled.wrappedBuffer(m.toWire());
        ResponseRateLimiter.truncate(b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        Message t = new Message(out);
        assertThat(t.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(t.getQuestion().getName().toString()).isEqualTo("a.default.svc.cluster.local.");
        assertThat(t.getSection(Section.ANSWER)).isEmpty();
        assertThat(t.getSection(Section.ADDITIONAL)).isEmpty();
    }
}
