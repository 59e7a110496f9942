package io.headlessdns.server.query;

import static io.headlessdns.server.Fixtures.headless;
import static io.headlessdns.server.Fixtures.port;
import static io.headlessdns.server.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.table.EncodedAnswer;
import io.headlessdns.server.table.EncodedAnswers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * {@code --loadbalance}, CoreDNS's loadbalance plugin (kubeadm's Corefile) at message level: with
 * {@code round_robin} an A or AAAA RRset of several records starts one record further per answer and
 * wraps around, and every response, parsed by dnsjava, holds the whole RRset. SRV, PTR, truncated
 * (RFC 2181 9) and fitted answers keep their order. Each check that something keeps its order runs beside
 * one that rotates, so no test here passes on a server that never rotates.
 */
class LoadBalanceTest {
    private static final String WEB = "web.default.svc.cluster.local.";
    private static final String DUAL = "dual.default.svc.cluster.local.";
    private static final String BIG = "big.default.svc.cluster.local.";
    private static final String PAIR = "pair.default.svc.cluster.local.";
    private static final int N = 5;
    private static final List<String> WEB_IPS = List.of("10.244.0.1", "10.244.0.2", "10.244.0.3", "10.244.0.4", "10.244.0.5");
    private static Wire roundRobin;
    private static Wire off;

    @BeforeAll
    static void cluster() {
        roundRobin = serving(new Wire(PodRecordMode.DISABLED, UdpAnswerPolicy.TRUNCATE, LoadBalancePolicy.ROUND_ROBIN));
        off = serving(new Wire(PodRecordMode.DISABLED, UdpAnswerPolicy.TRUNCATE, LoadBalancePolicy.OFF));
    }

    /** web: 5 pods (A, SRV); alias: a second name for web's first pod (a PTR RRset of 2); dual: 4 IPv6 pods; big: 200 pods. */
    private static Wire serving(Wire wire) {
        EndpointView[] web = new EndpointView[N];
        for (int i = 0; i < N; i++) {
            web[i] = ready(WEB_IPS.get(i), "web-" + i, port("web", 80));
        }
        wire.updater.serviceChanged(headless("default", "web", List.of(port("web", 80)), web));
        wire.updater.serviceChanged(headless("default", "alias", List.of(), ready(WEB_IPS.get(0), "alias-0")));
        EndpointView[] dual = new EndpointView[4];
        for (int i = 0; i < dual.length; i++) {
            dual[i] = ready("fd00::" + (i + 1), "dual-" + i);
        }
        wire.updater.serviceChanged(headless("default", "dual", List.of(), dual));
        EndpointView[] big = new EndpointView[200];
        for (int i = 0; i < big.length; i++) {
            big[i] = ready("10.245." + (i / 250) + "." + (i % 250 + 1), "big-" + i);
        }
        wire.updater.serviceChanged(headless("default", "big", List.of(), big));
        wire.updater.serviceChanged(headless("default", "pair", List.of(), ready("10.246.0.1", "pair-0"),
                ready("10.246.0.2", "pair-1"), ready("fd01::1", "pair-0"), ready("fd01::2", "pair-1")));
        wire.updater.synced();
        return wire;
    }

    @Test
    void roundRobin_successiveAAnswers_startOneRecordFurther_everyRecordFirstOncePerNQueries() throws Exception {
        List<String> stored = answers(ask(off, WEB, Type.A, false));
        assertThat(stored).as("the stored order").isEqualTo(WEB_IPS);
        successiveAnswersRotate(roundRobin, WEB, Type.A, false, stored, 3);
    }

    @Test
    void roundRobin_aaaaAnswersRotate() throws Exception {
        List<String> stored = answers(ask(off, DUAL, Type.AAAA, false));
        assertThat(stored).hasSize(4);
        successiveAnswersRotate(roundRobin, DUAL, Type.AAAA, false, stored, 2);
    }

    @Test
    void roundRobin_aAndAaaaAskedInTurn_asGetaddrinfoDoes_eachFamilyStillRotates() throws Exception {
        // a dual-stack service of two pods: one counter for both would give every A answer the same start
        Set<String> firstA = new HashSet<>();
        Set<String> firstAaaa = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            firstA.add(answers(ask(roundRobin, PAIR, Type.A, false)).get(0));
            firstAaaa.add(answers(ask(roundRobin, PAIR, Type.AAAA, false)).get(0));
        }
        assertThat(firstA).containsExactlyInAnyOrder("10.246.0.1", "10.246.0.2");
        assertThat(firstAaaa).hasSize(2);
    }

    @Test
    void roundRobin_overTcp_answersRotate() throws Exception {
        successiveAnswersRotate(roundRobin, WEB, Type.A, true, WEB_IPS, 2);
    }

    @Test
    void srvAndPtr_keepTheStoredOrder_whileTheAAnswersBetweenThemRotate() throws Exception {
        String srvName = "_web._tcp." + WEB;
        String ptrName = "1.0.244.10.in-addr.arpa.";
        Message srvStored = ask(off, srvName, Type.SRV, false);
        Message ptrStored = ask(off, ptrName, Type.PTR, false);
        assertThat(answers(srvStored)).hasSize(N);
        assertThat(section(srvStored, Section.ADDITIONAL)).hasSize(N);
        assertThat(answers(ptrStored)).hasSize(2);
        Set<String> aFirsts = new HashSet<>();
        for (int i = 0; i < N; i++) {
            Message srv = ask(roundRobin, srvName, Type.SRV, false);
            assertThat(answers(srv)).isEqualTo(answers(srvStored));
            assertThat(section(srv, Section.ADDITIONAL)).isEqualTo(section(srvStored, Section.ADDITIONAL));
            assertThat(answers(ask(roundRobin, ptrName, Type.PTR, false))).isEqualTo(answers(ptrStored));
            aFirsts.add(answers(ask(roundRobin, WEB, Type.A, false)).get(0));
        }
        assertThat(aFirsts).as("first records of the A answers between them").hasSize(N);
    }

    @Test
    void off_everyAnswerInTheStoredOrder_udpAndTcp_whereRoundRobinRotates() throws Exception {
        List<String> dualStored = answers(ask(off, DUAL, Type.AAAA, false));
        Set<List<String>> roundRobinOrders = new HashSet<>();
        for (int i = 0; i < N; i++) {
            assertThat(answers(ask(off, WEB, Type.A, false))).isEqualTo(WEB_IPS);
            assertThat(answers(ask(off, WEB, Type.A, true))).isEqualTo(WEB_IPS);
            assertThat(answers(ask(off, DUAL, Type.AAAA, false))).isEqualTo(dualStored);
            roundRobinOrders.add(answers(ask(roundRobin, WEB, Type.A, false)));
        }
        assertThat(roundRobinOrders).as("orders of the same query with round_robin").hasSize(N);
    }

    @Test
    void truncatedAnswer_wholeRecordsFromTheStart_everyTime_whileTheTcpRetryRotates_rfc2181() throws Exception {
        List<String> stored = answers(ask(off, BIG, Type.A, true));
        assertThat(stored).hasSize(200);
        for (int i = 0; i < 3; i++) {
            for (boolean edns : new boolean[] {false, true}) {
                byte[] raw = roundRobin.raw(query(BIG, Type.A, edns).toWire(), false);
                assertThat(raw.length).isLessThanOrEqualTo(edns ? 1232 : 512);
                Message r = new Message(raw);
                assertThat(r.getHeader().getFlag(Flags.TC)).isTrue();
                List<String> a = answers(r);
                assertThat(a).isNotEmpty().isEqualTo(stored.subList(0, a.size()));
                assertThat(a).isEqualTo(answers(off.ask(query(BIG, Type.A, edns), false)));
            }
        }
        List<String> retry = answers(ask(roundRobin, BIG, Type.A, true));
        assertThat(retry).containsExactlyInAnyOrderElementsOf(stored);
        assertThat(answers(ask(roundRobin, BIG, Type.A, true))).isEqualTo(rotated(retry, 1));
    }

    @Test
    void fit_keepsItsOwnWindows_whileAnswersThatFitRotate() throws Exception {
        Wire fitRoundRobin = serving(new Wire(PodRecordMode.DISABLED, UdpAnswerPolicy.FIT, LoadBalancePolicy.ROUND_ROBIN));
        Wire fitOff = serving(new Wire(PodRecordMode.DISABLED, UdpAnswerPolicy.FIT, LoadBalancePolicy.OFF));
        Set<String> webFirsts = new HashSet<>();
        for (int i = 0; i < 2 * N; i++) {
            Message fitted = ask(fitRoundRobin, BIG, Type.A, false);
            assertThat(fitted.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(answers(fitted)).as("window %d", i).hasSize(29).isEqualTo(answers(ask(fitOff, BIG, Type.A, false)));
            List<String> web = answers(ask(fitRoundRobin, WEB, Type.A, false));
            assertThat(web).containsExactlyInAnyOrderElementsOf(WEB_IPS);
            webFirsts.add(web.get(0));
        }
        assertThat(webFirsts).as("first records of the answers that fit").hasSize(N);
    }

    @Test
    void additionalSection_followsTheRotatedAnswersWhole_orIsLeftOutWithoutTc() throws Exception {
        // three A records, each "C00C, A, IN, TTL 5, 4 bytes", and a TXT "x" at the question's name in additional
        byte[] data = new byte[3 * 16 + 14];
        for (int i = 0; i < 3; i++) {
            byte[] rr = {(byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 10, 0, 0, (byte) (i + 1)};
            System.arraycopy(rr, 0, data, i * 16, 16);
        }
        byte[] txt = {(byte) 0xC0, 12, 0, 16, 0, 1, 0, 0, 0, 5, 0, 2, 1, 'x'};
        System.arraycopy(txt, 0, data, 48, txt.length);
        EncodedAnswer answer = EncodedAnswers.of(data, 3, 48, 1, new int[] {16, 32, 48});
        List<String> stored = List.of("10.0.0.1", "10.0.0.2", "10.0.0.3");
        Message query = query("lb.example.", Type.A, false);
        Question q = new Question();
        assertThat(QueryParser.parse(Unpooled.wrappedBuffer(query.toWire()), q)).isEqualTo(QueryParser.OK);
        ResponseWriter writer = new ResponseWriter();
        int whole = 12 + q.sectionLength + data.length;
        List<List<String>> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Message r = written(writer, q, answer, whole);
            assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(answers(r)).containsExactlyInAnyOrderElementsOf(stored);
            assertThat(r.getSection(Section.ADDITIONAL)).singleElement().isInstanceOfSatisfying(TXTRecord.class, t -> {
                assertThat(t.getName()).isEqualTo(query.getQuestion().getName());
                assertThat(t.getStrings()).containsExactly("x");
            });
            orders.add(answers(r));
        }
        assertThat(orders.get(1)).isEqualTo(rotated(orders.get(0), 1));
        assertThat(orders.get(2)).isEqualTo(rotated(orders.get(0), 2));
        // one byte short of the additional record: it is left out (RFC 2181 9), the answers still rotate
        Message r = written(writer, q, answer, whole - 1);
        assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(r.getSection(Section.ADDITIONAL)).isEmpty();
        assertThat(answers(r)).isEqualTo(orders.get(0));
    }

    /**
     * {@code rounds * n} successive answers: each is the whole RRset in a valid message of the unrotated
     * size, in the stored order rotated one record further than the one before.
     */
    private static void successiveAnswersRotate(Wire wire, String name, int type, boolean tcp, List<String> stored,
            int rounds) throws Exception {
        int n = stored.size();
        int unrotatedSize = off.raw(query(name, type, false).toWire(), tcp).length;
        int k = -1;
        for (int round = 0; round < rounds; round++) {
            Set<String> firsts = new HashSet<>();
            for (int i = 0; i < n; i++) {
                byte[] raw = wire.raw(query(name, type, false).toWire(), tcp);
                assertThat(raw.length).isEqualTo(unrotatedSize);
                Message r = new Message(raw);
                assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
                assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
                assertThat(r.getHeader().getCount(Section.ANSWER)).isEqualTo(n);
                assertThat(r.getSection(Section.ANSWER)).allSatisfy(rr -> {
                    assertThat(rr.getType()).isEqualTo(type);
                    assertThat(rr.getName()).isEqualTo(Name.fromString(name));
                    assertThat(rr.getTTL()).isEqualTo(5);
                });
                List<String> a = answers(r);
                assertThat(a).containsExactlyInAnyOrderElementsOf(stored);
                k = k < 0 ? stored.indexOf(a.get(0)) : (k + 1) % n;
                assertThat(a).as("records [k, n) then [0, k), k = %d", k).isEqualTo(rotated(stored, k));
                firsts.add(a.get(0));
            }
            assertThat(firsts).as("first records of %d successive answers", n).containsExactlyInAnyOrderElementsOf(stored);
        }
    }

    private static Message written(ResponseWriter writer, Question q, EncodedAnswer answer, int limit) throws Exception {
        ByteBuf out = writer.write(q, Outcome.HIT, answer, null, null, 0, 0, limit, false, false, true, false,
                UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] raw = new byte[out.readableBytes()];
            out.readBytes(raw);
            return new Message(raw);
        } finally {
            out.release();
        }
    }

    private static Message query(String name, int type, boolean edns) throws Exception {
        Message q = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        if (edns) {
            q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        }
        return q;
    }

    private static Message ask(Wire wire, String name, int type, boolean tcp) throws Exception {
        return wire.ask(query(name, type, false), tcp);
    }

    /** The answer section's RDATA, in order. */
    private static List<String> answers(Message m) {
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    /** A section's records as owner, type and RDATA, in order. */
    private static List<String> section(Message m, int section) {
        return m.getSection(section).stream()
                .map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.rdataToString()).toList();
    }

    private static List<String> rotated(List<String> records, int k) {
        List<String> out = new ArrayList<>(records.subList(k, records.size()));
        out.addAll(records.subList(0, k));
        return out;
    }
}
