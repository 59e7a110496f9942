package io.headlessdns.server.config;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format}: {@code text} (one human-readable line per event) or {@code json} (one JSON object
 * per line through logback's JsonEncoder, for log pipelines); see {@link LogSetup}. Chosen after the
 * command line is parsed, so logback is reconfigured for json.
 */
public final class LogFormat {
    private LogFormat() {
    }

    public static void apply(String format) {
        boolean json = switch (format) {
            case "text" -> false;
            case "json" -> true;
            default -> throw new IllegalArgumentException("--log-format must be text or json, not " + format);
        };
        if (!json || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // text is what LogSetup already set up
        }
        context.reset();
        LogSetup.json(context);
    }
}
