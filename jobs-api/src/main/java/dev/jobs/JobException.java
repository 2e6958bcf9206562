package dev.jobs;

/**
 * The base of every exception the jobs library throws, so a host can catch them all at once.
 *
 * <pre>{@code
 * try {
 *     jobs.dispatchByName(name, json);
 * } catch (JobException e) {
 *     return badRequest(e.getMessage());   // messages say what went wrong and what to do
 * }
 * }</pre>
 */
public class JobException extends RuntimeException {
    public JobException(String message) {
        super(message);
    }

    public JobException(String message, Throwable cause) {
        super(message, cause);
    }
}
