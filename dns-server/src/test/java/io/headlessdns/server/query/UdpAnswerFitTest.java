package io.headlessdns.server.query;

import static io.headlessdns.server.Fixtures.headless;
import static io.headlessdns.server.Fixtures.notReady;
import static io.headlessdns.server.Fixtures.port;
import static io.headlessdns.server.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.server.compile.PodRecordMode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@code --udp-answer-policy fit} at message level (every response parsed by dnsjava, so a record cut in
 * half or a broken pointer fails here), including the wrap-around from the last record to the first; and
 * the RFC 8914 Extended DNS Error of an explained NXDOMAIN.
 */
class UdpAnswerFitTest {
    private static final int N = 40;
    private static Wire wire;

    @BeforeAll
    static void cluster() {
        wire = new Wire(PodRecordMode.DISABLED, UdpAnswerPolicy.FIT);
        EndpointView[] many = new EndpointView[N];
        for (int i = 0; i < N; i++) {
            many[i] = ready("10.245.0." + (i + 1), "m-" + i, port("web", 80));
        }
        wire.updater.serviceChanged(headless("default", "big", List.of(port("web", 80)), many));
        wire.updater.serviceChanged(headless("default", "waiting", List.of(), notReady("10.9.0.1", "w-0")));
        wire.updater.synced();
    }

    private static Message query(String name, int type) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    }

    @Test
    void fit_everyResponseIsWholeRecordsWithoutTc_andTheWindowWrapsAround() throws Exception {
        Set<String> seen = new HashSet<>();
        boolean wrapped = false;
        for (int i = 0; i < N; i++) {
            byte[] raw = wire.raw(query("big.default.svc.cluster.local.", Type.A).toWire(), false);
            Message r = new Message(raw);
            assertThat(raw.length).isLessThanOrEqualTo(512);
            assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
            assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR);
            List<Record> a = r.getSection(Section.ANSWER);
            assertThat(a).hasSize(29); // (512 - 12 - 35 question) / 16 bytes per A record
            List<String> ips = a.stream().map(Record::rdataToString).toList();
            assertThat(ips).doesNotHaveDuplicates();
            seen.addAll(ips);
            wrapped |= ips.contains("10.245.0." + N) && ips.contains("10.245.0.1")
                    && ips.indexOf("10.245.0.1") > ips.indexOf("10.245.0." + N);
        }
        assertThat(seen).hasSize(N); // every record is served by some query
        assertThat(wrapped).as("a window from the last record continues at the first").isTrue();
    }

    @Test
    void fit_srvWithoutEdns_wholeRecordsNoAdditional_rfc2782TargetsUncompressed() throws Exception {
        Message r = wire.ask(query("_web._tcp.big.default.svc.cluster.local.", Type.SRV), false);
        assertThat(r.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(r.getSection(Section.ANSWER)).isNotEmpty().allMatch(x -> x.getType() == Type.SRV);
        assertThat(r.getSection(Section.ADDITIONAL)).isEmpty();
        assertThat(r.toWire().length).isLessThanOrEqualTo(512);
    }

    @Test
    void fit_overTcp_isTheWholeAnswer() throws Exception {
        assertThat(wire.ask(query("big.default.svc.cluster.local.", Type.A), true).getSection(Section.ANSWER)).hasSize(N);
    }

    @Test
    void explainedNxdomain_carriesExtendedDnsErrorOther_withText_rfc8914() throws Exception {
        Message q = query("waiting.default.svc.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        Message r = wire.ask(q, false);
        assertThat(r.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(r.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
        List<EDNSOption> options = r.getOPT().getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
        assertThat(options).hasSize(1);
        ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) options.get(0);
        assertThat(ede.getErrorCode()).isEqualTo(ExtendedErrorCodeOption.OTHER);
        assertThat(ede.getText()).isEqualTo("service exists, no ready endpoints");
    }
}
