package io.headlessdns.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Flags from HEADLESS_DNS_* variables; a flag on the command line wins. */
class EnvironmentDefaultsTest {
    @Command
    static final class Cmd {
        @Option(names = "--http-port", defaultValue = "9153")
        int httpPort;
        @Option(names = "--log-format", defaultValue = "text")
        String logFormat;
    }

    @Test
    void variableName_isPrefixPlusUpperCasedLongOption() {
        assertThat(EnvironmentDefaults.variable("--http-port")).isEqualTo("HEADLESS_DNS_HTTP_PORT");
        assertThat(EnvironmentDefaults.variable("--log-queries")).isEqualTo("HEADLESS_DNS_LOG_QUERIES");
    }

    @Test
    void environmentSetsDefault_commandLineOverridesIt_annotationDefaultOtherwise() {
        Map<String, String> env = Map.of("HEADLESS_DNS_HTTP_PORT", "9999");
        Cmd fromEnv = new Cmd();
        new CommandLine(fromEnv).setDefaultValueProvider(new EnvironmentDefaults(env)).parseArgs();
        assertThat(fromEnv.httpPort).isEqualTo(9999);
        assertThat(fromEnv.logFormat).isEqualTo("text");

        Cmd fromFlag = new Cmd();
        new CommandLine(fromFlag).setDefaultValueProvider(new EnvironmentDefaults(env)).parseArgs("--http-port", "1234");
        assertThat(fromFlag.httpPort).isEqualTo(1234);
    }
}
