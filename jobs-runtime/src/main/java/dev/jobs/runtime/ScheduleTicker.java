package dev.jobs.runtime;

import dev.jobs.CatchUp;
import dev.jobs.Overlap;
import dev.jobs.runtime.schedule.Due;
import dev.jobs.runtime.schedule.Ticks;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.ScheduleRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the ticks of recurring schedules into jobs. One thread sleeps until the earliest time a
 * schedule must be looked at ({@code nextCheck}), or until it is woken: a schedule changed, a run
 * of a schedule that waits for its end ended, another process committed, or a test moved the
 * clock. It never polls.
 *
 * <p>Each look at a schedule computes its due ticks ({@link Ticks}) from the last tick handled,
 * applies the catch-up and overlap policies, and writes the result with
 * {@link JobStore#applyTick}: a compare-and-set on the schedule's version, in the same transaction
 * as the jobs it creates, each keyed by (schedule, tick). So a tick is never lost between its job's
 * insert and the schedule's advance (they commit together), and two managers that look at the same
 * schedule at once create one job: the second's compare-and-set fails and it looks again.
 */
final class ScheduleTicker {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduleTicker.class);

    /** How late a tick may be handled and still count as on time (not missed). */
    static final Duration GRACE = Duration.ofSeconds(60);

    /** The longest sleep: a safety net for changes no signal reported. */
    private static final long MAX_SLEEP_MILLIS = 60_000;

    /** Schedules looked at per query; schedules waiting for a run to end come first. */
    private static final int BATCH = 10_000;

    private static final JobStore.ScheduleRuns NO_RUNS = new JobStore.ScheduleRuns(false, null);

    private final JobStore store;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final Object lock = new Object();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private boolean signalled;
    private volatile boolean running = true;
    /** Whether some schedule waits for a run to end: only then does a job's end wake the ticker. */
    private volatile boolean waitingForRuns = true;

    private final Thread thread;

    ScheduleTicker(JobStore store, Dispatcher dispatcher, Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.thread = new Thread(this::loop, "jobs-schedules");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Looks at the schedules again now. */
    void signal() {
        synchronized (lock) {
            signalled = true;
            lock.notifyAll();
        }
    }

    /** A job ended here: a schedule waiting for its run to end may tick. */
    void jobEnded() {
        if (waitingForRuns) {
            signal();
        }
    }

    void stop() {
        running = false;
        signal();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (running) {
            long sleep;
            try {
                tickDue();
                OptionalLong next = store.nextScheduleCheck();
                long now = clock.millis();
                sleep = next.isPresent() ? Math.min(MAX_SLEEP_MILLIS, next.getAsLong() - now) : MAX_SLEEP_MILLIS;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (dev.jobs.runtime.maintenance.StoreOutage.is(e)) {
                    // the store logged the outage once; no warning per second while it lasts
                    LOG.debug("looking at the recurring schedules failed ({}); trying again shortly", e.getMessage());
                } else {
                    LOG.warn("looking at the recurring schedules failed ({}); trying again shortly", e.getMessage());
                }
                sleep = 1_000;
            }
            synchronized (lock) {
                if (!signalled && sleep > 0 && running) {
                    try {
                        lock.wait(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                signalled = false;
            }
        }
    }

    /**
     * Looks at every schedule due for a look, in batches, until a batch changes nothing that is
     * due again now (a tick created whose schedule is due again at once, or a compare-and-set lost
     * to another manager, means another round).
     */
    void tickDue() {
        boolean waiting = false;
        for (int round = 0; round < 1_000 && running; round++) {
            long now = clock.millis();
            List<ScheduleRow> rows = store.schedulesToCheck(now, BATCH);
            boolean again = false;
            // every write of the batch is queued before any is awaited: the store commits them together
            List<JobStore.TickWrite> writes = new ArrayList<>();
            List<java.util.concurrent.CompletableFuture<Boolean>> written = new ArrayList<>();
            for (ScheduleRow row : rows) {
                Look look = look(row, clock.millis()); // each job records when it was really created
                waiting |= look.waitsForRun();
                if (look.write() != null) {
                    writes.add(look.write());
                    written.add(store.applyTick(look.write()));
                }
            }
            for (int i = 0; i < writes.size(); i++) {
                JobStore.TickWrite write = writes.get(i);
                if (dev.jobs.runtime.store.StoreFutures.await(written.get(i))) {
                    dispatcher.scheduledJobsInserted(write.jobs());
                    again |= rows.size() == BATCH || (write.nextCheck() != null && write.nextCheck() <= now);
                } else {
                    again = true; // changed meanwhile (another manager ticked it): look again
                }
            }
            if (!again) {
                break;
            }
        }
        waitingForRuns = waiting;
    }

    /** What one look at a schedule decides: a write, or none (nothing changed). */
    private record Look(JobStore.TickWrite write, boolean waitsForRun) {}

    private Look look(ScheduleRow row, long now) {
        JobStore.ScheduleDefinition d = row.definition();
        Schedule schedule;
        CatchUp catchUp;
        Overlap overlap;
        try {
            schedule = Schedule.parse(d.schedule());
            catchUp = CatchUp.valueOf(d.catchUp());
            overlap = Overlap.valueOf(d.overlap());
        } catch (RuntimeException e) {
            report(d.name(), "its stored definition cannot be read (" + e.getMessage() + "); upsert it again");
            return new Look(write(row, List.of(), row.lastTick(), row.pendingTick(), Long.MAX_VALUE, 0, now), false);
        }
        // whether a run is active matters only to a fixed delay, a queued tick or an overlap policy
        JobStore.ScheduleRuns runs = schedule.isFixedDelay() || overlap != Overlap.ALLOW || row.pendingTick() != null
                ? store.scheduleRuns(d.name())
                : NO_RUNS;
        Instant anchor = Instant.ofEpochMilli(row.anchor());
        List<Long> ticks = new ArrayList<>();
        Long lastTick = row.lastTick();
        Long pending = row.pendingTick();
        Long nextCheck;
        long dropped = 0;
        if (schedule.isFixedDelay()) {
            if (runs.active()) {
                nextCheck = null; // counted from the end of the active run
            } else {
                Instant previousEnd = lastTick == null
                        ? null
                        : Instant.ofEpochMilli(runs.lastEnd() != null ? Math.max(runs.lastEnd(), lastTick) : lastTick);
                Due due = Ticks.dueAfterEnd(schedule, anchor, previousEnd, Instant.ofEpochMilli(now));
                if (due.times().isEmpty()) {
                    nextCheck = due.next().map(Instant::toEpochMilli).orElse(null);
                } else {
                    long tick = due.times().get(0).toEpochMilli();
                    ticks.add(tick);
                    lastTick = tick;
                    nextCheck = null;
                }
            }
        } else {
            Due due = Ticks.due(
                    schedule,
                    anchor,
                    lastTick == null ? null : Instant.ofEpochMilli(lastTick),
                    Instant.ofEpochMilli(now),
                    catchUp,
                    d.catchUpCap(),
                    GRACE);
            dropped = due.dropped();
            if (due.lastTick() != null) {
                lastTick = due.lastTick().toEpochMilli();
            }
            boolean active = runs.active();
            if (pending != null && !active) {
                ticks.add(pending);
                pending = null;
                active = true;
            }
            for (Instant t : due.times()) {
                if (overlap == Overlap.ALLOW || !active) {
                    ticks.add(t.toEpochMilli());
                    active = true;
                } else if (overlap == Overlap.QUEUE && pending == null) {
                    pending = t.toEpochMilli();
                } else {
                    dropped++;
                }
            }
            Long timeCheck = due.next().map(Instant::toEpochMilli).orElse(null);
            nextCheck = pending != null ? null : timeCheck;
            if (pending != null && timeCheck == null) {
                nextCheck = null;
            }
        }
        boolean waits = nextCheck == null && (pending != null || schedule.isFixedDelay());
        boolean unchanged = ticks.isEmpty()
                && dropped == 0
                && java.util.Objects.equals(lastTick, row.lastTick())
                && java.util.Objects.equals(pending, row.pendingTick())
                && java.util.Objects.equals(nextCheck, row.nextCheck());
        if (unchanged) {
            return new Look(null, waits);
        }
        List<NewJob> jobs = new ArrayList<>();
        try {
            for (long tick : ticks) {
                jobs.add(dispatcher.scheduledJob(d.name(), d.jobName(), d.parameters(), d.priority(), tick, now));
            }
        } catch (RuntimeException e) {
            // the job type or its parameters changed since the schedule was made: its ticks are
            // dropped (not retried every second) until it is upserted again
            report(
                    d.name(),
                    "its job cannot be created (" + e.getMessage()
                            + "); its ticks are dropped until it is upserted again");
            return new Look(
                    write(
                            row,
                            List.of(),
                            lastTick,
                            null,
                            nextCheck(schedule, anchor, now),
                            ticks.size() + dropped,
                            now),
                    false);
        }
        reported.remove(d.name());
        return new Look(write(row, jobs, lastTick, pending, nextCheck, dropped, now), waits);
    }

    private static Long nextCheck(Schedule schedule, Instant anchor, long now) {
        if (schedule.isFixedDelay()) {
            return now + schedule.interval().orElseThrow().toMillis();
        }
        Instant next = Ticks.next(schedule, anchor, Instant.ofEpochMilli(now));
        return next == null ? null : next.toEpochMilli();
    }

    private static JobStore.TickWrite write(
            ScheduleRow row, List<NewJob> jobs, Long lastTick, Long pending, Long nextCheck, long dropped, long now) {
        String lastJob =
                jobs.isEmpty() ? row.lastJob() : jobs.get(jobs.size() - 1).id().toString();
        return new JobStore.TickWrite(
                row.name(), row.version(), jobs, lastTick, pending, nextCheck, lastJob, dropped, now);
    }

    private void report(String name, String problem) {
        if (reported.add(name)) {
            LOG.error("schedule '{}': {}", name, problem);
        }
    }
}
