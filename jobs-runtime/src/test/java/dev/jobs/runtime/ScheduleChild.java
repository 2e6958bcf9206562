package dev.jobs.runtime;

import dev.jobs.Overlap;
import dev.jobs.runtime.events.JobEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A process of the multi-process schedule tests ({@link ScheduleProcessTest}): opens a manager with
 * workers on a shared database and an accelerated clock, upserts the schedule every child upserts
 * (every second, catch-up ALL, overlap ALLOW, job {@code test.pidtick}), prints "ready", prints
 * "created ID" for each job its own ticker creates, and runs until its stdin is closed; then it
 * closes the manager and prints "closed".
 *
 * <p>Arguments: database, side file, T0 (epoch millis), speed, workers.
 */
public final class ScheduleChild {
    private ScheduleChild() {}

    static final String SCHEDULE = "every-second";

    /** How many jobs one look may create for missed ticks: far more than a late wake-up misses. */
    static final int CAP = 100_000;

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        String side = args[1];
        Clock clock = new AcceleratedClock(Long.parseLong(args[2]), Integer.parseInt(args[3]));
        int workers = Integer.parseInt(args[4]);
        try (JobManager jobs = JobManager.builder()
                .database(db)
                .workers(workers)
                .clock(clock)
                .leaseDuration(Duration.ofSeconds(2))
                .changePollInterval(Duration.ofMillis(50))
                .shutdownTimeout(Duration.ofSeconds(10))
                .build()) {
            jobs.addListener(event -> {
                if (event instanceof JobEvent.Queued q && q.jobName().equals("test.pidtick")) {
                    System.out.println("created " + q.jobId());
                }
            });
            jobs.schedules().upsert(spec(side));
            System.out.println("ready " + ProcessHandle.current().pid());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the test closes our stdin
            }
        }
        System.out.println("closed");
        System.out.flush();
    }

    /** The schedule of every child: the same spec, so a restarted child's upsert changes nothing. */
    static ScheduleSpec spec(String side) {
        return ScheduleSpec.of(
                        SCHEDULE,
                        Schedule.every(Duration.ofSeconds(1)),
                        "test.pidtick",
                        "{\"log\":\"" + side.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .withCatchUpAll(CAP)
                .withOverlap(Overlap.ALLOW);
    }

    /** T0 + (now - T0) * speed: every process given the same T0 and speed agrees on the time. */
    static final class AcceleratedClock extends Clock {
        private final long t0;
        private final int speed;

        AcceleratedClock(long t0, int speed) {
            this.t0 = t0;
            this.speed = speed;
        }

        @Override
        public long millis() {
            return t0 + (System.currentTimeMillis() - t0) * speed;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("UTC only");
        }
    }
}
