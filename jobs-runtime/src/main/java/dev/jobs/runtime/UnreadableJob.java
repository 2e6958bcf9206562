package dev.jobs.runtime;

/**
 * A row of the jobs table that cannot be read as a job: written by another tool or a newer
 * library, with an id that is not a UUID or a status this library does not know. Such a row is
 * never claimed and is skipped by queries; {@link JobManager#unreadable()} lists it so that an
 * operator can fix or delete it.
 *
 * @param id the raw id as stored
 * @param problem what makes the row unreadable
 */
public record UnreadableJob(String id, String name, String status, String problem) {}
