package dev.jobs;

import java.nio.file.Path;
import java.util.UUID;

/**
 * What a running job can ask of the runtime: report progress, write log lines, save its state and
 * notice that it has been asked to stop.
 *
 * <p>A context belongs to one run of one job and is only valid on the thread that called
 * {@link JobHandler#run}.
 *
 * <pre>{@code
 * ctx.log("scanning " + root);
 * ctx.progress(Progress.count(done, total, "copying " + file));
 * ctx.checkpoint();      // returns once the state is durable; also a pause/cancel point
 * ctx.checkInterrupt();  // cheap: call it often in long loops
 * }</pre>
 */
public interface JobContext {

    /** The job's id, stable across pauses, resumes and restarts. */
    UUID id();

    /**
     * {@code true} when this run continues an earlier one (after a pause, a shutdown or a crash)
     * and the job's fields hold the state of its last checkpoint; {@code false} on the first run.
     */
    boolean isResuming();

    /**
     * Which attempt this run belongs to: 1 for the first, 2 for the first retry after a failure,
     * and so on. Pauses, resumes and restarts of the process continue the same attempt; a run that
     * died with its process without reaching a checkpoint counts as a failed attempt when the job
     * has a retry policy.
     */
    int attempt();

    /**
     * For a job created by a recurring schedule, the tick it runs for: the time it was scheduled
     * at, which may be well before now after a downtime (catch-up) or a queue. Empty for a job
     * dispatched otherwise.
     */
    java.util.Optional<java.time.Instant> scheduledTime();

    /** {@code true} when an earlier attempt failed and this run is a retry ({@code attempt() > 1}). */
    default boolean isRetry() {
        return attempt() > 1;
    }

    /** Writes an {@link LogLevel#INFO} line to the job's log. */
    default void log(String message) {
        log(LogLevel.INFO, message);
    }

    /** Writes a line to the job's log, kept with the job and sent to SLF4J. */
    void log(LogLevel level, String message);

    /**
     * Reports progress. Cheap enough to call for every item: the latest value is kept in memory
     * and written to the store coalesced.
     */
    void progress(Progress progress);

    /**
     * Throws if the job has been asked to pause, be cancelled or stop because the manager is
     * shutting down. Call it between units of work; it costs a volatile read.
     *
     * @throws JobInterruptedException when the job must stop; let it propagate out of run
     */
    void checkInterrupt() throws JobInterruptedException;

    /**
     * Saves the job's state (its non-transient fields) and returns once that state is committed to
     * the store. After a crash the job resumes from the last state saved here. It is also an
     * interrupt point, like {@link #checkInterrupt()}.
     *
     * @throws JobInterruptedException when the job must stop; the state was saved first
     */
    void checkpoint() throws JobInterruptedException;

    /**
     * A directory for the job's own scratch files, created on first use and kept across resumes
     * of this job.
     */
    Path dataDir();
}
