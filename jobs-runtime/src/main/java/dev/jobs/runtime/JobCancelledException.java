package dev.jobs.runtime;

import dev.jobs.JobException;
import java.util.UUID;

/** The job was cancelled: {@link JobHandle#result()} completes with this. */
public final class JobCancelledException extends JobException {
    private final UUID id;

    public JobCancelledException(UUID id, String name) {
        super("job " + id + " (" + name + ") was cancelled");
        this.id = id;
    }

    public UUID id() {
        return id;
    }
}
