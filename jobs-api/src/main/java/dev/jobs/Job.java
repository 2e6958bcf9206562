package dev.jobs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a job: a unit of background work that is persisted, can be paused, resumed and
 * cancelled, and survives a restart of the process.
 *
 * <p>The annotation processor in {@code jobs-processor} turns every {@code @Job} class into a
 * {@link JobRegistration} at compile time, so there is nothing to register by hand: the runtime
 * finds it through {@link java.util.ServiceLoader}. Mistakes (a missing no-arg constructor, a bad
 * name, two jobs with one name) are compile errors on the class, not surprises in production.
 *
 * <p>The job object <em>is</em> its state: every non-transient field is written to the store at
 * each {@link JobContext#checkpoint()} and read back on resume, by field name.
 *
 * <pre>{@code
 * @Job(name = "thumbnail", description = "Render thumbnails for a folder", version = 1)
 * public class ThumbnailJob implements JobHandler<Integer> {
 *     @Param Path folder;      // a parameter: given at dispatch, persisted
 *     int done;                // state: persisted, so a resume continues from here
 *
 *     ThumbnailJob() {}        // the runtime restores the job through this constructor
 *
 *     public Integer run(JobContext ctx) throws Exception { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Job {

    /**
     * The job's stable name, used to dispatch it by name and to find the code for a stored row.
     * Lowercase letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter, for
     * example {@code "file_copy"}. Renaming a job orphans its stored rows, so choose it once.
     */
    String name();

    /**
     * Whether an interrupted run can continue from its last checkpoint. When {@code false}, a job
     * that was running when its process died is marked {@link JobStatus#FAILED} on the next start
     * instead of being resumed.
     */
    boolean resumable() default true;

    /** A one-line, human-readable description shown by tools such as {@code jobctl types}. */
    String description() default "";

    /**
     * The version of the job's state shape. Raise it when a change to the fields makes old
     * checkpoints unreadable, and override {@link JobHandler#upgradeState} to convert them; a
     * stored row whose version differs and cannot be upgraded fails with an error naming both
     * versions. Adding or removing a field does not need a new version: state is written by
     * field name and unknown fields are ignored.
     */
    int version() default 1;

    /**
     * How a failed run is tried again. The default is one attempt: a failure is final. A retry of
     * a resumable job continues from its last checkpoint; see {@link Retry}.
     */
    Retry retry() default @Retry(maxAttempts = 1);

    /**
     * The most jobs of this type that run at once, across every process on the database; 0 (the
     * default) means no limit. Jobs over the limit stay queued, in priority order, without keeping
     * other jobs from starting. A paused job does not count.
     */
    int maxConcurrent() default 0;
}
