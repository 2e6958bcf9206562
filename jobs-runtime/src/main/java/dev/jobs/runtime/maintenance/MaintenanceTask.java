package dev.jobs.runtime.maintenance;

import java.time.Duration;

/**
 * One background task of a manager that runs jobs: what it is called (for its log lines), when it
 * first runs, how often, on which lane, and what it does. {@link Maintenance} starts them all the
 * same way and keeps one failure from stopping a task.
 */
public record MaintenanceTask(String name, Lane lane, Duration initialDelay, Duration period, Runnable body) {

    /**
     * Where a task runs. Lease renewal and recovery have their own thread, so that a slow
     * retention pass or a burst of progress writes can never delay a renewal past the lease.
     */
    public enum Lane {
        LEASE,
        BACKGROUND
    }
}
