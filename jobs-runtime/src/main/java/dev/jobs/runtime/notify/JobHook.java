package dev.jobs.runtime.notify;

import dev.jobs.runtime.events.JobEvent;

/**
 * Code run when a job reaches a lifecycle event, registered with {@link Notifications.Builder}.
 * The event is one of {@link JobEvent.Completed}, {@link JobEvent.Failed},
 * {@link JobEvent.Cancelled}, {@link JobEvent.RetryScheduled} or {@link JobEvent.Paused}, as its
 * registration asked.
 *
 * <p>Hooks run on the notifications' own threads, after the job's new status is committed: a
 * hook that is slow, blocks or throws never delays or changes the job (an exception is logged).
 * Each event runs its hooks once, in the process that recorded it; see {@link Notifications}.
 */
@FunctionalInterface
public interface JobHook {
    void onEvent(JobEvent event) throws Exception;
}
