package dev.jobs.runtime.store;

import java.util.UUID;

/**
 * A job this manager has just taken (QUEUED to RUNNING), with what a worker needs to run it.
 *
 * @param attempt runs of this job that started before this claim
 * @param token the claim's fencing token: every write of this run is guarded by it
 * @param failures attempts of this job that failed before this claim (its retry count)
 * @param retryPolicy the retry policy it was dispatched with (text form), or null: no retry
 * @param checkpointed whether its state was saved by a run (a checkpoint, a pause or a stop) since
 *     it was dispatched or last restarted by a retry
 * @param holdsResources whether the job holds resources while it runs (a concurrency limit): the
 *     end of its run may let a waiting job start, so its manager looks at the queue again then
 * @param saves the generation of its saved state: how many writes replaced it so far (the key of
 *     the children a run dispatches starts from it, so that a run resumed from the same state
 *     dispatches the same keys)
 */
public record ClaimedJob(
        UUID id,
        String name,
        int version,
        byte[] data,
        int attempt,
        long token,
        int failures,
        String retryPolicy,
        boolean checkpointed,
        boolean holdsResources,
        int saves) {

    /** A claim of a job that has not failed before and has no retry policy. */
    public ClaimedJob(UUID id, String name, int version, byte[] data, int attempt, long token) {
        this(id, name, version, data, attempt, token, 0, null, false, false, 0);
    }

    /** A claim of a job that holds no resources. */
    public ClaimedJob(
            UUID id,
            String name,
            int version,
            byte[] data,
            int attempt,
            long token,
            int failures,
            String retryPolicy,
            boolean checkpointed) {
        this(id, name, version, data, attempt, token, failures, retryPolicy, checkpointed, false, 0);
    }

    /** True when the job ran before (paused, shut down or crashed) and continues from saved state. */
    public boolean resuming() {
        return attempt > 0;
    }

    /** True when the job was claimed before this claim (a re-run, or a claim given back unstarted). */
    public boolean claimedBefore() {
        return token > 1;
    }

    /** The fence of this claim, for the writes of its run. */
    public Claim claim(String owner) {
        return new Claim(id, owner, token);
    }
}
