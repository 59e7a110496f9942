package io.headlessdns.server.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.MainRunner;
import io.headlessdns.server.e2e.Dig;
import io.headlessdns.server.e2e.FreePort;
import io.headlessdns.server.forward.ScriptedUpstream.Behaviour;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start-up loop detection (CoreDNS's loop plugin) and the access list that keeps this from being an open resolver. */
class LoopAndAccessTest {

    @Test
    void upstreamIsThisServer_refusesToStart_withAClearMessage() throws Exception {
        int port = FreePort.udpAndTcp();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int exit;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit = MainRunner.run("--manifests", ForwardingServer.EXAMPLE.toString(), "--bind", "127.0.0.1",
                    "--port", String.valueOf(port), "--http-port", "0", "--upstream", "127.0.0.1:" + port);
        } finally {
            System.setErr(saved);
        }
        assertThat(exit).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("forwarding loop detected")
                .contains("upstream 127.0.0.1:" + port);
    }

    @Test
    void loopThroughALocalStubResolver_isDetected() throws Exception {
        // a node's resolv.conf names a local stub (127.0.0.53, systemd-resolved) that forwards to us: here the
        // stub is a relay on another local port
        int port = FreePort.udpAndTcp();
        try (CountingRelay stub = new CountingRelay(new java.net.InetSocketAddress("127.0.0.1", port))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream saved = System.err;
            int exit;
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            try {
                exit = MainRunner.run("--manifests", ForwardingServer.EXAMPLE.toString(), "--bind", "127.0.0.1",
                        "--port", String.valueOf(port), "--http-port", "0",
                        "--upstream", UpstreamAddress.label(stub.address()));
            } finally {
                System.setErr(saved);
            }
            assertThat(exit).isNotZero();
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("forwarding loop detected")
                    .contains(UpstreamAddress.label(stub.address()));
        }
    }

    @Test
    void clientOutsideAllowCidr_isRefusedForOutsideNames_butGetsClusterAnswers() throws Exception {
        try (ScriptedUpstream up = new ScriptedUpstream(Behaviour.ANSWER);
             ForwardingServer s = new ForwardingServer(ForwardOptions.NONE.withUpstreams(List.of(up.address()))
                     .withAllow(AccessList.parse(List.of("127.0.0.1/32"))))) {
            Dig dig = s.dig;
            assertThat(dig.shortAnswer("www.example.org")).as("127.0.0.1 is allowed").containsExactly("192.0.2.1");
            int asked = up.udpQueries.get();
            assertThat(dig.status("-b", "127.0.0.2", "other.example.org")).isEqualTo("REFUSED");
            assertThat(dig.status("-b", "127.0.0.2", "www.example.org")).as("no cache snooping either").isEqualTo("REFUSED");
            assertThat(up.udpQueries.get()).isEqualTo(asked);
            assertThat(dig.shortAnswer("-b", "127.0.0.2", "sts-web-0.svc-sts-nginx.default.svc.cluster.local")).hasSize(1);
            assertThat(s.forwarder().refusedClients()).isEqualTo(2);
        }
    }
}
