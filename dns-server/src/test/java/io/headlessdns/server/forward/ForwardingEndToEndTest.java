package io.headlessdns.server.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding end to end: the real {@code dig} asks headless-dns, which forwards names outside the
 * cluster to a real Knot DNS through a counting relay. The relay's count proves what the cache answered.
 */
class ForwardingEndToEndTest {
    private static final String EXAMPLE_ZONE = """
            $ORIGIN example.com.
            $TTL 300
            @ 3600 IN SOA ns.example.com. hostmaster.example.com. 1 7200 1800 86400 60
            @ IN NS ns
            ns IN A 192.0.2.53
            www IN A 192.0.2.10
            alias IN CNAME www
            big IN TXT "%1$s"
            big IN TXT "%2$s"
            big IN TXT "%3$s"
            big IN TXT "%4$s"
            big IN TXT "%5$s"
            """.formatted("a".repeat(120), "b".repeat(120), "c".repeat(120), "d".repeat(120), "e".repeat(120));
    private static final String REVERSE_ZONE = """
            $ORIGIN 2.0.192.in-addr.arpa.
            $TTL 300
            @ IN SOA ns.example.com. hostmaster.example.com. 1 7200 1800 86400 60
            @ IN NS ns.example.com.
            10 IN PTR www.example.com.
            """;

    @TempDir
    static Path dir;
    static KnotServer knot;
    static CountingRelay relay;
    static ForwardingServer server;

    @BeforeAll
    static void start() throws Exception {
        knot = new KnotServer(dir, Map.of("example.com", EXAMPLE_ZONE, "2.0.192.in-addr.arpa", REVERSE_ZONE));
        relay = new CountingRelay(knot.address());
        server = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(relay.address())));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (knot != null) {
            knot.close();
        }
    }

    @Test
    void outsideName_isAnsweredByTheUpstream_thenFromTheCache_withTtlCountingDown() throws Exception {
        int before = relay.queries.get();
        assertThat(server.dig.shortAnswer("www.example.com", "A")).containsExactly("192.0.2.10");
        assertThat(relay.queries.get()).isEqualTo(before + 1);

        String first = server.dig.dig("www.example.com", "A", "+noall", "+answer");
        assertThat(relay.queries.get()).as("the second query is answered from the cache").isEqualTo(before + 1);
        Thread.sleep(2100);
        String later = server.dig.dig("www.example.com", "A", "+noall", "+answer");
        assertThat(relay.queries.get()).isEqualTo(before + 1);
        int ttl1 = ttl(first);
        int ttl2 = ttl(later);
        assertThat(ttl1).isBetween(298, 300);
        assertThat(ttl2).as("RFC 1035 / RFC 2181 8: TTLs count down from the time cached").isBetween(ttl1 - 3, ttl1 - 2);
        assertThat(server.metric("coredns_cache_hits_total", "type=\"success\"")).isGreaterThanOrEqualTo(2);
        assertThat(server.metric("coredns_forward_requests_total", "to=\"" + UpstreamAddress.label(relay.address()) + "\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(server.metric("coredns_forward_responses_total", "rcode=\"NOERROR\"")).isGreaterThanOrEqualTo(1);
        assertThat(server.metric("coredns_forward_request_duration_seconds_bucket", "le=\"+Inf\"", "rcode=\"NOERROR\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(server.metric("coredns_proxy_request_duration_seconds_count", "proxy_name=\"forward\"", "rcode=\"NOERROR\""))
                .isGreaterThanOrEqualTo(1);
        assertThat(server.metric("coredns_cache_entries", "type=\"success\"")).isGreaterThanOrEqualTo(1);
        assertThat(server.metric("coredns_dns_responses_total", "plugin=\"forward\"", "rcode=\"NOERROR\"")).isGreaterThanOrEqualTo(1);
        assertThat(server.metric("coredns_dns_responses_total", "plugin=\"cache\"", "rcode=\"NOERROR\"")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void forwardedAnswer_echoesTheClientsQuestionCase_andSetsRa() throws Exception {
        String out = server.dig.dig("WwW.ExAmPlE.cOm", "A");
        assertThat(out).containsPattern(";WwW\\.ExAmPlE\\.cOm\\.\\s+IN\\s+A").contains("status: NOERROR").containsPattern("flags:[^;]* ra");
        assertThat(out).containsPattern("WwW\\.ExAmPlE\\.cOm\\.\\s+\\d+\\s+IN\\s+A\\s+192\\.0\\.2\\.10");
        assertThat(out).doesNotContainPattern("flags:[^;]* aa");
    }

    @Test
    void nxdomain_isCachedByTheSoaMinimum_rfc2308() throws Exception {
        assertThat(server.dig.status("nope.example.com", "A")).isEqualTo("NXDOMAIN");
        int after = relay.queries.get();
        String again = server.dig.dig("nope.example.com", "A");
        assertThat(again).contains("status: NXDOMAIN");
        assertThat(relay.queries.get()).isEqualTo(after);
        // min(SOA TTL 3600, SOA MINIMUM 60): the SOA in the authority section carries at most 60
        assertThat(again).containsPattern("example\\.com\\.\\s+(60|59|58)\\s+IN\\s+SOA");
    }

    @Test
    void missOverTcp_isAnsweredOnTheConnectionWhenTheUpstreamReplies_rfc7766() throws Exception {
        int before = relay.queries.get();
        assertThat(server.dig.shortAnswer("alias.example.com", "+tcp")).containsExactly("192.0.2.10", "www.example.com.");
        assertThat(relay.queries.get()).isEqualTo(before + 1);
    }

    @Test
    void unknownReverseName_fallsThroughToTheUpstream() throws Exception {
        assertThat(server.dig.shortAnswer("-x", "192.0.2.10")).containsExactly("www.example.com.");
    }

    @Test
    void clusterNames_stillComeFromTheTable() throws Exception {
        assertThat(server.dig.shortAnswer("sts-web-0.svc-sts-nginx.default.svc.cluster.local")).hasSize(1);
        assertThat(server.dig.status("nope.default.svc.cluster.local")).isEqualTo("NXDOMAIN");
    }

    @Test
    void largeAnswer_isTruncatedForAClientWithoutEdns_andWholeOverTcp() throws Exception {
        String full = server.dig.dig("big.example.com", "TXT");
        assertThat(full).contains("ANSWER: 5");
        String noEdns = server.dig.dig("big.example.com", "TXT", "+noedns", "+ignore");
        assertThat(noEdns).containsPattern("flags:[^;]* tc").contains("ANSWER: 0");
        assertThat(server.dig.dig("big.example.com", "TXT", "+noedns", "+tcp")).contains("ANSWER: 5");
    }

    private static int ttl(String answerLine) {
        String[] f = answerLine.trim().split("\\s+");
        return Integer.parseInt(f[1]);
    }
}
