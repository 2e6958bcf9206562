package dev.jobs.runtime.metrics;

/**
 * What the runtime tells a metrics module (such as {@code jobs-micrometer}): the jobs stored and
 * ended (at the points where the matching {@link dev.jobs.runtime.events.JobEvent}s are
 * published), and how long claims, checkpoints and runs take. Internal: installed on a builder
 * with {@link MetricsHooks#instrument}; applications use the metrics module's own API.
 *
 * <p>Why not a {@link dev.jobs.runtime.events.JobListener}: a listener makes the manager publish
 * every event (each checkpoint, progress and log line included) to a queue and wake the listener's
 * thread, which measurably slows checkpoints and progress; these calls are direct.
 *
 * <p>A manager without one checks a final field for null on each of these paths and does nothing
 * else, so metrics that are off cost nothing measurable. The calls come from the runtime's own
 * threads (dispatching threads, the scheduler, the workers, the writer's callbacks) in the middle
 * of their work: they must be quick and must not throw.
 */
public interface Instrumentation {

    /** A job of type {@code jobName} was stored by this manager (where {@code JobEvent.Queued} is published). */
    void dispatched(String jobName);

    /**
     * A job of type {@code jobName} ended here with {@code status}: COMPLETED, FAILED or CANCELLED
     * (where {@code JobEvent.Completed}, {@code Failed} or {@code Cancelled} is published).
     */
    void ended(String jobName, dev.jobs.JobStatus status);

    /** A failed attempt of a job of type {@code jobName} will be retried (where {@code JobEvent.RetryScheduled} is published). */
    void retried(String jobName);

    /** The manager is built (its workers started): {@code gauges} reads its state from now on. */
    void opened(ManagerGauges gauges);

    /** One claim statement took {@code nanos} and claimed {@code jobs} jobs (possibly none). */
    void claimed(int jobs, long nanos);

    /** A checkpoint of a job of type {@code jobName} took {@code nanos}, from the call to its commit. */
    void checkpointed(String jobName, long nanos);

    /** One run of a job of type {@code jobName} (one attempt, or the part before a pause) took {@code nanos}. */
    void ran(String jobName, long nanos);
}
