package dev.jobs.runtime.notify;

import dev.jobs.runtime.events.JobEvent;
import java.util.Optional;

/**
 * The lifecycle events that hooks and webhooks can be registered for: the three ends of a job,
 * and two stops on the way.
 */
public enum JobEventType {
    /** The job ran to its end ({@link JobEvent.Completed}). */
    COMPLETED,
    /** The job failed for good: no retry left ({@link JobEvent.Failed}). */
    FAILED,
    /** The job was cancelled ({@link JobEvent.Cancelled}). */
    CANCELLED,
    /** An attempt failed and the job waits for its retry ({@link JobEvent.RetryScheduled}). */
    RETRY_SCHEDULED,
    /** The job stopped at a pause with its state saved ({@link JobEvent.Paused}). */
    PAUSED;

    /** The type of {@code event}, or empty for events that hooks are not called for (queued, started, progress...). */
    public static Optional<JobEventType> of(JobEvent event) {
        if (event instanceof JobEvent.Completed) {
            return Optional.of(COMPLETED);
        }
        if (event instanceof JobEvent.Failed) {
            return Optional.of(FAILED);
        }
        if (event instanceof JobEvent.Cancelled) {
            return Optional.of(CANCELLED);
        }
        if (event instanceof JobEvent.RetryScheduled) {
            return Optional.of(RETRY_SCHEDULED);
        }
        if (event instanceof JobEvent.Paused) {
            return Optional.of(PAUSED);
        }
        return Optional.empty();
    }
}
