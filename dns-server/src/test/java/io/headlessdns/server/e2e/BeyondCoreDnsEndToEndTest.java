package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.ZoneOptions;
import io.headlessdns.server.query.UdpAnswerPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #9 items 2 and 5, with dig against the running server: answers that fit a client that never
 * retries over TCP (--udp-answer-policy fit; coredns#5362), and NXDOMAIN that says why (RFC 8914).
 */
class BeyondCoreDnsEndToEndTest {
    private static final String BIG = "big.default.svc.cluster.local";
    private static final Pattern SIZE = Pattern.compile("MSG SIZE {2}rcvd: (\\d+)");

    @TempDir
    Path dir;

    /** A headless service with {@code n} ready endpoints (IPv4, one named port), and a service none of whose endpoints is ready. */
    private static String cluster(int n) {
        StringBuilder b = new StringBuilder("""
                apiVersion: v1
                kind: Service
                metadata: {name: big, namespace: default}
                spec: {clusterIP: None, ports: [{name: peer, port: 7000}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: big-a, namespace: default, labels: {kubernetes.io/service-name: big}}
                addressType: IPv4
                ports: [{name: peer, port: 7000, protocol: TCP}]
                endpoints:
                """);
        for (int i = 0; i < n; i++) {
            b.append("  - {addresses: [\"10.").append(20 + i / 250).append('.').append(i % 250 / 10).append('.')
                    .append(i % 10 + 1).append("\"], hostname: big-").append(i).append(", conditions: {ready: true}}\n");
        }
        b.append("""
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: zk, namespace: default}
                spec: {clusterIP: None, ports: [{name: peer, port: 2888}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: zk-a, namespace: default, labels: {kubernetes.io/service-name: zk}}
                addressType: IPv4
                ports: [{name: peer, port: 2888, protocol: TCP}]
                endpoints:
                  - {addresses: ["10.9.0.1"], hostname: zk-0, conditions: {ready: false}}
                """);
        return b.toString();
    }

    private RunningServer serve(UdpAnswerPolicy policy) throws Exception {
        Files.writeString(dir.resolve("cluster.yaml"), cluster(1000));
        return new RunningServer(List.of(dir), new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE),
                c -> c.withUdpAnswers(policy));
    }

    @Test
    void fit_thousandEndpointService_withoutEdns_noerrorNoTcAtMost512Bytes_differentSubsetsAcrossQueries() throws Exception {
        try (RunningServer s = serve(UdpAnswerPolicy.FIT)) {
            Set<List<String>> subsets = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                // +ignore: a TC answer would be shown as it is, not retried over TCP
                String out = s.dig.dig("+noedns", "+ignore", BIG, "A");
                assertThat(out).contains("status: NOERROR").doesNotContainPattern("flags:[a-z ]* tc[ ;]");
                assertThat(size(out)).isLessThanOrEqualTo(512);
                List<String> answers = Dig.answers(out, "A");
                assertThat(answers).hasSizeGreaterThan(20); // 16 bytes per A record: about 29 fit in 512
                assertThat(answers).doesNotHaveDuplicates();
                subsets.add(answers);
            }
            assertThat(subsets).as("distinct subsets across 20 queries").hasSizeGreaterThan(1);
            // with EDNS the client's buffer, capped at 1232 (RFC 6891 6.2.5; DNS flag day 2020)
            String edns = s.dig.dig("+bufsize=4096", "+ignore", BIG, "A");
            assertThat(edns).contains("status: NOERROR").doesNotContainPattern("flags:[a-z ]* tc[ ;]");
            assertThat(size(edns)).isLessThanOrEqualTo(1232).isGreaterThan(1100);
            // SRV targets are never compressed (RFC 2782), so SRV records fit one by one too, without glue
            String srv = s.dig.dig("+noedns", "+ignore", "_peer._tcp." + BIG, "SRV");
            assertThat(srv).contains("status: NOERROR").doesNotContainPattern("flags:[a-z ]* tc[ ;]")
                    .contains("ADDITIONAL: 0");
            assertThat(size(srv)).isLessThanOrEqualTo(512);
            assertThat(Dig.answers(srv, "SRV")).isNotEmpty().allMatch(a -> a.matches("0 1 7000 big-\\d+\\." + BIG + "\\."));
        }
    }

    @Test
    void truncate_isTheDefault_sameQueryGetsTcForTheTcpRetry_rfc2181Section9() throws Exception {
        try (RunningServer s = serve(UdpAnswerPolicy.TRUNCATE)) {
            String out = s.dig.dig("+noedns", "+ignore", BIG, "A");
            assertThat(out).containsPattern("flags:[a-z ]* tc[ ;]");
            assertThat(s.dig.dig("+noedns", BIG, "A")).contains("ANSWER: 1000"); // dig retried over TCP
        }
    }

    @Test
    void headlessServiceWithoutReadyEndpoints_nxdomainWithExtendedDnsError_rfc8914_andCountedPerService() throws Exception {
        try (RunningServer s = serve(UdpAnswerPolicy.TRUNCATE)) {
            String out = s.dig.dig("zk.default.svc.cluster.local", "A");
            assertThat(out).contains("status: NXDOMAIN").contains("; EDE: 0 (Other): (service exists, no ready endpoints)");
            assertThat(s.dig.dig("zk.default.svc.cluster.local", "SRV")).contains("status: NXDOMAIN").contains("; EDE: 0 (Other)");
            // without EDNS there is nowhere to put it: a plain NXDOMAIN (RFC 8914 3)
            assertThat(s.dig.dig("+noedns", "zk.default.svc.cluster.local", "A")).contains("status: NXDOMAIN").doesNotContain("EDE");
            // a name that never was a service stays a plain NXDOMAIN
            assertThat(s.dig.dig("nothing.default.svc.cluster.local", "A")).contains("status: NXDOMAIN").doesNotContain("EDE");
            assertThat(s.server.metrics().scrape())
                    .contains("headless_dns_explained_negatives_total{namespace=\"default\",service=\"zk\"} 3");
            assertThat(s.dig.dig("big-0." + BIG, "A")).contains("status: NOERROR").doesNotContain("EDE");
        }
    }

    private static int size(String digOutput) {
        Matcher m = SIZE.matcher(digOutput);
        assertThat(m.find()).as("MSG SIZE in\n" + digOutput).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
