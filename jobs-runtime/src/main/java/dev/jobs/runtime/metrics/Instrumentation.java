package dev.jobs.runtime.metrics;

/**
 * What the runtime tells a metrics module (such as {@code jobs-micrometer}) from the places no
 * {@link dev.jobs.runtime.events.JobEvent} covers: how long claims, checkpoints and runs take.
 * Internal: installed on a builder with {@link MetricsHooks#instrument}; applications use the
 * metrics module's own API.
 *
 * <p>A manager without one checks a final field for null on each of these paths and does nothing
 * else, so metrics that are off cost nothing measurable. The calls come from the runtime's own
 * threads (the scheduler, the workers) in the middle of its work: they must be quick and must not
 * throw.
 */
public interface Instrumentation {

    /** The manager is built (its workers started): {@code gauges} reads its state from now on. */
    void opened(ManagerGauges gauges);

    /** One claim statement took {@code nanos} and claimed {@code jobs} jobs (possibly none). */
    void claimed(int jobs, long nanos);

    /** A checkpoint of a job of type {@code jobName} took {@code nanos}, from the call to its commit. */
    void checkpointed(String jobName, long nanos);

    /** One run of a job of type {@code jobName} (one attempt, or the part before a pause) took {@code nanos}. */
    void ran(String jobName, long nanos);
}
