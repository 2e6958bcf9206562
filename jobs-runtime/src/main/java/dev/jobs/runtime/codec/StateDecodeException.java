package dev.jobs.runtime.codec;

import dev.jobs.JobException;

/**
 * A stored job's state cannot be read back into its class: the bytes are corrupt, a field changed
 * type, or the row was written by another {@code @Job(version)} with no upgrade. Only that job
 * fails; the message names the job and, where known, the field and the versions.
 */
public final class StateDecodeException extends JobException {
    public StateDecodeException(String message, Throwable cause) {
        super(message, cause);
    }

    public StateDecodeException(String message) {
        super(message);
    }
}
