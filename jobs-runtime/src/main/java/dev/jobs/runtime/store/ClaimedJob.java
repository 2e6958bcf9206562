package dev.jobs.runtime.store;

import java.util.UUID;

/** A job this manager has just taken (QUEUED to RUNNING), with what a worker needs to run it. */
public record ClaimedJob(UUID id, String name, int version, byte[] data, int attempt) {
    /** True when the job ran before (paused, shut down or crashed) and continues from saved state. */
    public boolean resuming() {
        return attempt > 1;
    }
}
