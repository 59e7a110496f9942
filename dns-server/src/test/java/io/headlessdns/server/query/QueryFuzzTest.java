package io.headlessdns.server.query;

import static io.headlessdns.server.Fixtures.clusterIp;
import static io.headlessdns.server.Fixtures.externalName;
import static io.headlessdns.server.Fixtures.headless;
import static io.headlessdns.server.Fixtures.port;
import static io.headlessdns.server.Fixtures.ready;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headlessdns.k8s.model.EndpointView;
import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.wire.Header;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.xbill.DNS.Message;

/**
 * The whole request path on arbitrary bytes: the engine never throws; a packet with a readable header and
 * QR=0 gets exactly one well-formed response (dnsjava parses it, same ID, QR set, the transport's size
 * limit kept), anything else gets none (RFC 1035 4.1.1, RFC 8906 3.1). Without JAZZER_FUZZ it replays the
 * seeds and saved inputs under {@code QueryFuzzTestInputs/request}; {@code -Pfuzz} fuzzes.
 */
class QueryFuzzTest {
    private static Wire wire;

    @BeforeAll
    static void cluster() {
        wire = new Wire(PodRecordMode.INSECURE);
        wire.updater.serviceChanged(headless("default", "svc-sts-nginx", List.of(port("web", 80)),
                ready("10.244.0.10", "sts-web-0", port("web", 80)),
                ready("fd00::11", "sts-web-1", port("web", 80))));
        EndpointView[] many = new EndpointView[120];
        for (int i = 0; i < many.length; i++) {
            many[i] = ready("10.245.0." + (i + 1), "big-" + i, port("web", 80));
        }
        wire.updater.serviceChanged(headless("default", "big", List.of(port("web", 80)), many));
        wire.updater.serviceChanged(clusterIp("default", "api", List.of("10.96.0.10"), port("https", 443)));
        wire.updater.serviceChanged(externalName("default", "ext", "example.com"));
        wire.updater.synced();
    }

    @FuzzTest(maxDuration = "150s")
    void request(byte[] packet) throws IOException {
        for (boolean tcp : new boolean[] {false, true}) {
            byte[] r = wire.raw(packet, tcp); // also checks the TCP length prefix
            boolean answerable = packet.length >= Header.LENGTH && (packet[2] & 0x80) == 0;
            if (!answerable) {
                if (r != null) {
                    throw new AssertionError("answered a packet without a readable query header");
                }
                continue;
            }
            if (r == null) {
                throw new AssertionError("no response to a packet with a readable query header");
            }
            Message m = new Message(r); // throws WireParseException if malformed
            if (m.getHeader().getID() != ((packet[0] & 0xff) << 8 | (packet[1] & 0xff))) {
                throw new AssertionError("response ID differs from the query's");
            }
            if (!m.getHeader().getFlag(org.xbill.DNS.Flags.QR)) {
                throw new AssertionError("response without QR");
            }
            if (!tcp && m.getOPT() == null && r.length > Header.CLASSIC_UDP_PAYLOAD) {
                throw new AssertionError("UDP response of " + r.length + " bytes without EDNS exceeds 512");
            }
            if (!tcp && r.length > Header.EDNS_UDP_PAYLOAD) {
                throw new AssertionError("UDP response of " + r.length + " bytes exceeds " + Header.EDNS_UDP_PAYLOAD);
            }
            if (m.toWire().length == 0) {
                throw new AssertionError("empty response");
            }
        }
    }
}
