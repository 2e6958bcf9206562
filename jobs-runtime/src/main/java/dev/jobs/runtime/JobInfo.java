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
 * @param attempt how many times a worker has started the job (first run, resumes)
 * @param error the error of a FAILED job: exception class and message, or the recovery reason
 * @param errorTrace the stack trace of a FAILED job, if it threw
 * @param output the output of a COMPLETED job as JSON
 * @param owner the owner id of the process running it (RUNNING) or that finished it (COMPLETED, FAILED, CANCELLED by a worker)
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
        Optional<String> owner) {}
