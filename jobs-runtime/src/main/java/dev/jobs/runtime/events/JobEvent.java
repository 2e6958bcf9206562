package dev.jobs.runtime.events;

import dev.jobs.LogLevel;
import dev.jobs.Progress;
import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened to a job, as a listener sees it. Every event names the job, carries a
 * sequence number that grows by one per event of that job (as this process saw it) and the time
 * it happened.
 *
 * <pre>{@code
 * jobs.addListener(event -> {
 *     switch (event) { ... }                       // on Java 21+; on 17:
 *     if (event instanceof JobEvent.ProgressUpdated p) bar.update(p.progress());
 *     if (event instanceof JobEvent.Completed c) System.out.println("done: " + c.output());
 * });
 * }</pre>
 *
 * <p>Lifecycle events (everything but {@link ProgressUpdated} and {@link Logged}) are never dropped
 * or throttled. Progress is throttled per job (see {@code JobManagerBuilder.progressInterval}),
 * and the latest progress is always delivered before the job's next lifecycle event.
 */
public sealed interface JobEvent {

    UUID jobId();

    String jobName();

    /** 1 for the first event of the job seen by this process, then +1 per event. */
    long sequence();

    Instant timestamp();

    /** Whether this event is part of the lifecycle (never dropped) rather than progress or a log line. */
    default boolean isLifecycle() {
        return !(this instanceof ProgressUpdated) && !(this instanceof Logged);
    }

    /** The job was stored and waits for a worker. */
    record Queued(UUID jobId, String jobName, long sequence, Instant timestamp) implements JobEvent {}

    /** A worker started running the job; {@code resuming} after a pause, shutdown or crash. */
    record Started(UUID jobId, String jobName, long sequence, Instant timestamp, boolean resuming)
            implements JobEvent {}

    /** The job reported progress. */
    record ProgressUpdated(UUID jobId, String jobName, long sequence, Instant timestamp, Progress progress)
            implements JobEvent {}

    /**
     * The job wrote a log line. {@code logSequence} is the line's number among the job's stored
     * lines ({@code LogLine.sequence()}), so that a reader of both the stored lines and the events
     * can tell a line it already has; its timestamp is the stored line's.
     */
    record Logged(
            UUID jobId,
            String jobName,
            long sequence,
            Instant timestamp,
            LogLevel level,
            String message,
            long logSequence)
            implements JobEvent {}

    /** A checkpoint was committed; {@code stateBytes} is the size of the saved state. */
    record Checkpointed(UUID jobId, String jobName, long sequence, Instant timestamp, int stateBytes)
            implements JobEvent {}

    /** The job stopped at a pause with its state saved. */
    record Paused(UUID jobId, String jobName, long sequence, Instant timestamp) implements JobEvent {}

    /** A paused job was put back in the queue. */
    record Resumed(UUID jobId, String jobName, long sequence, Instant timestamp) implements JobEvent {}

    /** The job completed; {@code output} is what run returned. */
    record Completed(UUID jobId, String jobName, long sequence, Instant timestamp, Object output) implements JobEvent {}

    /** The job failed; {@code error} is the exception class and message, or the recovery reason. */
    record Failed(UUID jobId, String jobName, long sequence, Instant timestamp, String error) implements JobEvent {}

    /**
     * An attempt of the job failed and it will be tried again: it waits QUEUED until
     * {@code retryAt}, then continues from its last checkpoint (or from the start, if its policy
     * restarts).
     *
     * @param failedAttempt the number of the attempt that failed (1 for the first run)
     * @param error the exception class and message
     */
    record RetryScheduled(
            UUID jobId,
            String jobName,
            long sequence,
            Instant timestamp,
            int failedAttempt,
            Instant retryAt,
            String error)
            implements JobEvent {}

    /** The job was cancelled. */
    record Cancelled(UUID jobId, String jobName, long sequence, Instant timestamp) implements JobEvent {}
}
