package io.headlessdns.server.query;

import static io.headlessdns.server.Fixtures.headless;
import static io.headlessdns.server.Fixtures.port;
import static io.headlessdns.server.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.server.compile.PodRecordMode;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Message-level behaviour: EDNS, truncation, case, and malformed input (RFC 1035, 2181, 6891, 8482). */
class QueryWireTest {
    private static Wire wire;

    @BeforeAll
    static void cluster() {
        wire = new Wire(PodRecordMode.DISABLED);
        wire.updater.serviceChanged(headless("default", "svc-sts-nginx", List.of(port("web", 80)),
                ready("10.244.0.10", "sts-web-0", port("web", 80)),
                ready("10.244.0.11", "sts-web-1", port("web", 80))));
        EndpointView[] many = new EndpointView[200];
        for (int i = 0; i < many.length; i++) {
            many[i] = ready("10.245." + (i / 250) + "." + (i % 250 + 1), "big-" + i);
        }
        wire.updater.serviceChanged(headless("default", "big", List.of(), many));
        wire.updater.synced();
    }

    private static Message query(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    @Test
    void question_isEchoedWithTheClientsCase_andMatchedCaseInsensitively() throws Exception {
        Message r = wire.ask(query("STS-Web-0.SVC-sts-nginx.default.SVC.cluster.LOCAL.", Type.A), false);
        assertThat(r.getQuestion().getName().toString()).isEqualTo("STS-Web-0.SVC-sts-nginx.default.SVC.cluster.LOCAL.");
        assertThat(r.getSection(Section.ANSWER)).hasSize(1);
        assertThat(r.getSection(Section.ANSWER).get(0).rdataToString()).isEqualTo("10.244.0.10");
    }

    @Test
    void edns_optIsEchoedWith1232_andDoBitCopied_rfc6891() throws Exception {
        Message q = query("svc-sts-nginx.default.svc.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 0, Flags.DO), Section.ADDITIONAL);
        Message r = wire.ask(q, false);
        assertThat(r.getOPT()).isNotNull();
        assertThat(r.getOPT().getPayloadSize()).isEqualTo(1232);
        assertThat(r.getOPT().getFlags() & Flags.DO).isEqualTo(Flags.DO);
        assertThat(r.getSection(Section.ANSWER)).hasSize(2);
    }

    @Test
    void noEdns_noOptInResponse() throws Exception {
        assertThat(wire.ask(query("svc-sts-nginx.default.svc.cluster.local.", Type.A), false).getOPT()).isNull();
    }

    @Test
    void srv_carriesTargetAddressesInAdditional() throws Exception {
        Message r = wire.ask(query("_web._tcp.svc-sts-nginx.default.svc.cluster.local.", Type.SRV), false);
        assertThat(r.getSection(Section.ANSWER)).hasSize(2);
        assertThat(r.getSection(Section.ADDITIONAL)).extracting(Record::rdataToString)
                .containsExactly("10.244.0.10", "10.244.0.11");
        assertThat(r.getSection(Section.ADDITIONAL).get(0).getName().toString())
                .isEqualTo("sts-web-0.svc-sts-nginx.default.svc.cluster.local.");
    }

    @Test
    void largeHeadlessService_overUdpWithoutEdns_setsTcAndFits512_rfc2181() throws Exception {
        byte[] raw = wire.raw(query("big.default.svc.cluster.local.", Type.A).toWire(), false);
        assertThat(raw.length).isLessThanOrEqualTo(512);
        Message r = new Message(raw);
        assertThat(r.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(r.getSection(Section.ANSWER).size()).isBetween(1, 199);
    }

    @Test
    void largeHeadlessService_overTcp_returnsAll200() throws Exception {
        Message r = wire.ask(query("big.default.svc.cluster.local.", Type.A), true);
        assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(r.getSection(Section.ANSWER)).hasSize(200);
    }

    @Test
    void largeHeadlessService_withEdns_fitsTheAdvertisedPayload() throws Exception {
        Message q = query("big.default.svc.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        byte[] raw = wire.raw(q.toWire(), false);
        assertThat(raw.length).isLessThanOrEqualTo(1232);
        assertThat(new Message(raw).getHeader().getFlag(Flags.TC)).isTrue();
    }

    @Test
    void any_isAnsweredMinimally_rfc8482() throws Exception {
        Message r = wire.ask(query("sts-web-0.svc-sts-nginx.default.svc.cluster.local.", Type.ANY), false);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.ANSWER)).extracting(Record::getType).containsOnly(Type.A);
    }

    @Test
    void podRecordsDisabled_podNamesAreNxdomain() throws Exception {
        assertThat(wire.ask(query("10-1-2-3.default.pod.cluster.local.", Type.A), false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void shorterThanAHeader_isDroppedAndCounted() {
        long before = wire.counters.count(Outcome.DROPPED);
        assertThat(wire.raw(new byte[] {1, 2, 3, 4, 5}, false)).isNull();
        assertThat(wire.raw(new byte[0], true)).isNull();
        assertThat(wire.counters.count(Outcome.DROPPED)).isEqualTo(before + 2);
    }

    @Test
    void response_qr1_isNeverAnswered_rfc8906() throws Exception {
        Message q = query("svc-sts-nginx.default.svc.cluster.local.", Type.A);
        q.getHeader().setFlag(Flags.QR);
        assertThat(wire.raw(q.toWire(), false)).isNull();
    }

    @Test
    void qdcountZeroOrTwo_isFormerr() throws Exception {
        Message none = new Message();
        assertThat(rcode(none.toWire())).isEqualTo(Rcode.FORMERR);
        Message two = query("a.cluster.local.", Type.A);
        two.addRecord(Record.newRecord(Name.fromString("b.cluster.local."), Type.A, DClass.IN), Section.QUESTION);
        assertThat(rcode(two.toWire())).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void garbageAfterAHeader_isFormerr() {
        byte[] garbage = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xfe, 0x11};
        assertThat(rcode(garbage)).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void compressionPointerInTheQuestion_isFormerr() {
        ByteBuffer b = header(1, 0);
        b.put((byte) 0xC0).put((byte) 12).putShort((short) 1).putShort((short) 1);
        assertThat(rcode(bytes(b))).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void compressionLoopInAdditional_isFormerr() {
        ByteBuffer b = header(1, 1);
        b.put(new byte[] {1, 'a', 0}).putShort((short) 1).putShort((short) 1);
        int at = b.position();
        b.put((byte) 1).put((byte) 'b').put((byte) 0xC0).put((byte) at); // points at itself: a loop
        b.putShort((short) 1).putShort((short) 1).putInt(0).putShort((short) 0);
        assertThat(rcode(bytes(b))).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void forwardPointer_isFormerr() {
        ByteBuffer b = header(1, 1);
        b.put(new byte[] {1, 'a', 0}).putShort((short) 1).putShort((short) 1);
        b.put((byte) 0xC0).put((byte) 60);
        b.putShort((short) 1).putShort((short) 1).putInt(0).putShort((short) 0);
        assertThat(rcode(bytes(b))).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void recordCountsClaimingMissingRecords_isFormerr() {
        ByteBuffer b = header(1, 3);
        b.put(new byte[] {1, 'a', 0}).putShort((short) 1).putShort((short) 1);
        assertThat(rcode(bytes(b))).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void twoOptRecords_isFormerr() throws Exception {
        Message q = query("a.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        assertThat(rcode(q.toWire())).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void ednsVersion1_isBadvers() throws Exception {
        Message q = query("svc-sts-nginx.default.svc.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
        Message r = wire.ask(q, false);
        assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(r.getOPT().getVersion()).isZero();
    }

    @Test
    void otherOpcode_isNotimpWithOnlyQrAndOpcodeSet() throws Exception {
        Message q = query("svc-sts-nginx.default.svc.cluster.local.", Type.A);
        q.getHeader().setOpcode(Opcode.UPDATE);
        q.getHeader().setFlag(Flags.CD);
        for (boolean tcp : new boolean[] {false, true}) {
            Message r = new Message(wire.raw(q.toWire(), tcp));
            assertThat(r.getRcode()).isEqualTo(Rcode.NOTIMP);
            assertThat(r.getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
            assertThat(r.getHeader().getFlag(Flags.RD)).isFalse();
            assertThat(r.getHeader().getFlag(Flags.CD)).isFalse();
            assertThat(r.getHeader().getID()).isEqualTo(q.getHeader().getID());
        }
    }

    @Test
    void serverKeepsAnsweringAfterMalformedInput() throws Exception {
        wire.raw(new byte[] {0, 1, 2}, false);
        wire.raw(new byte[] {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63}, false);
        Message r = wire.ask(query("svc-sts-nginx.default.svc.cluster.local.", Type.A), false);
        assertThat(r.getSection(Section.ANSWER)).hasSize(2);
    }

    @Test
    void nameOver255Octets_isFormerr_rfc1035_2_3_4() {
        ByteBuffer b = header(1, 0);
        for (int i = 0; i < 5; i++) {
            b.put((byte) 63).put(new byte[63]); // 5 x 64 = 320 octets
        }
        b.put((byte) 0).putShort((short) 1).putShort((short) 1);
        assertThat(rcode(bytes(b))).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void reservedLabelTypes_inQuestionOrAdditional_areFormerr_rfc6891_5() {
        for (int type : new int[] {0x40, 0x80}) {
            ByteBuffer q = header(1, 0);
            q.put((byte) (type | 1)).put((byte) 'a').put((byte) 0).putShort((short) 1).putShort((short) 1);
            assertThat(rcode(bytes(q))).as("label type 0x%x in the question", type).isEqualTo(Rcode.FORMERR);
            ByteBuffer ar = header(1, 1);
            ar.put(new byte[] {1, 'a', 0}).putShort((short) 1).putShort((short) 1);
            ar.put((byte) (type | 1)).put((byte) 'b').put((byte) 0).putShort((short) 1).putShort((short) 1).putInt(0).putShort((short) 0);
            assertThat(rcode(bytes(ar))).as("label type 0x%x in additional", type).isEqualTo(Rcode.FORMERR);
        }
    }

    @Test
    void optOwnedByANameOtherThanRoot_isFormerr_rfc6891_6_1_1() {
        ByteBuffer b = header(1, 1);
        b.put(new byte[] {1, 'a', 0}).putShort((short) 1).putShort((short) 1);
        b.put(new byte[] {1, 'x', 0}).putShort((short) 41).putShort((short) 1232).putInt(0).putShort((short) 0);
        assertThat(rcode(bytes(b))).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void optOptionLengthOverrunningRdata_isFormerr_rfc6891_6_1_2() {
        ByteBuffer b = header(1, 1);
        b.put(new byte[] {1, 'a', 0}).putShort((short) 1).putShort((short) 1);
        b.put((byte) 0).putShort((short) 41).putShort((short) 1232).putInt(0).putShort((short) 8);
        b.putShort((short) 10).putShort((short) 20).put(new byte[4]); // claims 20 bytes, has 4
        assertThat(rcode(bytes(b))).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void unknownEdnsOptionsAndFlags_areIgnored_andOnlyDoIsEchoed_rfc6891_6_1_4() throws Exception {
        Message q = query("svc-sts-nginx.default.svc.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 0, Flags.DO | 0x4001,
                List.of(new org.xbill.DNS.GenericEDNSOption(65001, new byte[] {1, 2, 3}))), Section.ADDITIONAL);
        Message r = wire.ask(q, false);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.ANSWER)).hasSize(2);
        assertThat(r.getOPT().getFlags()).isEqualTo(Flags.DO);
        assertThat(r.getOPT().getOptions()).isEmpty();
    }

    @Test
    void zAndTcBitsInAQuery_areAnsweredNormally_andNotEchoed_rfc1035_4_1_1() {
        byte[] q = queryBytes("svc-sts-nginx.default.svc.cluster.local", 1, 1);
        q[2] |= 0x02; // TC
        q[3] |= 0x40; // Z
        byte[] r = wire.raw(q, false);
        assertThat(r[3] & 0x0f).isEqualTo(Rcode.NOERROR);
        assertThat(r[2] & 0x02).as("TC").isZero();
        assertThat(r[3] & 0x40).as("Z").isZero();
        assertThat(((r[6] & 0xff) << 8) | (r[7] & 0xff)).as("ANCOUNT").isEqualTo(2);
    }

    @Test
    void unknownOpcode_withEveryFlagSet_isNotimpWithOnlyQrAndOpcode_overUdpAndTcp_rfc8906_3_1_3() {
        byte[] q = queryBytes("svc-sts-nginx.default.svc.cluster.local", 1, 1);
        q[2] = (byte) (0x7F); // opcode 15, AA, TC, RD
        q[3] = (byte) 0xF0; // RA, Z, AD, CD
        for (boolean tcp : new boolean[] {false, true}) {
            byte[] r = wire.raw(q, tcp);
            assertThat(r).hasSize(12);
            int flags = ((r[2] & 0xff) << 8) | (r[3] & 0xff);
            assertThat(flags).as("flags over %s", tcp ? "TCP" : "UDP").isEqualTo(0x8000 | (15 << 11) | Rcode.NOTIMP);
            assertThat(r[0]).isEqualTo(q[0]);
            assertThat(r[1]).isEqualTo(q[1]);
        }
    }

    @Test
    void unknownQtype_onAnExistingName_isNodataWithSoa_rfc2308_2_2() throws Exception {
        Message r = wire.ask(query("svc-sts-nginx.default.svc.cluster.local.", 65280), false);
        assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
        assertThat(r.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
        assertThat(wire.ask(query("nope.default.svc.cluster.local.", 65280), false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void zoneTransfers_axfrAndIxfr_areRefused_overUdpAndTcp() throws Exception {
        for (int type : new int[] {Type.AXFR, Type.IXFR}) {
            for (boolean tcp : new boolean[] {false, true}) {
                Message r = wire.ask(query("cluster.local.", type), tcp);
                assertThat(r.getRcode()).as(Type.string(type)).isEqualTo(Rcode.REFUSED);
                assertThat(r.getSection(Section.ANSWER)).isEmpty();
            }
        }
    }

    @Test
    void chaosVersionBind_isRefused_withoutAnyAnswer() throws Exception {
        for (String name : new String[] {"version.bind.", "version.server.", "hostname.bind.", "id.server."}) {
            Message q = Message.newQuery(Record.newRecord(Name.fromString(name), Type.TXT, DClass.CH));
            Message r = wire.ask(q, false);
            assertThat(r.getRcode()).as(name).isEqualTo(Rcode.REFUSED);
            assertThat(r.getSection(Section.ANSWER)).as(name).isEmpty();
        }
    }

    private static byte[] queryBytes(String name, int type, int qclass) {
        ByteBuffer b = header(1, 0);
        for (String label : name.split("\\.")) {
            b.put((byte) label.length()).put(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        b.put((byte) 0).putShort((short) type).putShort((short) qclass);
        return bytes(b);
    }

    private static ByteBuffer header(int qd, int ar) {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putShort((short) 0x4242).putShort((short) 0x0100).putShort((short) qd).putShort((short) 0).putShort((short) 0)
                .putShort((short) ar);
        return b;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    private static int rcode(byte[] query) {
        byte[] r = wire.raw(query, false);
        assertThat(r).as("a response").isNotNull();
        return r[3] & 0x0f;
    }
}
