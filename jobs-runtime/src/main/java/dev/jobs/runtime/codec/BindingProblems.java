package dev.jobs.runtime.codec;

import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.File;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Says in the library's words why a validated parameter value could not be bound to its field
 * (a malformed UUID or date, a number beyond its type, a record whose constructor refused the
 * values), without Jackson's class names or source excerpts.
 */
final class BindingProblems {
    private BindingProblems() {}

    private static final Map<Class<?>, String> EXPECTED = Map.ofEntries(
            Map.entry(UUID.class, "a UUID (such as 123e4567-e89b-12d3-a456-426614174000)"),
            Map.entry(Instant.class, "an instant in ISO-8601 form (such as 2026-01-31T10:15:30Z)"),
            Map.entry(OffsetDateTime.class, "a date and time with an offset (such as 2026-01-31T10:15:30+01:00)"),
            Map.entry(ZonedDateTime.class, "a date and time with an offset (such as 2026-01-31T10:15:30+01:00)"),
            Map.entry(LocalDateTime.class, "a date and time in ISO-8601 form (such as 2026-01-31T10:15:30)"),
            Map.entry(LocalDate.class, "a date in ISO-8601 form (such as 2026-01-31)"),
            Map.entry(LocalTime.class, "a time in ISO-8601 form (such as 10:15:30)"),
            Map.entry(OffsetTime.class, "a time with an offset (such as 10:15:30+01:00)"),
            Map.entry(Duration.class, "a duration in ISO-8601 form (such as PT30S)"),
            Map.entry(Period.class, "a period in ISO-8601 form (such as P1D)"),
            Map.entry(Path.class, "a file path"),
            Map.entry(File.class, "a file path"),
            Map.entry(URI.class, "a URI"),
            Map.entry(URL.class, "a URL"),
            Map.entry(byte[].class, "base64 text"),
            Map.entry(char.class, "a single character"),
            Map.entry(Character.class, "a single character"),
            Map.entry(byte.class, "an integer from -128 to 127"),
            Map.entry(Byte.class, "an integer from -128 to 127"),
            Map.entry(short.class, "an integer from -32768 to 32767"),
            Map.entry(Short.class, "an integer from -32768 to 32767"),
            Map.entry(int.class, "an integer from -2147483648 to 2147483647"),
            Map.entry(Integer.class, "an integer from -2147483648 to 2147483647"),
            Map.entry(long.class, "an integer from -9223372036854775808 to 9223372036854775807"),
            Map.entry(Long.class, "an integer from -9223372036854775808 to 9223372036854775807"),
            Map.entry(BigInteger.class, "an integer"),
            Map.entry(BigDecimal.class, "a number"),
            Map.entry(float.class, "a number"),
            Map.entry(Float.class, "a number"),
            Map.entry(double.class, "a number"),
            Map.entry(Double.class, "a number"),
            Map.entry(boolean.class, "true or false"),
            Map.entry(Boolean.class, "true or false"));

    /** What went wrong binding the value, for an {@code InvalidParametersException}. */
    static String describe(JsonMappingException e) {
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return "could not create " + name(v.getType().getRawClass()) + " from the value given: " + why;
        }
        if (e.getCause() instanceof ValueInstantiationException v) {
            return describe(v);
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        if (e.getCause() instanceof InputCoercionException c) {
            target = c.getTargetType();
        }
        String got = e instanceof InvalidFormatException f ? ", got " + shown(f.getValue()) : "";
        return "expected " + expected(target) + got;
    }

    static String expected(Class<?> target) {
        if (target == null) {
            return "a value of another type";
        }
        String known = EXPECTED.get(target);
        if (known != null) {
            return known;
        }
        if (target.isEnum()) {
            return "one of "
                    + Arrays.stream(target.getEnumConstants())
                            .map(c -> ((Enum<?>) c).name())
                            .collect(Collectors.joining(", "));
        }
        return "a value of type " + name(target);
    }

    private static String name(Class<?> type) {
        return type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
    }

    private static String shown(Object value) {
        if (value instanceof String s) {
            String text = StrictJson.printable(s);
            return "'" + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "'";
        }
        return String.valueOf(value);
    }
}
