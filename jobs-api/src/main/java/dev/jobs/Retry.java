package dev.jobs;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How a job type retries a failed run, given as {@link Job#retry()}. Without it a failure is final
 * (one attempt), as it always was.
 *
 * <p>A retry of a resumable job <em>continues from its last checkpoint</em>: the work the failed
 * attempt had saved is not done again, only the step it failed in. Set {@link #restart()} for a
 * job whose failure may have left its checkpoint unusable.
 *
 * <pre>{@code
 * @Job(name = "upload", retry = @Retry(maxAttempts = 5, initialDelay = "1s", maxDelay = "10m"))
 * public class UploadJob implements JobHandler<Void> { ... }
 * }</pre>
 *
 * <p>The delay before attempt {@code n + 1} is {@code initialDelay * multiplier^(n - 1)}, at most
 * {@link #maxDelay()}, then spread by {@link #jitter()}. Durations are written {@code 500ms},
 * {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} or in ISO-8601 ({@code PT1M30S}); the annotation
 * processor rejects one it cannot read, at compile time.
 *
 * @see RetryPolicy the same policy as a value, for {@code DispatchOptions.retry}
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface Retry {

    /** How many attempts in all, the first run included: 1 means no retry. */
    int maxAttempts() default 3;

    /** The delay before the first retry. */
    String initialDelay() default "1s";

    /** The longest delay between two attempts, however many failed. */
    String maxDelay() default "1h";

    /** How much longer each delay is than the one before (1.0 for a fixed delay). */
    double multiplier() default 2.0;

    /**
     * How far each delay is spread at random, as a fraction: 0.2 gives a delay between 80% and
     * 120% of the computed one (never more than {@link #maxDelay()}), so that jobs that failed
     * together do not all retry in the same millisecond.
     */
    double jitter() default 0.2;

    /** Retry from the job's state as dispatched instead of its last checkpoint. */
    boolean restart() default false;

    /**
     * Exception types (and their subtypes) that end the job at once, in addition to
     * {@link NonRetryableException}.
     */
    Class<? extends Throwable>[] noRetryFor() default {};

    /** When not empty, only these exception types (and their subtypes) are retried. */
    Class<? extends Throwable>[] retryOn() default {};
}
