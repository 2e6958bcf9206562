package dev.jobs;

/**
 * The parameters given to dispatch a job by name are malformed, missing or of the wrong type. The
 * message names the job and, where there is one, the field ({@link #field()}).
 */
public class InvalidParametersException extends JobException {
    private final String field;

    public InvalidParametersException(String jobName, String field, String problem) {
        super("invalid parameters for job '" + jobName + "'" + (field == null ? "" : ", field '" + field + "'") + ": "
                + problem);
        this.field = field;
    }

    public InvalidParametersException(String jobName, String field, String problem, Throwable cause) {
        this(jobName, field, problem);
        initCause(cause);
    }

    /** The offending field's path (for example {@code options.mode}), or null for the whole document. */
    public String field() {
        return field;
    }
}
