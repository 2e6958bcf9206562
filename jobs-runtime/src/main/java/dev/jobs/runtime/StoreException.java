package dev.jobs.runtime;

import dev.jobs.JobException;

/**
 * The job store could not be read or written: the file is not a SQLite database, is read-only, is
 * locked by another process for longer than the busy timeout, or the disk is full. The message
 * names the file and the cause.
 */
public final class StoreException extends JobException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
