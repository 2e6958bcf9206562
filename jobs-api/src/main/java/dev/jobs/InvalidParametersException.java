package dev.jobs;

/**
 * The parameters given to dispatch a job by name are malformed, missing, of the wrong type or
 * refused by the job's {@code validate()} method. The message names the job and, where there is
 * one, the field ({@link #field()}); nothing was stored.
 *
 * <p>A job's {@code validate()} method throws it with the two-argument constructor; the runtime
 * adds the job's name:
 *
 * <pre>{@code
 * void validate() {
 *     if (delayMillis < 0) {
 *         throw new InvalidParametersException("delayMillis", "must be 0 or more, was " + delayMillis);
 *     }
 * }
 * }</pre>
 */
public class InvalidParametersException extends JobException {
    private final String jobName;
    private final String field;
    private final String problem;

    public InvalidParametersException(String jobName, String field, String problem) {
        super(message(jobName, field, problem));
        this.jobName = jobName;
        this.field = field;
        this.problem = problem;
    }

    public InvalidParametersException(String jobName, String field, String problem, Throwable cause) {
        this(jobName, field, problem);
        initCause(cause);
    }

    /**
     * A problem with one field, for a job's {@code validate()} method to throw; the runtime rethrows
     * it with the job's name.
     *
     * @param field the parameter's name (or path, such as {@code options.retries}); null for the
     *     parameters as a whole
     * @param problem what is wrong, for example {@code "must be 0 or more, was -5"}
     */
    public InvalidParametersException(String field, String problem) {
        this(null, field, problem);
    }

    private static String message(String jobName, String field, String problem) {
        return "invalid parameters" + (jobName == null ? "" : " for job '" + jobName + "'")
                + (field == null ? "" : ", field '" + field + "'") + ": " + problem;
    }

    /** The job's name, or null when thrown by a job's own {@code validate()} method. */
    public String jobName() {
        return jobName;
    }

    /** The offending field's path (for example {@code options.mode}), or null for the whole document. */
    public String field() {
        return field;
    }

    /** What is wrong, without the job and field names (the end of the message). */
    public String problem() {
        return problem;
    }
}
