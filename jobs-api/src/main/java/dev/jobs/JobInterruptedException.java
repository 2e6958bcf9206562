package dev.jobs;

/**
 * Thrown by {@link JobContext#checkInterrupt()} and {@link JobContext#checkpoint()} when a job must
 * stop. Let it propagate out of {@link JobHandler#run}: the runtime then pauses, cancels or
 * re-queues the job according to {@link #reason()}. Catching and ignoring it makes the job
 * impossible to pause or cancel.
 */
public class JobInterruptedException extends JobException {

    /** Why the job was interrupted. */
    public enum Reason {
        /** A caller paused the job; its state is saved and resume continues it. */
        PAUSED,
        /** A caller cancelled the job. */
        CANCELLED,
        /** The manager is closing; a resumable job continues on the next start. */
        SHUTDOWN,
        /** Another process took the job over because this one stopped renewing its lease. */
        LOST_OWNERSHIP,
        /**
         * The job waits for its children ({@link JobContext#awaitChildren()}): its state is saved
         * and it runs again when they have ended. Let it propagate.
         */
        WAITING
    }

    private final Reason reason;

    public JobInterruptedException(Reason reason) {
        super("job interrupted: " + reason.name().toLowerCase(java.util.Locale.ROOT));
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
