package io.headlessdns.server.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.headlessdns.server.forward.ScriptedUpstream.Behaviour;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Upstreams that misbehave, scripted: each case names the rule it protects. The client is the real dig
 * ({@code +time=2 +tries=1}), so every answer must come within 2 s.
 */
class FaultyUpstreamTest {

    @Test
    void wrongId_isDiscarded_thenTimeout_givesServfail_rfc5452() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream(Behaviour.WRONG_ID);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(up.address())))) {
            long t0 = System.nanoTime();
            assertThat(s.dig.status("spoofed.example.org")).isEqualTo("SERVFAIL");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2000);
            assertThat(up.udpQueries.get()).isGreaterThanOrEqualTo(1);
            assertThat(s.metric("headlessdns_forward_mismatched_replies_total")).isGreaterThanOrEqualTo(1);
            assertThat(s.dig.status("spoofed.example.org")).as("a SERVFAIL is never cached").isEqualTo("SERVFAIL");
        }
    }

    @Test
    void truncatedUpstreamAnswer_isRetriedOverTcp_rfc7766_5() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream(Behaviour.TRUNCATE_UDP);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(up.address())))) {
            int udp0 = up.udpQueries.get(); // the start-up loop check asked once
            assertThat(s.dig.shortAnswer("tc.example.org")).containsExactly("192.0.2.1");
            assertThat(up.udpQueries.get() - udp0).isEqualTo(1);
            assertThat(up.tcpQueries.get()).isEqualTo(1);
            assertThat(s.dig.shortAnswer("tc.example.org")).as("the TCP answer is cached").containsExactly("192.0.2.1");
            assertThat(up.udpQueries.get() - udp0 + up.tcpQueries.get()).isEqualTo(2);
        }
    }

    @Test
    void servfail_movesOnToTheNextUpstream() throws Exception {
        try (ScriptedUpstream bad = new ScriptedUpstream(Behaviour.SERVFAIL);
             ScriptedUpstream good = new ScriptedUpstream(Behaviour.ANSWER);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(bad.address(), good.address())))) {
            int good0 = good.udpQueries.get(); // the start-up loop check asked once
            for (int i = 0; i < 6; i++) {
                assertThat(s.dig.shortAnswer("n" + i + ".example.org")).containsExactly("192.0.2.1");
            }
            assertThat(good.udpQueries.get() - good0).isEqualTo(6); // each name once, whichever was asked first
        }
    }

    @Test
    void servfailFromEveryUpstream_isPassedOn_andNotCached() throws Exception {
        try (ScriptedUpstream a = new ScriptedUpstream(Behaviour.SERVFAIL);
             ScriptedUpstream b = new ScriptedUpstream(Behaviour.SERVFAIL);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(a.address(), b.address())))) {
            int a0 = a.udpQueries.get(); // the start-up loop check asked each once
            int b0 = b.udpQueries.get();
            assertThat(s.dig.status("broken.example.org")).isEqualTo("SERVFAIL");
            assertThat(a.udpQueries.get() - a0).isEqualTo(1);
            assertThat(b.udpQueries.get() - b0).isEqualTo(1);
            assertThat(s.dig.status("broken.example.org")).isEqualTo("SERVFAIL");
            assertThat(a.udpQueries.get() - a0 + b.udpQueries.get() - b0).isEqualTo(4);
        }
    }

    @Test
    void silentUpstream_givesServfailWithinTwoSeconds_andIsHealthChecked() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream(Behaviour.SILENT);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(up.address())))) {
            long t0 = System.nanoTime();
            assertThat(s.dig.status("silent.example.org")).isEqualTo("SERVFAIL");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2000);
            String label = "to=\"" + UpstreamAddress.label(up.address()) + "\"";
            await().atMost(Duration.ofSeconds(3)).until(() -> s.metric("coredns_forward_healthcheck_failures_total", label) >= 2);
            // back: the next probe gets an answer, and queries get answers again
            up.behaviour = Behaviour.ANSWER;
            await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(s.dig.shortAnswer("back.example.org")).containsExactly("192.0.2.1"));
        }
    }

    @Test
    void silentUpstream_isTakenOutOfTheRotation_theOtherAnswersAtOnce() throws Exception {
        try (ScriptedUpstream dead = new ScriptedUpstream(Behaviour.SILENT);
             ScriptedUpstream good = new ScriptedUpstream(Behaviour.ANSWER);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(dead.address(), good.address())))) {
            for (int i = 0; i < 4; i++) {
                assertThat(s.dig.shortAnswer("warm" + i + ".example.org")).containsExactly("192.0.2.1");
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> s.forwarder().cache().size() >= 4 && deadIsDown(s, dead));
            int deadBefore = dead.udpQueries.get();
            for (int i = 0; i < 6; i++) {
                String out = s.dig.dig("fast" + i + ".example.org");
                assertThat(out).contains("192.0.2.1").containsPattern("Query time: \\d{1,2} msec");
            }
            // only health probes (every 0.5 s) reach the dead one now, no client query
            assertThat(dead.udpQueries.get() - deadBefore).isLessThanOrEqualTo(4);
        }
    }

    private static boolean deadIsDown(ForwardingServer s, ScriptedUpstream dead) {
        return s.metric("coredns_forward_healthcheck_failures_total", "to=\"" + UpstreamAddress.label(dead.address()) + "\"") >= 1;
    }

    @Test
    void malformedReply_becomesServfail_andIsCounted() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream(Behaviour.MALFORMED);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(up.address())))) {
            assertThat(s.dig.status("garbage.example.org")).isEqualTo("SERVFAIL");
            assertThat(s.forwarder().malformed()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void expiredAnswer_isServedStale_whenTheUpstreamIsGone_rfc8767() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream(Behaviour.ANSWER);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(up.address()))
                     .withServeStale(Duration.ofHours(1)))) {
            up.ttl = 1;
            assertThat(s.dig.shortAnswer("stale.example.org")).containsExactly("192.0.2.1");
            up.behaviour = Behaviour.SILENT;
            Thread.sleep(1200);
            String out = s.dig.dig("stale.example.org", "+noall", "+answer");
            assertThat(out).containsPattern("stale\\.example\\.org\\.\\s+30\\s+IN\\s+A\\s+192\\.0\\.2\\.1");
            assertThat(s.forwarder().cache().servedStale()).isEqualTo(1);
        }
    }

    @Test
    void queriesOverTheConcurrencyCap_areRefused_andCounted() throws Exception {
        ForwardOptions one = new ForwardOptions(List.of(), java.util.Map.of(), AccessList.parse(AccessList.DEFAULT), 1,
                100, 0, 3600, 1800, Duration.ZERO);
        try (ScriptedUpstream up = new ScriptedUpstream(Behaviour.SILENT);
             ForwardingServer s = new ForwardingServer(one.withUpstreams(List.of(up.address())));
             DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(3000);
            InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.server.dnsPort());
            send(client, server, 1, "first.example.org.");
            send(client, server, 2, "second.example.org.");
            Message second = receive(client);
            assertThat(second.getHeader().getID()).isEqualTo(2);
            assertThat(second.getRcode()).isEqualTo(Rcode.REFUSED);
            Message first = receive(client);
            assertThat(first.getHeader().getID()).isEqualTo(1);
            assertThat(first.getRcode()).isEqualTo(Rcode.SERVFAIL);
            assertThat(s.metric("coredns_forward_max_concurrent_rejects_total")).isEqualTo(1);
        }
    }

    private static void send(DatagramSocket client, InetSocketAddress to, int id, String name) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN));
        q.getHeader().setID(id);
        byte[] b = q.toWire();
        client.send(new DatagramPacket(b, b.length, to));
    }

    private static Message receive(DatagramSocket client) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        client.receive(p);
        return new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
    }
}
