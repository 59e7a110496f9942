package io.headlessdns.server.config;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * Every flag from the environment, for container specs: {@code --http-port} is read from
 * {@code HEADLESS_DNS_HTTP_PORT} when the command line does not give it. The name is derived from the
 * long option name, so a new flag gets its variable without more code.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    static final String PREFIX = "HEADLESS_DNS_";

    private final Map<String, String> env;

    public EnvironmentDefaults() {
        this(System.getenv());
    }

    EnvironmentDefaults(Map<String, String> env) {
        this.env = env;
    }

    /** {@code --log-format} -> {@code HEADLESS_DNS_LOG_FORMAT}. */
    public static String variable(String longOption) {
        return PREFIX + longOption.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (arg instanceof CommandLine.Model.OptionSpec option) {
            String value = env.get(variable(option.longestName()));
            if (value != null) {
                return value;
            }
        }
        return arg.defaultValue();
    }
}
