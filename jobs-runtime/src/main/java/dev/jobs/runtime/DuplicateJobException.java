package dev.jobs.runtime;

import dev.jobs.JobException;

/** Two registrations on the classpath claim the same job name. */
public final class DuplicateJobException extends JobException {
    public DuplicateJobException(String name, String first, String second) {
        super("job name '" + name + "' is registered twice: by " + first + " and by " + second
                + "; remove one of the jars from the classpath or rename one of the jobs");
    }
}
