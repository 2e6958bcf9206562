package dev.jobs.runtime;

import java.time.Instant;
import java.util.Optional;

/**
 * One failed attempt of a job, as kept in its history ({@link JobInfo#failures()}): every attempt
 * that threw, and every run that died with its process and counted as an attempt.
 *
 * @param attempt the attempt's number: 1 for the first run, 2 for the first retry
 * @param at when it ended
 * @param error the exception class and message, or why the run was lost
 * @param trace the first lines of its stack trace (up to 4000 characters), if it threw
 */
public record FailedAttempt(int attempt, Instant at, String error, Optional<String> trace) {}
