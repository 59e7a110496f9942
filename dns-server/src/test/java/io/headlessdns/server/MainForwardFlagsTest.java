package io.headlessdns.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headlessdns.server.config.ServerConfig;
import io.headlessdns.server.forward.ForwardOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The forwarding flags as the command line reads them. */
class MainForwardFlagsTest {

    private static ForwardOptions parse(String... args) throws Exception {
        Main main = new Main();
        new CommandLine(main).parseArgs(args);
        ServerConfig config = main.config();
        return config.forward();
    }

    @Test
    void withoutUpstream_nothingIsForwarded_designSection3() throws Exception {
        ForwardOptions f = parse("--manifests", "x.yaml");
        assertThat(f.enabled()).isFalse();
        assertThat(f.maxConcurrent()).isEqualTo(1000);
        assertThat(f.cacheSize()).isEqualTo(10000);
        assertThat(f.cacheMaxTtl()).isEqualTo(3600);
        assertThat(f.cacheNegativeMaxTtl()).isEqualTo(1800);
        assertThat(f.serveStale()).isEqualTo(Duration.ZERO);
    }

    @Test
    void allFlags() throws Exception {
        ForwardOptions f = parse("--manifests", "x.yaml", "--upstream", "10.0.0.1", "--upstream", "[fd00::1]:5353",
                "--stub-domain", "Corp.Example.=10.1.0.1:53,10.1.0.2", "--allow-cidr", "10.0.0.0/8",
                "--max-concurrent", "50", "--cache-size", "7", "--cache-min-ttl", "5", "--cache-max-ttl", "600",
                "--cache-negative-max-ttl", "30", "--serve-stale", "1h");
        assertThat(f.upstreams()).containsExactly(new InetSocketAddress("10.0.0.1", 53), new InetSocketAddress("fd00::1", 5353));
        assertThat(f.stubDomains()).containsOnlyKeys("corp.example");
        assertThat(f.stubDomains().get("corp.example"))
                .containsExactly(new InetSocketAddress("10.1.0.1", 53), new InetSocketAddress("10.1.0.2", 53));
        assertThat(f.allow().blocks()).hasSize(1);
        assertThat(f.maxConcurrent()).isEqualTo(50);
        assertThat(f.cacheSize()).isEqualTo(7);
        assertThat(f.cacheMinTtl()).isEqualTo(5);
        assertThat(f.cacheMaxTtl()).isEqualTo(600);
        assertThat(f.cacheNegativeMaxTtl()).isEqualTo(30);
        assertThat(f.serveStale()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void badValues_areParameterErrors() {
        assertThatThrownBy(() -> parse("--manifests", "x.yaml", "--upstream", "dns.google"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("IP address");
        assertThatThrownBy(() -> parse("--manifests", "x.yaml", "--stub-domain", "corp.example"))
                .hasMessageContaining("ZONE=ADDR");
        assertThatThrownBy(() -> parse("--manifests", "x.yaml", "--allow-cidr", "10.0.0.0/40")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> parse("--manifests", "x.yaml", "--serve-stale", "soon")).hasMessageContaining("duration");
        assertThatThrownBy(() -> parse("--manifests", "x.yaml", "--max-concurrent", "0")).hasMessageContaining("--max-concurrent");
    }
}
