package io.headlessdns.server.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a duration flag: plain seconds ({@code 300}), a number with a unit ({@code 30s 5m 1h 2d 500ms}) or ISO-8601 ({@code PT5M}). */
public final class Durations {
    private static final Pattern WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private Durations() {
    }

    public static Duration parse(String flag, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = WITH_UNIT.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            if (t.startsWith("pt")) {
                Duration d = Duration.parse(text.trim());
                if (!d.isNegative()) {
                    return d;
                }
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            // fall through to the error naming the flag
        }
        throw new IllegalArgumentException(flag + ": '" + text + "' is not a duration (e.g. 300, 30s, 5m, 1h, 2d, PT5M)");
    }
}
