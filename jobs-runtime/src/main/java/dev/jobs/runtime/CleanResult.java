package dev.jobs.runtime;

/**
 * What {@link JobManager#clean} deleted: finished jobs, their log lines, and in how many
 * transactions (each holds the write lock only for one bounded chunk).
 */
public record CleanResult(long jobs, long logLines, int chunks) {}
