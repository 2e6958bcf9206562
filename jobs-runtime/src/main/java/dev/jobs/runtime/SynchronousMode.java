package dev.jobs.runtime;

/**
 * SQLite's {@code synchronous} setting for the job store, which decides what a committed write
 * survives.
 *
 * <ul>
 *   <li>{@link #FULL} (the default): a checkpoint or dispatch that returned survives a crash of
 *       the process <em>and</em> a power cut or kernel panic, at the cost of an fsync per commit
 *       (group commit shares one fsync among many callers).
 *   <li>{@link #NORMAL}: survives a crash of the process; the last commits before a power cut may
 *       be lost (the database stays consistent). Faster on slow disks.
 * </ul>
 */
public enum SynchronousMode {
    FULL,
    NORMAL
}
