package io.headlessdns.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.compile.PodRecordMode;
import io.headlessdns.server.compile.PtrPolicy;
import io.headlessdns.server.compile.ZoneOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What StatefulSet users asked for and CoreDNS does not serve, each behind its flag, checked with dig:
 * member names before readiness (kubernetes/kubernetes#92559, #66234), per-class TTLs, and the PTR
 * policy for an IP behind several services (kubernetes/kubernetes#127716).
 */
class StatefulFeaturesEndToEndTest {
    private static final String ZK = "zk.default.svc.cluster.local";

    /** A bootstrapping ZooKeeper: zk-0 ready, zk-1 has an address but is not ready, zk-2 terminating. */
    private static final String BOOTSTRAPPING = """
            apiVersion: v1
            kind: Service
            metadata: {name: zk, namespace: default}
            spec: {clusterIP: None, ports: [{name: peer, port: 2888}]}
            ---
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: zk-abc, namespace: default, labels: {kubernetes.io/service-name: zk}}
            addressType: IPv4
            ports: [{name: peer, port: 2888, protocol: TCP}]
            endpoints:
              - {addresses: ["10.244.1.10"], hostname: zk-0, conditions: {ready: true}}
              - {addresses: ["10.244.1.11"], hostname: zk-1, conditions: {ready: false}}
              - {addresses: ["10.244.1.12"], hostname: zk-2, conditions: {ready: false, serving: false, terminating: true}}
            """;

    @TempDir
    Path dir;

    private RunningServer serve(String yaml, ZoneOptions zone) throws Exception {
        Files.writeString(dir.resolve("cluster.yaml"), yaml);
        return new RunningServer(List.of(dir), zone);
    }

    private static ZoneOptions options(ZoneOptions.RecordTtls ttls, PtrPolicy ptr, boolean beforeReady) {
        return new ZoneOptions("cluster.local", 5, 5, PodRecordMode.INSECURE, ttls, ptr, beforeReady);
    }

    @Test
    void publishPodNamesBeforeReady_memberNameAnswers_serviceRecordsStayReadyOnly() throws Exception {
        try (RunningServer s = serve(BOOTSTRAPPING, options(ZoneOptions.RecordTtls.all(5), PtrPolicy.ALL, true))) {
            assertThat(s.dig.shortAnswer("zk-1." + ZK)).containsExactly("10.244.1.11");
            assertThat(s.dig.shortAnswer("-x", "10.244.1.11")).containsExactly("zk-1." + ZK + ".");
            assertThat(s.dig.shortAnswer(ZK)).containsExactly("10.244.1.10");
            assertThat(s.dig.shortAnswer("_peer._tcp." + ZK, "SRV")).containsExactly("0 100 2888 zk-0." + ZK + ".");
            assertThat(s.dig.status("zk-2." + ZK)).isEqualTo("NXDOMAIN"); // terminating: going away
        }
    }

    @Test
    void withoutTheFlag_notReadyMemberIsNxdomain_asCoreDns() throws Exception {
        try (RunningServer s = serve(BOOTSTRAPPING, options(ZoneOptions.RecordTtls.all(5), PtrPolicy.ALL, false))) {
            assertThat(s.dig.status("zk-1." + ZK)).isEqualTo("NXDOMAIN");
            assertThat(s.dig.shortAnswer("zk-0." + ZK)).containsExactly("10.244.1.10");
        }
    }

    @Test
    void perClassTtls_andTheSeparateNegativeTtl() throws Exception {
        String yaml = BOOTSTRAPPING + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: api, namespace: default}
                spec: {clusterIP: 10.96.3.3, ports: [{name: http, port: 80}]}
                """;
        ZoneOptions zone = new ZoneOptions("cluster.local", 5, 1, PodRecordMode.INSECURE,
                new ZoneOptions.RecordTtls(30, 2, 10, 60), PtrPolicy.ALL, false);
        try (RunningServer s = serve(yaml, zone)) {
            assertThat(ttl(s, "api.default.svc.cluster.local", "A")).isEqualTo(30);
            assertThat(ttl(s, ZK, "A")).isEqualTo(30);
            assertThat(ttl(s, "zk-0." + ZK, "A")).isEqualTo(2);
            assertThat(ttl(s, "_peer._tcp." + ZK, "SRV")).isEqualTo(10);
            assertThat(ttl(s, "10-244-9-9.default.pod.cluster.local", "A")).isEqualTo(2);
            String ptr = s.dig.dig("+noall", "+answer", "-x", "10.96.3.3");
            assertThat(ptr.trim().split("\\s+")[1]).isEqualTo("60");
            String nx = s.dig.dig("+noall", "+authority", "zk-7." + ZK);
            assertThat(nx.trim().split("\\s+")[1]).isEqualTo("1");
            assertThat(nx).contains("SOA").endsWith("86400 1\n");
        }
    }

    @Test
    void ptrPolicy_ipBehindTwoServices_allGivesOnePerService_hostnameFirstGivesTheStatefulSetName() throws Exception {
        String yaml = BOOTSTRAPPING + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: zk-client, namespace: default}
                spec: {clusterIP: None, ports: [{name: client, port: 2181}]}
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: zk-client-abc, namespace: default, labels: {kubernetes.io/service-name: zk-client}}
                addressType: IPv4
                ports: [{name: client, port: 2181, protocol: TCP}]
                endpoints:
                  - {addresses: ["10.244.1.10"], conditions: {ready: true}}
                """;
        try (RunningServer s = serve(yaml, options(ZoneOptions.RecordTtls.all(5), PtrPolicy.ALL, false))) {
            assertThat(s.dig.shortAnswer("-x", "10.244.1.10")).containsExactly(
                    "10-244-1-10.zk-client.default.svc.cluster.local.", "zk-0." + ZK + ".");
        }
        try (RunningServer s = serve(yaml, options(ZoneOptions.RecordTtls.all(5), PtrPolicy.HOSTNAME_FIRST, false))) {
            assertThat(s.dig.shortAnswer("-x", "10.244.1.10")).containsExactly("zk-0." + ZK + ".");
        }
    }

    private static int ttl(RunningServer s, String name, String type) throws Exception {
        String line = s.dig.dig("+noall", "+answer", name, type).trim().split("\n")[0];
        return Integer.parseInt(line.split("\\s+")[1]);
    }
}
