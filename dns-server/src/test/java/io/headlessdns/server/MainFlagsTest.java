package io.headlessdns.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.headlessdns.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The Kubernetes API flags (DESIGN section 3): parsed into the config, and a wrong one is a clear error. */
class MainFlagsTest {

    @Test
    void apiFlags_reachTheConfig() throws Exception {
        Main main = new Main();
        new CommandLine(main).parseArgs("--kubeconfig", "/tmp/kc", "--context", "prod", "--namespace", "a",
                "--namespace", "b", "--label-selector", "dns in (yes)", "--startup-timeout", "30s");
        ServerConfig c = main.config();
        assertThat(c.manifests()).isEmpty();
        assertThat(c.kube().kubeconfig()).isEqualTo(Path.of("/tmp/kc"));
        assertThat(c.kube().context()).isEqualTo("prod");
        assertThat(c.kube().scope().namespaces()).containsExactly("a", "b");
        assertThat(c.kube().scope().labelSelector()).isEqualTo("dns in (yes)");
        assertThat(c.kube().startupTimeout()).isEqualTo(Duration.ofSeconds(30));

        Main defaults = new Main();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.config().kube().startupTimeout()).isEqualTo(Duration.ofMinutes(5));
        Main plain = new Main();
        new CommandLine(plain).parseArgs("--startup-timeout", "90");
        assertThat(plain.config().kube().startupTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void beyondCoreDnsFlags_reachTheConfig_defaultsAreRfcBehaviourAndNoSnapshot() throws Exception {
        Main main = new Main();
        new CommandLine(main).parseArgs("--udp-answer-policy", "fit", "--snapshot-file", "/var/lib/headless-dns/state");
        ServerConfig c = main.config();
        assertThat(c.udpAnswers()).isEqualTo(io.headlessdns.server.query.UdpAnswerPolicy.FIT);
        assertThat(c.snapshotFile()).isEqualTo(Path.of("/var/lib/headless-dns/state"));
        Main defaults = new Main();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.config().udpAnswers()).isEqualTo(io.headlessdns.server.query.UdpAnswerPolicy.TRUNCATE);
        assertThat(defaults.config().snapshotFile()).isNull();
    }

    @Test
    void loadbalance_reachesTheConfig_roundRobinByDefault_asKubeadmsCorefile() throws Exception {
        Main off = new Main();
        new CommandLine(off).parseArgs("--loadbalance", "off");
        assertThat(off.config().loadBalance()).isEqualTo(io.headlessdns.server.query.LoadBalancePolicy.OFF);
        Main explicit = new Main();
        new CommandLine(explicit).parseArgs("--loadbalance", "round_robin");
        assertThat(explicit.config().loadBalance()).isEqualTo(io.headlessdns.server.query.LoadBalancePolicy.ROUND_ROBIN);
        Main defaults = new Main();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.config().loadBalance()).isEqualTo(io.headlessdns.server.query.LoadBalancePolicy.ROUND_ROBIN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--udp-answer-policy|shrink|--udp-answer-policy must be truncate or fit",
        "--loadbalance|random|--loadbalance must be round_robin or off, not 'random'",
        "--label-selector|=web|--label-selector: cannot parse",
        "--startup-timeout|soon|--startup-timeout: 'soon' is not a duration",
        "--namespace|Not_A_Namespace|--namespace: 'Not_A_Namespace'",
        "--context|prod|--context needs --kubeconfig",
        "--kubeconfig|/nonexistent/kubeconfig|--kubeconfig /nonexistent/kubeconfig: not a readable file",
    })
    void aWrongFlag_exitsNonZero_withAClearMessage(String flag, String value, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            // a flag whose validation went missing would start a server that runs until stopped: fail instead
            code = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> Main.run(flag, value, "--port", "0", "--http-port", "-1"),
                    "a wrong " + flag + " must stop the start, not serve");
        } finally {
            System.setErr(old);
        }
        assertThat(code).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
    }

    @Test
    void manifestsWithApiFlags_isRejected() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("--manifests", "deploy/examples", "--namespace", "a")).isNotZero();
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--manifests cannot be combined");
    }
}
