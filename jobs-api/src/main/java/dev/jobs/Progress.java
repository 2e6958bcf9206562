package dev.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A job's progress, in one of four shapes. Report it with {@link JobContext#progress(Progress)}.
 *
 * <pre>{@code
 * ctx.progress(Progress.percentage(0.25));
 * ctx.progress(Progress.count(120, 500, "copying a.txt"));
 * ctx.progress(Progress.structured(Map.of("phase", "hashing", "files", 42)));
 * ctx.progress(Progress.indeterminate("waiting for the server"));
 * }</pre>
 *
 * <p>{@link #fraction()} gives a number between 0 and 1 where the shape has one, which is what the
 * store keeps in its {@code progress} column for sorting and display.
 */
public sealed interface Progress {

    /** The completed fraction in {@code [0, 1]}, if this shape has one. */
    OptionalDouble fraction();

    /** A fraction of the work done, between 0.0 and 1.0. */
    static Progress percentage(double fraction) {
        return new Percentage(fraction);
    }

    /** {@code current} of {@code total} items done. */
    static Progress count(long current, long total) {
        return new Count(current, total, null);
    }

    /** {@code current} of {@code total} items done, with a message such as the current item. */
    static Progress count(long current, long total, String message) {
        return new Count(current, total, message);
    }

    /** Free-form data (JSON-compatible values: strings, numbers, booleans, lists, maps). */
    static Progress structured(Map<String, ?> data) {
        return new Structured(data);
    }

    /** Work whose size is unknown, with what is happening now. */
    static Progress indeterminate(String message) {
        return new Indeterminate(message);
    }

    /** A fraction of the work done. */
    record Percentage(double value) implements Progress {
        public Percentage {
            if (Double.isNaN(value) || value < 0.0 || value > 1.0) {
                throw new IllegalArgumentException("percentage must be between 0.0 and 1.0, was " + value);
            }
        }

        @Override
        public OptionalDouble fraction() {
            return OptionalDouble.of(value);
        }
    }

    /** Items done of a total; {@code message} may be null. */
    record Count(long current, long total, String message) implements Progress {
        public Count {
            if (current < 0 || total < 0) {
                throw new IllegalArgumentException("count must not be negative: " + current + "/" + total);
            }
        }

        @Override
        public OptionalDouble fraction() {
            if (total == 0) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(Math.min(1.0, (double) current / total));
        }
    }

    /** Free-form, JSON-compatible data. */
    record Structured(Map<String, ?> data) implements Progress {
        public Structured {
            data = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(data, "data")));
        }

        @Override
        public OptionalDouble fraction() {
            return OptionalDouble.empty();
        }
    }

    /** Work of unknown size; {@code message} may be null. */
    record Indeterminate(String message) implements Progress {
        @Override
        public OptionalDouble fraction() {
            return OptionalDouble.empty();
        }
    }
}
