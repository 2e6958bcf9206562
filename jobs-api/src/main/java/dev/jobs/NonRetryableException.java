package dev.jobs;

/**
 * Thrown by a job to fail at once, whatever its retry policy: for a failure that another attempt
 * cannot fix (a file that does not exist, a request the remote side rejects as invalid).
 *
 * <pre>{@code
 * if (!Files.exists(source)) {
 *     throw new NonRetryableException("source " + source + " does not exist");
 * }
 * }</pre>
 */
public class NonRetryableException extends JobException {
    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
