package dev.mver.core.git;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forms of {@code GIT_AUTHOR_DATE} and {@code GIT_COMMITTER_DATE} that scripts use: git's internal
 * {@code [@]<epoch> [<+hhmm>]}, ISO 8601 ({@code 2026-11-28T10:00:00+01:00}, also with a space and git's
 * {@code +0100}), RFC 2822 ({@code Sat, 28 Nov 2026 10:00:00 +0100}) and git's own default format
 * ({@code Sat Nov 28 10:00:00 2026 +0100}). A time without a zone is in {@code local}, as git takes it.
 */
final class GitDate {
    private static final Pattern EPOCH = Pattern.compile("(?:@(\\d+)|(\\d{9,}))(?:\\s+([+-]\\d{4}))?");
    private static final Pattern ISO = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}(?::\\d{2})?)(?:[.,]\\d+)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final List<DateTimeFormatter> WRITTEN = List.of(DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy Z", Locale.ENGLISH));

    private GitDate() {
    }

    /** The time {@code text} names, or empty when it is none of the forms above. */
    static Optional<ZonedDateTime> parse(String text, ZoneId local) {
        String s = text.strip();
        try {
            Matcher m = EPOCH.matcher(s);
            if (m.matches()) {
                Instant when = Instant.ofEpochSecond(Long.parseLong(m.group(1) != null ? m.group(1) : m.group(2)));
                return Optional.of(when.atZone(m.group(3) == null ? local : offset(m.group(3))));
            }
            m = ISO.matcher(s);
            if (m.matches()) {
                LocalDateTime time = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
                return Optional.of(time.atZone(m.group(3) == null ? local : offset(m.group(3))));
            }
            for (DateTimeFormatter f : WRITTEN) {
                try {
                    return Optional.of(ZonedDateTime.parse(s, f));
                } catch (DateTimeException e) {
                    // not this form
                }
            }
        } catch (DateTimeException | ArithmeticException | NumberFormatException e) {
            // a field out of range: no date
        }
        return Optional.empty();
    }

    /** {@code Z}, {@code +01}, {@code +0100} or {@code +01:00}. */
    private static ZoneOffset offset(String zone) {
        if (zone.equals("Z")) {
            return ZoneOffset.UTC;
        }
        String digits = zone.replace(":", "");
        int hours = Integer.parseInt(digits.substring(1, 3));
        int minutes = digits.length() > 3 ? Integer.parseInt(digits.substring(3)) : 0;
        if (minutes > 59) {
            throw new DateTimeException("minutes out of range: " + zone);
        }
        int sign = zone.startsWith("-") ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }
}
