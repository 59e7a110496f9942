package io.headlessdns.server.config;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-format}: {@code text} (logback.xml, one human-readable line per event) or {@code json}
 * (logback-json.xml, one JSON object per line through logback's JsonEncoder, for log pipelines). Chosen
 * after the command line is parsed, so logback is reconfigured from the matching file.
 */
public final class LogFormat {
    private LogFormat() {
    }

    public static void apply(String format) {
        String file = switch (format) {
            case "text" -> null;
            case "json" -> "/logback-json.xml";
            default -> throw new IllegalArgumentException("--log-format must be text or json, not " + format);
        };
        if (file == null || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // text is what logback.xml already set up
        }
        URL config = LogFormat.class.getResource(file);
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("cannot configure JSON logging from " + file + ": " + e.getMessage(), e);
        }
    }
}
