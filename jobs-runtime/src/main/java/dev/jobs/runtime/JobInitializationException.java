package dev.jobs.runtime;

import dev.jobs.JobException;

/**
 * The {@link JobInitializer} threw for a job about to run: the run fails with this exception (as
 * if {@code run()} had thrown it; a retry policy may retry it), and its cause is what the
 * initializer threw. The message names the job, its class and the initializer:
 *
 * <pre>
 * job 'send_report' (com.example.ReportJob) could not be prepared for its run: the job initializer
 * (a lambda in com.example.AppConfig) threw java.lang.IllegalStateException: no bean named 'mailer'
 * </pre>
 */
public final class JobInitializationException extends JobException {

    public JobInitializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
