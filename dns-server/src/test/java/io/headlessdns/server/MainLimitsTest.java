package io.headlessdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headlessdns.server.transport.TransportLimits;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The transport-limit flags reach the server configuration; defaults keep RRL off. */
class MainLimitsTest {
    private static TransportLimits limits(String... args) throws Exception {
        Main main = new Main();
        new CommandLine(main).parseArgs(args);
        return main.config().limits();
    }

    @Test
    void defaults_rrlOff_tcpCapsAsDocumented() throws Exception {
        assertThat(limits("--manifests", "x.yaml")).isEqualTo(TransportLimits.DEFAULT);
        assertThat(TransportLimits.DEFAULT.rrlResponsesPerSecond()).isZero();
    }

    @Test
    void flags_setTheLimits() throws Exception {
        TransportLimits l = limits("--manifests", "x.yaml", "--tcp-max-connections", "100", "--tcp-max-in-flight", "8",
                "--rrl-responses-per-second", "50", "--rrl-slip", "3");
        assertThat(l.tcpMaxConnections()).isEqualTo(100);
        assertThat(l.tcpMaxInFlight()).isEqualTo(8);
        assertThat(l.rrlResponsesPerSecond()).isEqualTo(50);
        assertThat(l.rrlSlip()).isEqualTo(3);
    }

    @Test
    void nonsense_isRejectedWithTheFlagsName() {
        assertThatThrownBy(() -> limits("--manifests", "x.yaml", "--tcp-max-connections", "0"))
                .hasMessageContaining("--tcp-max-connections");
        assertThatThrownBy(() -> limits("--manifests", "x.yaml", "--rrl-responses-per-second", "-1"))
                .hasMessageContaining("--rrl-responses-per-second");
    }
}
