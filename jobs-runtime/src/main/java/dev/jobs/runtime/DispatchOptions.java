package dev.jobs.runtime;

import dev.jobs.JobPriority;
import dev.jobs.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a job is dispatched: its priority, when it may run and how it is retried. Immutable; each {@code with}-style
 * method returns a copy, so one instance can be kept in a constant and shared.
 *
 * <pre>{@code
 * DispatchOptions later = DispatchOptions.defaults().delay(Duration.ofMinutes(10));
 * jobs.dispatch(new ReportJob(day), later.priority(JobPriority.HIGH));
 * jobs.dispatchByName("report", "{\"day\":\"2030-01-01\"}", DispatchOptions.defaults().runAt(midnight));
 * }</pre>
 *
 * <p>A run time ({@link #runAt}, or {@link #delay} from the moment of dispatch) is read on the
 * manager's clock ({@link JobManagerBuilder#clock}), the clock its workers compare run times
 * with. A job whose run time is in the future is stored as QUEUED with that time
 * ({@link JobInfo#runAt()}) and no worker starts it before then; a time in the past means at once.
 * Setting one of {@code runAt} and {@code delay} replaces the other.
 */
public final class DispatchOptions {

    private static final DispatchOptions DEFAULTS = new DispatchOptions(JobPriority.NORMAL, null, null, null);

    private final JobPriority priority;
    private final Instant runAt;
    private final Duration delay;
    private final RetryPolicy retry;

    private DispatchOptions(JobPriority priority, Instant runAt, Duration delay, RetryPolicy retry) {
        this.priority = priority;
        this.runAt = runAt;
        this.delay = delay;
        this.retry = retry;
    }

    /** Normal priority, run at once. */
    public static DispatchOptions defaults() {
        return DEFAULTS;
    }

    /** These options with {@code priority}. */
    public DispatchOptions priority(JobPriority priority) {
        return new DispatchOptions(Objects.requireNonNull(priority, "priority"), runAt, delay, retry);
    }

    /** These options with the job not run before {@code runAt} (replaces a {@link #delay}). */
    public DispatchOptions runAt(Instant runAt) {
        return new DispatchOptions(priority, Objects.requireNonNull(runAt, "runAt"), null, retry);
    }

    /**
     * These options with the job not run before {@code delay} after its dispatch (replaces a
     * {@link #runAt}).
     *
     * @throws IllegalArgumentException {@code delay} is negative
     */
    public DispatchOptions delay(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
        return new DispatchOptions(priority, null, delay, retry);
    }

    /**
     * These options with the job retried under {@code retry} instead of its type's
     * {@code @Job(retry = ...)}; {@link RetryPolicy#none()} turns retries off for this job.
     */
    public DispatchOptions retry(RetryPolicy retry) {
        return new DispatchOptions(priority, runAt, delay, Objects.requireNonNull(retry, "retry"));
    }

    /** The retry policy set with {@link #retry(RetryPolicy)}, if any (else the job type's applies). */
    public Optional<RetryPolicy> retry() {
        return Optional.ofNullable(retry);
    }

    public JobPriority priority() {
        return priority;
    }

    /** The run time set with {@link #runAt(Instant)}, if any. */
    public Optional<Instant> runAt() {
        return Optional.ofNullable(runAt);
    }

    /** The delay set with {@link #delay(Duration)}, if any. */
    public Optional<Duration> delay() {
        return Optional.ofNullable(delay);
    }

    /**
     * The run time in epoch millis for a job dispatched at {@code now} (millis of {@code clock}),
     * or null when it is due at once (no run time, or one not after {@code now}).
     */
    Long runAtMillis(long now) {
        long at;
        if (runAt != null) {
            at = runAt.toEpochMilli();
        } else if (delay != null) {
            at = delay.compareTo(Duration.ofDays(365L * 100_000)) > 0 ? Long.MAX_VALUE : now + delay.toMillis();
        } else {
            return null;
        }
        return at > now ? at : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DispatchOptions d
                && priority == d.priority
                && Objects.equals(runAt, d.runAt)
                && Objects.equals(delay, d.delay)
                && Objects.equals(retry, d.retry);
    }

    @Override
    public int hashCode() {
        return Objects.hash(priority, runAt, delay, retry);
    }

    @Override
    public String toString() {
        return "DispatchOptions[priority=" + priority
                + (runAt != null ? ", runAt=" + runAt : "")
                + (delay != null ? ", delay=" + delay : "")
                + (retry != null ? ", retry=" + retry : "")
                + "]";
    }
}
