package dev.jobs.runtime.execution;

import dev.jobs.JobStatus;
import java.util.UUID;

/** Told when a run ends, after the store has committed the new status. */
@FunctionalInterface
public interface JobEndListener {
    /**
     * @param status the status the run left the job in (PAUSED and QUEUED included)
     * @param output the output for COMPLETED, else null
     * @param error the error for FAILED, else null
     */
    void ended(UUID id, String name, JobStatus status, Object output, String error);
}
