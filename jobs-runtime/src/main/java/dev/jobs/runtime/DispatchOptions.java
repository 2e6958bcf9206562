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

    private static final DispatchOptions DEFAULTS =
            new DispatchOptions(JobPriority.NORMAL, null, null, null, null, null, java.util.List.of());

    private final JobPriority priority;
    private final Instant runAt;
    private final Duration delay;
    private final RetryPolicy retry;
    private final String uniqueKey;
    private final Uniqueness uniqueness;
    private final java.util.List<dev.jobs.runtime.store.NewJob.Resource> resources;

    private DispatchOptions(
            JobPriority priority,
            Instant runAt,
            Duration delay,
            RetryPolicy retry,
            String uniqueKey,
            Uniqueness uniqueness,
            java.util.List<dev.jobs.runtime.store.NewJob.Resource> resources) {
        this.resources = resources;
        this.priority = priority;
        this.runAt = runAt;
        this.delay = delay;
        this.retry = retry;
        this.uniqueKey = uniqueKey;
        this.uniqueness = uniqueness;
    }

    /** Normal priority, run at once. */
    public static DispatchOptions defaults() {
        return DEFAULTS;
    }

    /** These options with {@code priority}. */
    public DispatchOptions priority(JobPriority priority) {
        return new DispatchOptions(
                Objects.requireNonNull(priority, "priority"), runAt, delay, retry, uniqueKey, uniqueness, resources);
    }

    /** These options with the job not run before {@code runAt} (replaces a {@link #delay}). */
    public DispatchOptions runAt(Instant runAt) {
        return new DispatchOptions(
                priority, Objects.requireNonNull(runAt, "runAt"), null, retry, uniqueKey, uniqueness, resources);
    }

    /** These options without a run time or delay: due at once (a chain's later steps). */
    DispatchOptions atOnce() {
        return new DispatchOptions(priority, null, null, retry, uniqueKey, uniqueness, resources);
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
        return new DispatchOptions(priority, null, delay, retry, uniqueKey, uniqueness, resources);
    }

    /**
     * These options with the job retried under {@code retry} instead of its type's
     * {@code @Job(retry = ...)}; {@link RetryPolicy#none()} turns retries off for this job.
     */
    public DispatchOptions retry(RetryPolicy retry) {
        return new DispatchOptions(
                priority, runAt, delay, Objects.requireNonNull(retry, "retry"), uniqueKey, uniqueness, resources);
    }

    /** The retry policy set with {@link #retry(RetryPolicy)}, if any (else the job type's applies). */
    public Optional<RetryPolicy> retry() {
        return Optional.ofNullable(retry);
    }

    /**
     * These options with a unique key held while its job is active ({@link Uniqueness#whileActive()}):
     * a dispatch with a key another active job holds creates nothing and returns a handle to that
     * job ({@link JobHandle#isExisting()}). Enforced by the store, so two processes that dispatch
     * with one key at the same moment create one job.
     *
     * @throws IllegalArgumentException a blank key, or one longer than 500 characters
     */
    public DispatchOptions uniqueKey(String key) {
        return uniqueKey(key, Uniqueness.whileActive());
    }

    /** These options with a unique key held as {@code uniqueness} says. */
    public DispatchOptions uniqueKey(String key, Uniqueness uniqueness) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(uniqueness, "uniqueness");
        if (key.isBlank() || key.length() > 500) {
            throw new IllegalArgumentException("a unique key must be 1 to 500 characters and not blank: '" + key + "'");
        }
        return new DispatchOptions(priority, runAt, delay, retry, key, uniqueness, resources);
    }

    /**
     * These options with resources the job holds while it runs, each by at most one running job
     * at a time, across every process on the database: two jobs that both hold
     * {@code "repo:/data/main"} never run together; the second waits queued (without keeping other
     * jobs from starting) until the first has stopped running.
     *
     * @throws IllegalArgumentException a blank key
     */
    public DispatchOptions resources(String... keys) {
        DispatchOptions o = this;
        for (String key : keys) {
            o = o.resource(key, 1);
        }
        return o;
    }

    /**
     * These options with a resource the job holds while it runs, which at most {@code max} running
     * jobs hold at once (counting this job's own limit: each job brings the limit it was
     * dispatched with).
     *
     * @throws IllegalArgumentException a blank key, or a max below 1
     */
    public DispatchOptions resource(String key, int max) {
        Objects.requireNonNull(key, "key");
        if (key.isBlank() || key.length() > 500) {
            throw new IllegalArgumentException(
                    "a resource key must be 1 to 500 characters and not blank: '" + key + "'");
        }
        if (max < 1) {
            throw new IllegalArgumentException("a resource allows at least 1 running job: " + max);
        }
        java.util.List<dev.jobs.runtime.store.NewJob.Resource> all = new java.util.ArrayList<>(resources);
        all.removeIf(r -> r.key().equals(key));
        all.add(new dev.jobs.runtime.store.NewJob.Resource(key, max));
        return new DispatchOptions(priority, runAt, delay, retry, uniqueKey, uniqueness, java.util.List.copyOf(all));
    }

    /** The resources set with {@link #resources} and {@link #resource}, as key to max. */
    public java.util.Map<String, Integer> resourceLimits() {
        java.util.Map<String, Integer> m = new java.util.LinkedHashMap<>();
        resources.forEach(r -> m.put(r.key(), r.max()));
        return m;
    }

    java.util.List<dev.jobs.runtime.store.NewJob.Resource> resourceList() {
        return resources;
    }

    /** The unique key set with {@link #uniqueKey(String)}, if any. */
    public Optional<String> uniqueKey() {
        return Optional.ofNullable(uniqueKey);
    }

    /** How long the unique key holds (null without a key). */
    Uniqueness uniqueness() {
        return uniqueness;
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
                && Objects.equals(retry, d.retry)
                && Objects.equals(uniqueKey, d.uniqueKey)
                && Objects.equals(uniqueness, d.uniqueness)
                && resources.equals(d.resources);
    }

    @Override
    public int hashCode() {
        return Objects.hash(priority, runAt, delay, retry, uniqueKey, uniqueness, resources);
    }

    @Override
    public String toString() {
        return "DispatchOptions[priority=" + priority
                + (runAt != null ? ", runAt=" + runAt : "")
                + (delay != null ? ", delay=" + delay : "")
                + (retry != null ? ", retry=" + retry : "")
                + (uniqueKey != null ? ", uniqueKey=" + uniqueKey + " " + uniqueness : "")
                + (resources.isEmpty() ? "" : ", resources=" + resourceLimits())
                + "]";
    }
}
