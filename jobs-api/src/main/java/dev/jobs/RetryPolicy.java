package dev.jobs;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a failed job is tried again: how many attempts in all, how long to wait between them, and
 * which failures are worth another attempt. A job type sets its own with {@link Job#retry()}; a
 * single dispatch can set another with {@code DispatchOptions.retry}. The policy a job was
 * dispatched with is stored with it, so a job keeps it across restarts and deployments.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.attempts(5)
 *         .withBackoff(Duration.ofSeconds(1), Duration.ofMinutes(10), 2.0)
 *         .withNoRetryFor(IllegalArgumentException.class);
 * jobs.dispatch(new UploadJob(file), DispatchOptions.defaults().retry(policy));
 * }</pre>
 *
 * <p>Exception types are kept by name ({@link #noRetryFor()}, {@link #retryOn()}) and match an
 * exception whose class or any superclass or interface has that name.
 *
 * @param maxAttempts attempts in all, the first run included; 1 means no retry
 * @param initialDelay the delay before the first retry
 * @param maxDelay the longest delay between two attempts
 * @param multiplier how much longer each delay is than the one before (at least 1)
 * @param jitter how far each delay is spread at random, as a fraction in [0, 1]
 * @param restart retry from the state as dispatched instead of the last checkpoint
 * @param noRetryFor names of exception types that end the job at once
 * @param retryOn when not empty, names of the only exception types that are retried
 */
public record RetryPolicy(
        int maxAttempts,
        Duration initialDelay,
        Duration maxDelay,
        double multiplier,
        double jitter,
        boolean restart,
        List<String> noRetryFor,
        List<String> retryOn) {

    private static final RetryPolicy NONE =
            new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofHours(1), 2.0, 0.2, false, List.of(), List.of());

    /** @throws IllegalArgumentException a value out of range, with what is allowed */
    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 (1 means no retry): " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException(
                    "retry delays must not be negative: initialDelay " + initialDelay + ", maxDelay " + maxDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException(
                    "maxDelay (" + maxDelay + ") must not be shorter than initialDelay (" + initialDelay + ")");
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a number of at least 1.0: " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0.0 and 1.0: " + jitter);
        }
        noRetryFor = List.copyOf(noRetryFor);
        retryOn = List.copyOf(retryOn);
    }

    /** One attempt: a failure is final. The default of every job. */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * Up to {@code maxAttempts} attempts in all, with the defaults of {@link Retry}: 1 s before the
     * first retry, doubling up to 1 h, spread by 20%.
     */
    public static RetryPolicy attempts(int maxAttempts) {
        return new RetryPolicy(
                maxAttempts,
                NONE.initialDelay,
                NONE.maxDelay,
                NONE.multiplier,
                NONE.jitter,
                false,
                List.of(),
                List.of());
    }

    /** The policy an annotation describes. @throws IllegalArgumentException a value it cannot read */
    public static RetryPolicy of(Retry retry) {
        return new RetryPolicy(
                retry.maxAttempts(),
                parseDuration(retry.initialDelay()),
                parseDuration(retry.maxDelay()),
                retry.multiplier(),
                retry.jitter(),
                retry.restart(),
                names(retry.noRetryFor()),
                names(retry.retryOn()));
    }

    /** This policy with exponential backoff from {@code initial} up to {@code max}. */
    public RetryPolicy withBackoff(Duration initial, Duration max, double multiplier) {
        return new RetryPolicy(maxAttempts, initial, max, multiplier, jitter, restart, noRetryFor, retryOn);
    }

    /** This policy with the delays spread by {@code jitter} (0 for exact delays). */
    public RetryPolicy withJitter(double jitter) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, restart, noRetryFor, retryOn);
    }

    /** This policy retrying from the state as dispatched rather than the last checkpoint. */
    public RetryPolicy withRestart() {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, true, noRetryFor, retryOn);
    }

    /**
     * This policy, also ending the job at once on these exception types.
     *
     * @throws IllegalArgumentException a type that is not a {@link Throwable}
     */
    public RetryPolicy withNoRetryFor(Class<?>... types) {
        List<String> all = new ArrayList<>(noRetryFor);
        all.addAll(names(types));
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, restart, all, retryOn);
    }

    /**
     * This policy retrying only these exception types.
     *
     * @throws IllegalArgumentException a type that is not a {@link Throwable}
     */
    public RetryPolicy withRetryOn(Class<?>... types) {
        List<String> all = new ArrayList<>(retryOn);
        all.addAll(names(types));
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, multiplier, jitter, restart, noRetryFor, all);
    }

    /** Whether a failure may be retried at all (there is more than one attempt). */
    public boolean retries() {
        return maxAttempts > 1;
    }

    /**
     * Whether {@code failure} is worth another attempt under this policy: never a
     * {@link NonRetryableException} or a type of {@link #noRetryFor()}; when {@link #retryOn()} is
     * set, only its types. (Whether attempts are left is for the caller to count.)
     */
    public boolean retries(Throwable failure) {
        if (failure instanceof NonRetryableException || matches(failure.getClass(), noRetryFor)) {
            return false;
        }
        return retryOn.isEmpty() || matches(failure.getClass(), retryOn);
    }

    /**
     * The delay before attempt {@code attempt} (2 for the first retry), before jitter: {@code
     * initialDelay * multiplier^(attempt - 2)}, at most {@link #maxDelay()}.
     */
    public Duration baseDelay(int attempt) {
        if (attempt < 2) {
            throw new IllegalArgumentException("the first retry is attempt 2: " + attempt);
        }
        double millis = millis(initialDelay) * Math.pow(multiplier, attempt - 2);
        return millis >= millis(maxDelay) ? maxDelay : Duration.ofMillis((long) millis);
    }

    /** The duration in milliseconds, at most {@code Long.MAX_VALUE} (a delay of millions of years). */
    private static long millis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * The delay before attempt {@code attempt} with jitter applied: {@code random} (in [0, 1))
     * picks a point in {@code baseDelay * [1 - jitter, 1 + jitter]}, capped at {@link #maxDelay()}.
     */
    public Duration delayBefore(int attempt, double random) {
        long base = millis(baseDelay(attempt));
        double spread = 1.0 - jitter + 2.0 * jitter * random;
        long millis = Math.min(millis(maxDelay), Math.round(base * spread));
        return Duration.ofMillis(Math.max(0, millis));
    }

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    /**
     * Reads a duration written {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d}, a
     * sum of those ({@code 1h30m}), or in ISO-8601 ({@code PT1M30S}).
     *
     * @throws IllegalArgumentException text that is neither, quoting it
     */
    public static Duration parseDuration(String text) {
        String t = text == null ? "" : text.trim();
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw badDuration(text);
            }
        }
        Matcher m = SHORT.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        try {
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(
                        switch (m.group(2)) {
                            case "ms" -> Duration.ofMillis(n);
                            case "s" -> Duration.ofSeconds(n);
                            case "m" -> Duration.ofMinutes(n);
                            case "h" -> Duration.ofHours(n);
                            default -> Duration.ofDays(n);
                        });
                end = m.end();
            }
        } catch (NumberFormatException | ArithmeticException e) { // a number too large for a Duration
            throw badDuration(text);
        }
        if (end == 0 || end != t.length()) {
            throw badDuration(text);
        }
        return total;
    }

    private static IllegalArgumentException badDuration(String text) {
        return new IllegalArgumentException("cannot read the duration \"" + text
                + "\": write it like 500ms, 10s, 5m, 2h, 1d, 1h30m or in ISO-8601 (PT1M30S)");
    }

    private static boolean matches(Class<?> type, List<String> names) {
        if (names.isEmpty()) {
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (names.contains(c.getName()) || Arrays.stream(c.getInterfaces()).anyMatch(i -> matches(i, names))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names(Class<?>[] types) {
        for (Class<?> type : types) {
            if (!Throwable.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException(type.getName() + " is not an exception type");
            }
        }
        return Arrays.stream(types).map(Class::getName).toList();
    }
}
