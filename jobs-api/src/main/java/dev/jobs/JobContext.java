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

    /**
     * Dispatches a child of this job: a job of any registered type that runs on its own worker,
     * and whose outcome this job can wait for with {@link #awaitChildren()}. Returns its id.
     *
     * <p>Why this and not a plain dispatch: a child is tied to the run that made it. If this job
     * crashes after dispatching children but before its next checkpoint, it resumes from that
     * checkpoint, dispatches the same children again, and gets the ids of the ones already stored
     * instead of new ones: no child is lost or made twice, as long as the job dispatches the same
     * children in the same order after each checkpoint (the usual loop over its own state does).
     * Cancelling this job cancels its children that have not ended.
     *
     * <pre>{@code
     * if (!split) {
     *     for (Path part : parts) ctx.dispatchChild(new CompressPart(part));
     *     split = true;
     *     ctx.checkpoint();
     * }
     * List<ChildOutcome> done = ctx.awaitChildren();
     * }</pre>
     *
     * @param job an instance of a class annotated {@code @Job}, dispatched with default options
     * @throws UnknownJobException its class is not a registered job type
     * @throws JobInterruptedException the run lost its claim (another process took the job over):
     *     the child was not dispatched
     */
    default UUID dispatchChild(JobHandler<?> job) throws JobInterruptedException {
        throw new UnsupportedOperationException("this context cannot dispatch child jobs");
    }

    /**
     * Waits for every child this job dispatched to end, <b>without holding a worker</b>: when a
     * child is still active, the job's state is saved, the run ends with status WAITING (its
     * worker and any resources it held are free), and the job is queued again when its last child
     * ends. It then runs from that saved state: {@code run()} starts again from the top with the
     * fields as they were here, so write the job so that it comes back to this call (a field
     * saying the children were dispatched), which then returns at once. If the run dispatched
     * children since its last checkpoint, the state of that checkpoint is kept instead (as after
     * a crash): the next run dispatches them again and gets the stored children back.
     *
     * <p>Returns the outcome of every child, in the order they were dispatched; empty if it has
     * none. A failed or cancelled child does not fail the parent: look at the outcomes.
     *
     * @throws JobInterruptedException always when a child is still active (let it propagate: the
     *     runtime records the wait), and for a pause or cancel asked meanwhile
     */
    default java.util.List<ChildOutcome> awaitChildren() throws JobInterruptedException {
        throw new UnsupportedOperationException("this context cannot wait for child jobs");
    }

    /**
     * In a chain ({@code jobs.chain(a).then(b)}), the output of the step before this one, read as
     * {@code type}; empty for the first step, for a job outside a chain, or when the step before
     * gave no output (it failed under a policy that continues).
     */
    default <T> java.util.Optional<T> previousOutput(Class<T> type) {
        return java.util.Optional.empty();
    }

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
