package dev.jobs.runtime;

import dev.jobs.CatchUp;
import dev.jobs.JobException;
import dev.jobs.JobPriority;
import dev.jobs.JobRegistration;
import dev.jobs.Overlap;
import dev.jobs.Recurring;
import dev.jobs.RetryPolicy;
import dev.jobs.runtime.codec.JsonCodec;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.ScheduleRow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The recurring schedules of a job store: durable, named, and shared by every manager on the
 * store. Each tick of a schedule creates one job (exactly one, however many managers run), which
 * then runs like any other: retries, pause, cancel and recovery apply.
 *
 * <pre>{@code
 * jobs.schedules().upsert("nightly-backup", Schedule.cron("0 2 * * *", ZoneId.of("Europe/Paris")),
 *         "backup", "{\"repo\":\"main\"}");
 * jobs.schedules().pause("nightly-backup");
 * JobHandle<?> now = jobs.schedules().triggerNow("nightly-backup");
 * }</pre>
 *
 * <p>Get it from {@link JobManager#schedules()}. Any manager can change schedules; managers with
 * workers tick them (a manager ticks the schedules of the job types it can run).
 */
public final class Schedules {

    private final JobManager manager;
    private final JobStore store;
    private final JobRegistry registry;
    private final JsonCodec json;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final Runnable changed;

    Schedules(
            JobManager manager,
            JobStore store,
            JobRegistry registry,
            JsonCodec json,
            Dispatcher dispatcher,
            Clock clock,
            Runnable changed) {
        this.manager = manager;
        this.store = store;
        this.registry = registry;
        this.json = json;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.changed = changed;
    }

    /**
     * Creates the schedule {@code name}, or changes it, with the defaults of {@link ScheduleSpec#of}.
     *
     * @throws dev.jobs.UnknownJobException no job of that name is registered
     * @throws dev.jobs.InvalidParametersException the parameters do not fit the job
     */
    public ScheduleInfo upsert(String name, Schedule schedule, String jobName, String parametersJson) {
        return upsert(ScheduleSpec.of(name, schedule, jobName, parametersJson));
    }

    /**
     * Creates the schedule, or changes the one of the same name. Upserting an unchanged schedule
     * changes nothing, so it is safe at every start of the application: its ticks carry on where
     * they were. A changed schedule keeps its last tick; ticks missed meanwhile follow its catch-up
     * policy.
     *
     * @throws dev.jobs.UnknownJobException no job of that name is registered
     * @throws dev.jobs.InvalidParametersException the parameters do not fit the job (checked now, not at the first tick)
     */
    public ScheduleInfo upsert(ScheduleSpec spec) {
        manager.ensureOpen("upsert a schedule");
        Objects.requireNonNull(spec, "spec");
        JsonCodec.requireDispatchArguments(spec.jobName(), spec.parameters());
        JobRegistration<?> registration = registry.require(spec.jobName());
        String parameters = json.bind(registration, spec.parameters()).parameters();
        ScheduleRow row = store.upsertSchedule(
                new JobStore.ScheduleDefinition(
                        spec.name(),
                        spec.jobName(),
                        parameters,
                        spec.schedule().text(),
                        spec.catchUp().name(),
                        spec.catchUpCap(),
                        spec.overlap().name(),
                        spec.priority().value()),
                clock.millis());
        changed.run();
        return info(row);
    }

    /** The schedule called {@code name}, if there is one. */
    public Optional<ScheduleInfo> find(String name) {
        manager.ensureOpen("read a schedule");
        return store.findSchedule(Objects.requireNonNull(name, "name")).map(Schedules::info);
    }

    /** Every schedule, by name. */
    public List<ScheduleInfo> list() {
        manager.ensureOpen("list schedules");
        return store.schedules().stream().map(Schedules::info).toList();
    }

    /** Holds the schedule's ticks until {@link #resume}; its running job, if any, is not touched. */
    public void pause(String name) {
        manager.ensureOpen("pause a schedule");
        if (!store.pauseSchedule(Objects.requireNonNull(name, "name"), true, clock.millis())) {
            throw notFound(name);
        }
    }

    /** Lets the schedule tick again; the ticks missed while paused follow its catch-up policy. */
    public void resume(String name) {
        manager.ensureOpen("resume a schedule");
        if (!store.pauseSchedule(Objects.requireNonNull(name, "name"), false, clock.millis())) {
            throw notFound(name);
        }
        changed.run();
    }

    /** Deletes the schedule; the jobs it created stay. Returns false if there was no such schedule. */
    public boolean delete(String name) {
        manager.ensureOpen("delete a schedule");
        return store.deleteSchedule(Objects.requireNonNull(name, "name"));
    }

    /**
     * Dispatches the schedule's job now, outside its ticks (its scheduled time is now); the
     * schedule's own ticks are not changed. Works on a paused schedule too.
     */
    public JobHandle<?> triggerNow(String name) {
        manager.ensureOpen("run a schedule now");
        ScheduleRow row =
                store.findSchedule(Objects.requireNonNull(name, "name")).orElseThrow(() -> notFound(name));
        JobStore.ScheduleDefinition d = row.definition();
        return dispatcher.dispatchForSchedule(d.name(), d.jobName(), d.parameters(), priority(d.priority()));
    }

    /** Upserts the schedules declared with {@code @Recurring} on the registered job types. */
    void upsertDeclared() {
        for (JobRegistration<?> registration : registry.all()) {
            Recurring r = registration.jobType().getAnnotation(Recurring.class);
            if (r == null) {
                continue;
            }
            try {
                upsert(new ScheduleSpec(
                        r.name().isEmpty() ? registration.name() : r.name(),
                        declared(r),
                        registration.name(),
                        r.parameters(),
                        r.catchUp(),
                        100,
                        r.overlap(),
                        JobPriority.NORMAL));
            } catch (RuntimeException e) {
                throw new JobException(
                        "the @Recurring schedule of job '" + registration.name() + "' ("
                                + registration.jobType().getName() + ") is invalid: " + e.getMessage(),
                        e);
            }
        }
    }

    private static Schedule declared(Recurring r) {
        if (r.cron().isEmpty() == r.every().isEmpty()) {
            throw new IllegalArgumentException("give exactly one of cron and every");
        }
        return r.cron().isEmpty()
                ? Schedule.every(RetryPolicy.parseDuration(r.every()))
                : Schedule.cron(r.cron(), ZoneId.of(r.zone()));
    }

    private static JobException notFound(String name) {
        return new JobException("no schedule is called '" + name + "'; jobs.schedules().list() shows the schedules");
    }

    private static JobPriority priority(int value) {
        return JobPriority.ofValue(value);
    }

    static ScheduleInfo info(ScheduleRow row) {
        JobStore.ScheduleDefinition d = row.definition();
        ScheduleSpec spec = new ScheduleSpec(
                d.name(),
                Schedule.parse(d.schedule()),
                d.jobName(),
                d.parameters(),
                CatchUp.valueOf(d.catchUp()),
                d.catchUpCap(),
                Overlap.valueOf(d.overlap()),
                priority(d.priority()));
        return new ScheduleInfo(
                spec,
                row.paused(),
                row.paused() || row.nextCheck() == null || row.nextCheck() == Long.MAX_VALUE
                        ? Optional.empty()
                        : Optional.of(Instant.ofEpochMilli(row.nextCheck())),
                Optional.ofNullable(row.lastTick()).map(Instant::ofEpochMilli),
                Optional.ofNullable(row.pendingTick()).map(Instant::ofEpochMilli),
                Optional.ofNullable(row.lastJob()).map(UUID::fromString),
                row.dropped());
    }
}
