package dev.jobs;

import java.util.Map;

/**
 * The code of a job. Implement it on a class annotated with {@link Job}.
 *
 * <p>{@link #run} is called on a worker thread. It is called again, on an object restored from the
 * last checkpoint, when the job is resumed after a pause or a crash; {@link JobContext#isResuming()}
 * tells the two cases apart. Because the object is its own state, a resumable job keeps its resume
 * point in fields and advances them <em>before</em> it checkpoints:
 *
 * <pre>{@code
 * public Integer run(JobContext ctx) throws Exception {
 *     while (next < items.size()) {
 *         ctx.checkInterrupt();            // pause or cancel lands here
 *         process(items.get(next));
 *         next++;                          // advance the resume point first...
 *         ctx.progress(Progress.count(next, items.size()));
 *         ctx.checkpoint();                // ...then make it durable
 *     }
 *     return items.size();
 * }
 * }</pre>
 *
 * @param <O> the output type, written as JSON when the job completes
 */
public interface JobHandler<O> {

    /**
     * Does the work and returns the job's output.
     *
     * @throws JobInterruptedException from {@link JobContext#checkInterrupt()} or
     *     {@link JobContext#checkpoint()} when the job is paused, cancelled or the manager shuts
     *     down; let it propagate
     * @throws Exception any other exception marks the job {@link JobStatus#FAILED} with its class,
     *     message and stack trace
     */
    O run(JobContext ctx) throws Exception;

    /**
     * Converts state written by an older {@link Job#version()} before it is read into this object.
     * The default has no upgrade, so a stored row of another version fails with an error naming
     * the job, the stored version and the expected one.
     *
     * <pre>{@code
     * @Override public boolean upgradeState(int storedVersion, Map<String, Object> state) {
     *     if (storedVersion == 1) { state.put("targets", List.of(state.remove("target"))); return true; }
     *     return false;
     * }
     * }</pre>
     *
     * @param storedVersion the version recorded with the stored state
     * @param state the stored fields by name; change it in place
     * @return {@code true} if {@code state} now has the current shape, {@code false} if this
     *     version cannot be upgraded
     */
    default boolean upgradeState(int storedVersion, Map<String, Object> state) {
        return false;
    }
}
