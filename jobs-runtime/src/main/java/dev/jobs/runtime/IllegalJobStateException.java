package dev.jobs.runtime;

import dev.jobs.JobException;
import dev.jobs.JobStatus;
import java.util.UUID;

/**
 * The job cannot do what was asked in its current status, for example pausing a job that has
 * already completed. Nothing was changed.
 */
public final class IllegalJobStateException extends JobException {
    private final UUID id;
    private final JobStatus status;

    public IllegalJobStateException(UUID id, JobStatus status, String action) {
        super("cannot " + action + " job " + id + ": it is " + status
                + (status.isTerminal() ? " (finished jobs cannot be changed)" : ""));
        this.id = id;
        this.status = status;
    }

    public UUID id() {
        return id;
    }

    public JobStatus status() {
        return status;
    }
}
