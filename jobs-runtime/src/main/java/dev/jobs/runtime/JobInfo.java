package dev.jobs.runtime;

import dev.jobs.JobStatus;
import dev.jobs.Progress;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A snapshot of one stored job, as {@link JobManager#info(UUID)} returns it.
 *
 * @param progress the latest progress (from memory when this process runs the job)
 * @param attempt how many times a worker has started the job (first run, resumes, retries)
 * @param error the error of a FAILED job: exception class and message, or the recovery reason
 * @param errorTrace the stack trace of a FAILED job, if it threw
 * @param output the output of a COMPLETED job as JSON
 * @param owner the owner id of the process running it (RUNNING) or that finished it (COMPLETED, FAILED, CANCELLED by a worker)
 * @param requested for a RUNNING job asked to pause or cancel, the status it was asked to stop in
 *     (PAUSED or CANCELLED), until its run reaches its next interrupt point: what an API shows as
 *     "pausing…" or "cancelling…"
 * @param leaseUntil for a RUNNING job, until when its owner's claim holds without renewal; a time
 *     well in the past means the owner is gone (frozen or dead) and another manager will recover the
 *     job (a dead owner on the same host is noticed at once by a manager starting there)
 *
 * @param parameters the job's parameters as a JSON object: its {@code @Param} fields as given to
 *     {@code dispatchByName}, or as they were when the job was dispatched as an instance (empty for
 *     jobs stored by an older version); what {@link JobManager#rerun} dispatches again
 * @param rerunOf the finished job this one runs again, if it was made by {@link JobManager#rerun}
 * @param runAt the run time a delayed job was dispatched with ({@link DispatchOptions#runAt},
 *     {@link DispatchOptions#delay}), on the manager's clock; kept after the job becomes due and
 *     runs; empty for a job dispatched to run at once. A QUEUED job whose {@code runAt} is in the
 *     future is waiting for it: no worker claims it before then. A job waiting to be retried has
 *     the time of its next attempt here.
 * @param failedAttempts how many of its attempts failed; a QUEUED job with failed attempts and no
 *     final status is waiting for its retry ({@link #error()} is the last failure's until then)
 * @param maxAttempts the attempts its retry policy allows in all (1: no retry)
 * @param failures every failed attempt, oldest first: error, time and the head of its trace
 * @param schedule the recurring schedule that created the job, if one did
 * @param scheduledFor the tick of that schedule the job runs for
 * @param uniqueKey the unique key it was dispatched with ({@link DispatchOptions#uniqueKey(String)})
 * @param resources the resources it holds while it runs ({@link DispatchOptions#resources},
 *     {@code @Job(maxConcurrent)} as {@code type:<name>}), each with the most holders it allows
 * @param parent the job whose run dispatched this one ({@code ctx.dispatchChild}); its children
 *     are {@link JobManager#children(UUID)}
 * @param chain the chain this job is a step of ({@link JobManager#chain}, {@link JobManager#findChain})
 * @param after in a chain, the step this one waits for (empty for the first step)
 *
 * <pre>{@code
 * JobInfo info = jobs.info(id);
 * String shown = info.requested().map(s -> s == JobStatus.PAUSED ? "pausing" : "cancelling")
 *         .orElse(info.status().name().toLowerCase());
 * }</pre>
 */
public record JobInfo(
        UUID id,
        String name,
        JobStatus status,
        int priority,
        Optional<Progress> progress,
        Instant createdAt,
        Optional<Instant> startedAt,
        Optional<Instant> completedAt,
        Optional<Instant> lastCheckpoint,
        int attempt,
        Optional<String> error,
        Optional<String> errorTrace,
        Optional<String> output,
        Optional<String> owner,
        Optional<JobStatus> requested,
        Optional<Instant> leaseUntil,
        Optional<String> parameters,
        Optional<UUID> rerunOf,
        Optional<Instant> runAt,
        int failedAttempts,
        int maxAttempts,
        java.util.List<FailedAttempt> failures,
        Optional<String> schedule,
        Optional<Instant> scheduledFor,
        Optional<String> uniqueKey,
        java.util.Map<String, Integer> resources,
        Optional<UUID> parent,
        Optional<UUID> chain,
        Optional<UUID> after) {

    /** Whether the job is waiting for a retry: QUEUED after a failed attempt. */
    public boolean retrying() {
        return status == JobStatus.QUEUED && failedAttempts > 0;
    }
}
