package dev.jobs.runtime;

import dev.jobs.JobException;

/** The {@link JobManager} was closed; build a new one to go on. */
public final class ManagerClosedException extends JobException {
    public ManagerClosedException(String action) {
        super("cannot " + action + ": the JobManager is closed; build a new one with JobManager.builder()");
    }
}
