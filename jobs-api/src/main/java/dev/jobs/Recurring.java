package dev.jobs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a job on a recurring schedule declared on its class: every manager that knows the job
 * creates (or updates) the schedule when it starts, so the schedule lives with the code. Exactly
 * one job is created per tick, however many managers run.
 *
 * <pre>{@code
 * @Job(name = "nightly_backup")
 * @Recurring(cron = "0 2 * * *", zone = "Europe/Paris", catchUp = CatchUp.ONCE)
 * public class NightlyBackupJob implements JobHandler<Void> { ... }
 * }</pre>
 *
 * <p>Give exactly one of {@link #cron()} and {@link #every()}. A schedule made this way can be
 * paused, resumed or run now like any other ({@code JobManager.schedules()}); removing the
 * annotation does not delete it (delete it with {@code schedules().delete(name)}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Recurring {

    /** The schedule's name; empty means the job's name. */
    String name() default "";

    /**
     * A cron expression: 5 fields ({@code "0 2 * * *"}), or 6 with seconds first, or a macro such
     * as {@code "@daily"}; read in {@link #zone()}.
     */
    String cron() default "";

    /** The time zone of {@link #cron()}, such as {@code "Europe/Paris"}. */
    String zone() default "UTC";

    /** A fixed rate instead of a cron expression: {@code "5m"}, {@code "1h"}, {@code "PT30S"}. */
    String every() default "";

    /** The job's parameters as a JSON object, as {@code dispatchByName} takes them. */
    String parameters() default "{}";

    /** What to do with ticks missed while no manager was running. */
    CatchUp catchUp() default CatchUp.ONCE;

    /** What to do with a tick that comes while the previous run is still active. */
    Overlap overlap() default Overlap.SKIP;
}
