package dev.jobs.runtime.store;

import dev.jobs.JobStatus;
import java.util.UUID;

/**
 * One row of the {@code jobs} table, without the state blob. Times are epoch milliseconds or null.
 * {@code runAt} is the run time a delayed job was dispatched with (kept after it is due), or the
 * time of its next retry, or null. {@code failures} counts its failed attempts; {@code maxAttempts}
 * is its retry policy's attempts in all, or null when it has no retry policy. {@code schedule} and
 * {@code scheduledFor} name the schedule and tick that created the job, or are null;
 * {@code uniqueKey} is the unique key it was dispatched with, or null; {@code limited} says whether
 * it holds resources while it runs ({@link JobStore#resources}).
 */
public record JobRow(
        UUID id,
        String name,
        int version,
        JobStatus status,
        int priority,
        Double progress,
        String progressData,
        String output,
        String errorMessage,
        String errorTrace,
        long createdAt,
        Long startedAt,
        Long completedAt,
        Long lastCheckpoint,
        String owner,
        Long leaseUntil,
        int attempt,
        Control control,
        String parameters,
        UUID rerunOf,
        Long runAt,
        int failures,
        Integer maxAttempts,
        String schedule,
        Long scheduledFor,
        String uniqueKey,
        boolean limited,
        UUID parent,
        UUID chain,
        UUID after) {}
