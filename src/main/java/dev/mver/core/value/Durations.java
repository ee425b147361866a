package dev.mver.core.value;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 0}, {@code 90s}, {@code 30m}, {@code 2h}, {@code 7d}, or ISO-8601 ({@code PT1H}). */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd]?)");

    private Durations() {
    }

    /** {@code value} as a duration; exit 2 naming {@code what} and the accepted forms otherwise. */
    public static Duration parse(String value, String what) {
        Matcher m = SHORT.matcher(value.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            Duration d = Duration.parse(value.strip());
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        throw MverException.usage("%s '%s' is not a duration (0, 90s, 30m, 2h, 7d)", what, Text.printable(value, 40));
    }

    /** {@code 30 s}, {@code 2 min}, {@code 1.5 s}: short, for messages. */
    public static String show(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms >= 60_000) {
            return ms / 60_000 + " min";
        }
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
