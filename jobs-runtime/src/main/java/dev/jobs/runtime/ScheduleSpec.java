package dev.jobs.runtime;

import dev.jobs.CatchUp;
import dev.jobs.JobPriority;
import dev.jobs.Overlap;
import java.util.Objects;

/**
 * A recurring schedule to create or change with {@link Schedules#upsert(ScheduleSpec)}: its name,
 * when it ticks, the job each tick creates and how missed and overlapping ticks are treated.
 * Immutable; the {@code with} methods return copies.
 *
 * <pre>{@code
 * jobs.schedules().upsert(ScheduleSpec.of("nightly-backup",
 *                 Schedule.cron("0 2 * * *", ZoneId.of("Europe/Paris")), "backup", "{\"repo\":\"main\"}")
 *         .withCatchUp(CatchUp.ONCE)
 *         .withOverlap(Overlap.SKIP));
 * }</pre>
 *
 * @param name the schedule's unique name
 * @param schedule when it ticks
 * @param jobName the job each tick dispatches
 * @param parameters that job's parameters, a JSON object as {@code dispatchByName} takes them
 * @param catchUp what to do with ticks missed while no manager ran (default {@link CatchUp#ONCE})
 * @param catchUpCap the most jobs {@link CatchUp#ALL} creates at once (default 100)
 * @param overlap what a tick does while the previous run is active (default {@link Overlap#SKIP})
 * @param priority the priority of its jobs (default {@link JobPriority#NORMAL})
 */
public record ScheduleSpec(
        String name,
        Schedule schedule,
        String jobName,
        String parameters,
        CatchUp catchUp,
        int catchUpCap,
        Overlap overlap,
        JobPriority priority) {

    /** @throws IllegalArgumentException an empty name, or a cap below 1 */
    public ScheduleSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(catchUp, "catchUp");
        Objects.requireNonNull(overlap, "overlap");
        Objects.requireNonNull(priority, "priority");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a schedule needs a name");
        }
        if (catchUpCap < 1) {
            throw new IllegalArgumentException("catchUpCap must be at least 1: " + catchUpCap);
        }
    }

    /** A schedule with the defaults: catch up ONCE, skip overlapping ticks, normal priority. */
    public static ScheduleSpec of(String name, Schedule schedule, String jobName, String parameters) {
        return new ScheduleSpec(
                name, schedule, jobName, parameters, CatchUp.ONCE, 100, Overlap.SKIP, JobPriority.NORMAL);
    }

    public ScheduleSpec withCatchUp(CatchUp catchUp) {
        return new ScheduleSpec(name, schedule, jobName, parameters, catchUp, catchUpCap, overlap, priority);
    }

    /** With {@link CatchUp#ALL}, creating at most {@code cap} jobs for the missed ticks. */
    public ScheduleSpec withCatchUpAll(int cap) {
        return new ScheduleSpec(name, schedule, jobName, parameters, CatchUp.ALL, cap, overlap, priority);
    }

    public ScheduleSpec withOverlap(Overlap overlap) {
        return new ScheduleSpec(name, schedule, jobName, parameters, catchUp, catchUpCap, overlap, priority);
    }

    public ScheduleSpec withPriority(JobPriority priority) {
        return new ScheduleSpec(name, schedule, jobName, parameters, catchUp, catchUpCap, overlap, priority);
    }
}
