package io.headlessdns.server.query;

import static io.headlessdns.server.Fixtures.clusterIp;
import static io.headlessdns.server.Fixtures.externalName;
import static io.headlessdns.server.Fixtures.headless;
import static io.headlessdns.server.Fixtures.headlessPublishNotReady;
import static io.headlessdns.server.Fixtures.notReady;
import static io.headlessdns.server.Fixtures.port;
import static io.headlessdns.server.Fixtures.ready;
import static io.headlessdns.server.Fixtures.terminating;
import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.k8s.model.PortView;
import io.headlessdns.server.compile.PodRecordMode;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Query/answer table for every record kind and negative answer, in the style of CoreDNS's
 * handler_test.go: qname, qtype, rcode, then the expected sections as zone-file lines. Section numbers
 * are those of the Kubernetes DNS-Based Service Discovery specification 1.1.0.
 */
class QueryEngineTest {
    private static final String SOA = "cluster.local. 5 IN SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000007 7200 1800 86400 5";
    private static Wire wire;

    @BeforeAll
    static void cluster() {
        // the stored order, so multi-record answers read as the table lists them (rotation: LoadBalanceTest)
        wire = new Wire(PodRecordMode.INSECURE, UdpAnswerPolicy.TRUNCATE, LoadBalancePolicy.OFF);
        List<PortView> web = List.of(port("web", 80));
        wire.updater.serviceChanged(headless("default", "svc-sts-nginx", web,
                ready("10.244.0.10", "sts-web-0", port("web", 80)),
                ready("10.244.0.11", "sts-web-1", port("web", 80)),
                notReady("10.244.0.12", "sts-web-2", port("web", 80)),
                terminating("10.244.0.13", "sts-web-3", port("web", 80))));
        wire.updater.serviceChanged(headless("default", "anon", List.of(), ready("10.244.1.5", null)));
        wire.updater.serviceChanged(headlessPublishNotReady("default", "pnr", List.of(), notReady("10.244.2.1", "peer-0")));
        wire.updater.serviceChanged(clusterIp("default", "web", List.of("10.96.0.10", "fd00::10"),
                port("http", 80), port("", 8080)));
        wire.updater.serviceChanged(externalName("default", "ext", "db.example.com"));
        wire.updater.serviceChanged(clusterIp("kube-system", "kube-dns", List.of("10.96.0.53"), new PortView("dns", 53, "UDP")));
        wire.updater.namespaceChanged("empty", true);
        wire.updater.synced();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
            // 2.2 schema version
            row("dns-version.cluster.local.", Type.TXT, Rcode.NOERROR, "dns-version.cluster.local. 5 IN TXT \"1.1.0\""),
            // 2.3.1 ClusterIP A and AAAA
            row("web.default.svc.cluster.local.", Type.A, Rcode.NOERROR, "web.default.svc.cluster.local. 5 IN A 10.96.0.10"),
            row("web.default.svc.cluster.local.", Type.AAAA, Rcode.NOERROR, "web.default.svc.cluster.local. 5 IN AAAA fd00:0:0:0:0:0:0:10"),
            // 2.3.3 ClusterIP SRV for named ports only
            row("_http._tcp.web.default.svc.cluster.local.", Type.SRV, Rcode.NOERROR,
                "_http._tcp.web.default.svc.cluster.local. 5 IN SRV 0 100 80 web.default.svc.cluster.local."),
            // 2.3.4 ClusterIP PTR, IPv4 and IPv6
            row("10.0.96.10.in-addr.arpa.", Type.PTR, Rcode.NOERROR, "10.0.96.10.in-addr.arpa. 5 IN PTR web.default.svc.cluster.local."),
            row("0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa.", Type.PTR, Rcode.NOERROR,
                "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa. 5 IN PTR web.default.svc.cluster.local."),
            // 2.4.1 headless A: ready endpoints only; not-ready and terminating are left out
            row("svc-sts-nginx.default.svc.cluster.local.", Type.A, Rcode.NOERROR,
                "svc-sts-nginx.default.svc.cluster.local. 5 IN A 10.244.0.10",
                "svc-sts-nginx.default.svc.cluster.local. 5 IN A 10.244.0.11"),
            row("sts-web-0.svc-sts-nginx.default.svc.cluster.local.", Type.A, Rcode.NOERROR,
                "sts-web-0.svc-sts-nginx.default.svc.cluster.local. 5 IN A 10.244.0.10"),
            neg("sts-web-2.svc-sts-nginx.default.svc.cluster.local.", Type.A, Rcode.NXDOMAIN),
            neg("sts-web-3.svc-sts-nginx.default.svc.cluster.local.", Type.A, Rcode.NXDOMAIN),
            // publishNotReadyAddresses publishes not-ready endpoints
            row("peer-0.pnr.default.svc.cluster.local.", Type.A, Rcode.NOERROR, "peer-0.pnr.default.svc.cluster.local. 5 IN A 10.244.2.1"),
            // an endpoint without hostname answers under its dashed IP, as CoreDNS does
            row("10-244-1-5.anon.default.svc.cluster.local.", Type.A, Rcode.NOERROR, "10-244-1-5.anon.default.svc.cluster.local. 5 IN A 10.244.1.5"),
            // 2.4.2 headless SRV: one per ready endpoint, target the per-endpoint name
            row("_web._tcp.svc-sts-nginx.default.svc.cluster.local.", Type.SRV, Rcode.NOERROR,
                "_web._tcp.svc-sts-nginx.default.svc.cluster.local. 5 IN SRV 0 50 80 sts-web-0.svc-sts-nginx.default.svc.cluster.local.",
                "_web._tcp.svc-sts-nginx.default.svc.cluster.local. 5 IN SRV 0 50 80 sts-web-1.svc-sts-nginx.default.svc.cluster.local."),
            // 2.4.3 headless PTR points at the per-endpoint name
            row("11.0.244.10.in-addr.arpa.", Type.PTR, Rcode.NOERROR, "11.0.244.10.in-addr.arpa. 5 IN PTR sts-web-1.svc-sts-nginx.default.svc.cluster.local."),
            // 2.5 ExternalName: CNAME, for any type
            row("ext.default.svc.cluster.local.", Type.A, Rcode.NOERROR, "ext.default.svc.cluster.local. 5 IN CNAME db.example.com."),
            row("ext.default.svc.cluster.local.", Type.CNAME, Rcode.NOERROR, "ext.default.svc.cluster.local. 5 IN CNAME db.example.com."),
            // zone apex: SOA and NS; the NS target answers with the kube-dns service IP
            row("cluster.local.", Type.SOA, Rcode.NOERROR, SOA),
            row("cluster.local.", Type.NS, Rcode.NOERROR, "cluster.local. 5 IN NS ns.dns.cluster.local."),
            row("ns.dns.cluster.local.", Type.A, Rcode.NOERROR, "ns.dns.cluster.local. 5 IN A 10.96.0.53"),
            // negative answers carry the SOA: NXDOMAIN for names that do not exist (RFC 2308 2.1) ...
            neg("nope.default.svc.cluster.local.", Type.A, Rcode.NXDOMAIN),
            neg("web.nowhere.svc.cluster.local.", Type.A, Rcode.NXDOMAIN),
            // ... NODATA for names that exist with another type (RFC 2308 2.2), including empty non-terminals
            neg("web.default.svc.cluster.local.", Type.TXT, Rcode.NOERROR),
            neg("svc.cluster.local.", Type.A, Rcode.NOERROR),
            neg("default.svc.cluster.local.", Type.A, Rcode.NOERROR),
            neg("empty.svc.cluster.local.", Type.A, Rcode.NOERROR),
            neg("_tcp.web.default.svc.cluster.local.", Type.SRV, Rcode.NOERROR),
            // unnamed ports have no SRV
            neg("_8080._tcp.web.default.svc.cluster.local.", Type.SRV, Rcode.NXDOMAIN),
            // 2.6 pod records, insecure: any dashed IPv4 in any namespace
            row("10-244-9-9.default.pod.cluster.local.", Type.A, Rcode.NOERROR, "10-244-9-9.default.pod.cluster.local. 5 IN A 10.244.9.9"),
            neg("10-244-9-9.default.pod.cluster.local.", Type.AAAA, Rcode.NOERROR),
            row("fd00--9.default.pod.cluster.local.", Type.AAAA, Rcode.NOERROR, "fd00--9.default.pod.cluster.local. 5 IN AAAA fd00:0:0:0:0:0:0:9"),
            neg("10-244-9-999.default.pod.cluster.local.", Type.A, Rcode.NXDOMAIN),
            // outside the served zones: REFUSED (no upstream configured)
            refused("example.com.", Type.A),
            // reverse names not known from the cluster fall through: REFUSED without an upstream
            refused("1.1.1.1.in-addr.arpa.", Type.PTR),
            // zone transfers are refused
            refused("cluster.local.", Type.AXFR));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("cases")
    void answersLikeTheSpec(String qname, int qtype, int rcode, String answers, String authority) throws Exception {
        Message response = wire.ask(Message.newQuery(Record.newRecord(Name.fromString(qname), qtype, DClass.IN)), false);
        assertThat(Rcode.string(response.getRcode())).isEqualTo(Rcode.string(rcode));
        assertThat(text(response, Section.ANSWER)).isEqualTo(answers);
        assertThat(text(response, Section.AUTHORITY)).isEqualTo(authority);
        boolean inZone = rcode != Rcode.REFUSED;
        assertThat(response.getHeader().getFlag(Flags.AA)).isEqualTo(inZone);
        assertThat(response.getHeader().getFlag(Flags.RD)).isTrue();
    }

    private static Arguments row(String qname, int qtype, int rcode, String... answers) {
        return Arguments.of(qname, qtype, rcode, String.join("\n", answers), "");
    }

    /** A negative answer: empty answer section, the zone's SOA in authority. */
    private static Arguments neg(String qname, int qtype, int rcode) {
        return Arguments.of(qname, qtype, rcode, "", SOA);
    }

    private static Arguments refused(String qname, int qtype) {
        return Arguments.of(qname, qtype, Rcode.REFUSED, "", "");
    }

    static String text(Message m, int section) {
        return m.getSection(section).stream()
                .map(r -> r.toString().replaceAll("\\s+", " "))
                .collect(Collectors.joining("\n"));
    }
}
