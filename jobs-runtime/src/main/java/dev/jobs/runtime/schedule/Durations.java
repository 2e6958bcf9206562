package dev.jobs.runtime.schedule;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the durations of schedule texts: ISO-8601 ({@code PT1M}) or short ({@code 1h30m}). */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Durations() {}

    /**
     * Parses {@code text} as an ISO-8601 duration ({@code PT5M}, {@code P1D}) or as a sum of
     * whole-number units in the order d, h, m, s ({@code 90s}, {@code 5m}, {@code 1h30m}, {@code
     * 2d}).
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static Duration parse(String text) {
        String t = text.strip();
        if (t.regionMatches(true, 0, "P", 0, 1)) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("duration '" + text + "' is not a valid ISO-8601 duration", e);
            }
        }
        Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
        if (t.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("duration '" + text
                    + "' is not understood: expected ISO-8601 (PT5M) or units d, h, m, s (5m, 1h30m, 90s)");
        }
        try {
            Duration d = Duration.ZERO;
            d = d.plusDays(group(m, 1)).plusHours(group(m, 2));
            return d.plusMinutes(group(m, 3)).plusSeconds(group(m, 4));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration '" + text + "' is too long", e);
        }
    }

    private static long group(Matcher m, int group) {
        String g = m.group(group);
        if (g == null) {
            return 0;
        }
        try {
            return Long.parseLong(g);
        } catch (NumberFormatException e) {
            throw new ArithmeticException("too long");
        }
    }
}
