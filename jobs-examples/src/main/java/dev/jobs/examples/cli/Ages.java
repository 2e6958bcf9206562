package dev.jobs.examples.cli;

import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations on the command line: {@code 30s}, {@code 15m}, {@code 12h}, {@code 7d}, {@code 2w} (or
 * an ISO-8601 duration such as {@code PT1H}), from zero up to {@link #LONGEST}. A bad one is a
 * usage error (exit 2) that says what is accepted.
 */
final class Ages implements ITypeConverter<Duration> {

    /** The longest duration accepted: 36,500 days, about 100 years. */
    static final Duration LONGEST = Duration.ofDays(36_500);

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*([smhdw])");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** Parses a duration, or throws {@link TypeConversionException} with a message that says what to give. */
    static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher m = SHORT.matcher(trimmed.toLowerCase(Locale.ROOT));
        Duration duration;
        if (m.matches()) {
            BigInteger seconds = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(unitSeconds(m.group(2))));
            if (seconds.compareTo(BigInteger.valueOf(LONGEST.getSeconds())) > 0) {
                throw tooLong(text);
            }
            duration = Duration.ofSeconds(seconds.longValueExact());
        } else {
            try {
                duration = Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                if (e.getMessage() != null && e.getMessage().contains("overflow")) {
                    throw tooLong(text);
                }
                throw new TypeConversionException(
                        "'" + text + "' is not a duration; use for example 30s, 15m, 12h, 7d or 2w");
            }
        }
        if (duration.isNegative()) {
            throw new TypeConversionException("'" + text + "' is negative; use for example 30s, 15m, 12h, 7d or 2w");
        }
        if (duration.compareTo(LONGEST) > 0) {
            throw tooLong(text);
        }
        return duration;
    }

    private static long unitSeconds(String unit) {
        return switch (unit) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3_600;
            case "d" -> 86_400;
            default -> 7 * 86_400;
        };
    }

    private static TypeConversionException tooLong(String text) {
        return new TypeConversionException(
                "'" + text + "' is too long; the longest accepted is " + LONGEST.toDays() + "d (about 100 years)");
    }
}
