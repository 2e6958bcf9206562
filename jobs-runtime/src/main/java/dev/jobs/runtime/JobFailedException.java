package dev.jobs.runtime;

import dev.jobs.JobException;
import java.util.UUID;

/**
 * The job ended {@link dev.jobs.JobStatus#FAILED}: {@link JobHandle#result()} completes with this.
 * {@link #error()} is the stored error (exception class and message, or the recovery reason).
 */
public final class JobFailedException extends JobException {
    private final UUID id;
    private final String error;

    public JobFailedException(UUID id, String name, String error) {
        super("job " + id + " (" + name + ") failed: " + error);
        this.id = id;
        this.error = error;
    }

    public UUID id() {
        return id;
    }

    public String error() {
        return error;
    }
}
