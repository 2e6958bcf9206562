package dev.jobs.runtime;

import static dev.jobs.runtime.Support.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.CatchUp;
import dev.jobs.InvalidParametersException;
import dev.jobs.JobException;
import dev.jobs.JobStatus;
import dev.jobs.Overlap;
import dev.jobs.UnknownJobException;
import dev.jobs.runtime.DelayedJobsTest.ManualClock;
import dev.jobs.runtime.testing.TestHooks;
import dev.jobs.runtime.testjobs.Gates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recurring schedules on the manager's clock, moved by hand. {@link TestHooks#tickSchedules} runs
 * the ticker's work on the test's thread, so a test knows what a tick did when it returns.
 */
class ScheduleTest {

    private static final Instant START = Instant.parse("2030-03-01T00:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);

    private JobManager open() {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(2)
                .clock(clock)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build();
    }

    private String params() {
        return "{\"log\":" + quote(dir.resolve("ticks.txt").toString()) + "}";
    }

    private String gated(String gate) {
        return "{\"log\":" + quote(dir.resolve("ticks.txt").toString()) + ",\"gate\":\"" + gate + "\"}";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\") + "\"";
    }

    /** The ticks of the jobs the schedule created, oldest first. */
    private static List<Instant> ticks(JobManager jobs, String schedule) {
        return jobs.list(JobQuery.all().names("test.tick").limit(1000)).stream()
                .filter(j -> j.schedule().equals(java.util.Optional.of(schedule)))
                .map(j -> j.scheduledFor().orElseThrow())
                .sorted(Comparator.naturalOrder())
                .toList();
    }

    private void advanceAndTick(JobManager jobs, Duration by) {
        clock.advance(by);
        TestHooks.tickSchedules(jobs);
    }

    private static Instant at(int minutes) {
        return START.plus(Duration.ofMinutes(minutes));
    }

    @Test
    void aScheduleCreatesOneJobPerTick() {
        try (JobManager jobs = open()) {
            jobs.schedules()
                    .upsert(ScheduleSpec.of(
                                    "every-minute", Schedule.every(Duration.ofMinutes(1)), "test.tick", params())
                            .withOverlap(Overlap.ALLOW)); // a job may still run when the next tick comes
            TestHooks.tickSchedules(jobs);
            assertThat(ticks(jobs, "every-minute"))
                    .as("the first tick is at its creation")
                    .containsExactly(at(0));
            TestHooks.tickSchedules(jobs);
            assertThat(ticks(jobs, "every-minute")).as("a tick makes one job").hasSize(1);
            advanceAndTick(jobs, Duration.ofSeconds(59));
            assertThat(ticks(jobs, "every-minute")).hasSize(1);
            advanceAndTick(jobs, Duration.ofSeconds(1));
            advanceAndTick(jobs, Duration.ofMinutes(1));
            assertThat(ticks(jobs, "every-minute")).containsExactly(at(0), at(1), at(2));
        }
    }

    @Test
    void aTicksJobSeesItsScheduledTime() throws Exception {
        try (JobManager jobs = open()) {
            jobs.schedules().upsert("every-minute", Schedule.every(Duration.ofMinutes(1)), "test.tick", params());
            TestHooks.tickSchedules(jobs);
            JobInfo job = jobs.list(JobQuery.all().names("test.tick")).get(0);
            assertThat(job.schedule()).contains("every-minute");
            assertThat(jobs.handle(job.id()).result().get(20, TimeUnit.SECONDS)).isEqualTo(START.toEpochMilli());
        }
    }

    @Test
    void aCronScheduleTicksAtItsTimesInItsZone() {
        try (JobManager jobs = open()) {
            // 02:00 in Paris is 01:00 UTC in March, before the change to summer time
            jobs.schedules()
                    .upsert("nightly", Schedule.cron("0 2 * * *", ZoneId.of("Europe/Paris")), "test.tick", params());
            TestHooks.tickSchedules(jobs);
            assertThat(ticks(jobs, "nightly")).isEmpty();
            assertThat(jobs.schedules().find("nightly").orElseThrow().nextCheck())
                    .contains(at(60));
            advanceAndTick(jobs, Duration.ofHours(1));
            assertThat(ticks(jobs, "nightly")).containsExactly(at(60));
        }
    }

    /** Ten ticks every 5 minutes missed while no manager ran: now is 2 minutes after the last. */
    private List<Instant> afterTenMissedTicks(CatchUp catchUp) {
        try (JobManager jobs = open()) {
            jobs.schedules()
                    .upsert(ScheduleSpec.of("s", Schedule.every(Duration.ofMinutes(5)), "test.tick", params())
                            .withCatchUp(catchUp)
                            .withOverlap(Overlap.ALLOW));
            TestHooks.tickSchedules(jobs);
            assertThat(ticks(jobs, "s")).containsExactly(at(0));
        }
        clock.advance(Duration.ofMinutes(52));
        try (JobManager jobs = open()) {
            TestHooks.tickSchedules(jobs);
            List<Instant> ticks = ticks(jobs, "s");
            assertThat(jobs.schedules().find("s").orElseThrow().nextCheck()).contains(at(55));
            return ticks.subList(1, ticks.size());
        }
    }

    @Test
    void catchUpSkipRunsNoneOfTheMissedTicks() {
        assertThat(afterTenMissedTicks(CatchUp.SKIP)).isEmpty();
    }

    @Test
    void catchUpOnceRunsOneJobForTheLatestMissedTick() {
        assertThat(afterTenMissedTicks(CatchUp.ONCE)).containsExactly(at(50));
    }

    @Test
    void catchUpAllRunsEveryMissedTickInOrder() {
        assertThat(afterTenMissedTicks(CatchUp.ALL))
                .containsExactly(at(5), at(10), at(15), at(20), at(25), at(30), at(35), at(40), at(45), at(50));
    }

    @Test
    void catchUpAllCreatesAtMostItsCapAndCountsTheRestAsDropped() {
        try (JobManager jobs = open()) {
            jobs.schedules()
                    .upsert(ScheduleSpec.of("s", Schedule.every(Duration.ofMinutes(5)), "test.tick", params())
                            .withCatchUpAll(3)
                            .withOverlap(Overlap.ALLOW));
            TestHooks.tickSchedules(jobs);
            advanceAndTick(jobs, Duration.ofMinutes(52));
            assertThat(ticks(jobs, "s")).containsExactly(at(0), at(5), at(10), at(15));
            assertThat(jobs.schedules().find("s").orElseThrow().droppedTicks()).isEqualTo(7);
        }
    }

    /** A schedule every minute whose first run holds until the test releases its gate. */
    private JobInfo firstRunHeld(JobManager jobs, String gate, Overlap overlap) throws Exception {
        jobs.schedules()
                .upsert(ScheduleSpec.of("s", Schedule.every(Duration.ofMinutes(1)), "test.tick", gated(gate))
                        .withOverlap(overlap));
        TestHooks.tickSchedules(jobs);
        assertThat(Gates.await(gate + ".started", 20_000)).isTrue();
        return jobs.list(JobQuery.all().names("test.tick")).get(0);
    }

    @Test
    void overlapSkipDropsATickWhileTheLastRunIsActive() throws Exception {
        String gate = "overlap-skip-" + System.nanoTime();
        try (JobManager jobs = open()) {
            JobInfo first = firstRunHeld(jobs, gate, Overlap.SKIP);
            advanceAndTick(jobs, Duration.ofMinutes(1));
            assertThat(ticks(jobs, "s")).containsExactly(at(0));
            assertThat(jobs.schedules().find("s").orElseThrow().droppedTicks()).isEqualTo(1);
            Gates.open(gate + ".release");
            awaitStatus(jobs, first.id(), JobStatus.COMPLETED);
            TestHooks.tickSchedules(jobs);
            assertThat(ticks(jobs, "s")).as("the dropped tick stays dropped").containsExactly(at(0));
        }
    }

    @Test
    void overlapQueueRunsATickAfterTheActiveRunEnds() throws Exception {
        String gate = "overlap-queue-" + System.nanoTime();
        try (JobManager jobs = open()) {
            JobInfo first = firstRunHeld(jobs, gate, Overlap.QUEUE);
            advanceAndTick(jobs, Duration.ofSeconds(60));
            assertThat(ticks(jobs, "s")).containsExactly(at(0));
            assertThat(jobs.schedules().find("s").orElseThrow().pendingTick()).contains(at(1));
            Gates.open(gate + ".release");
            awaitStatus(jobs, first.id(), JobStatus.COMPLETED);
            TestHooks.tickSchedules(jobs);
            assertThat(ticks(jobs, "s")).containsExactly(at(0), at(1));
            assertThat(jobs.schedules().find("s").orElseThrow().pendingTick()).isEmpty();
        }
    }

    @Test
    void overlapAllowRunsATickBesideTheActiveRun() throws Exception {
        String gate = "overlap-allow-" + System.nanoTime();
        try (JobManager jobs = open()) {
            firstRunHeld(jobs, gate, Overlap.ALLOW);
            advanceAndTick(jobs, Duration.ofMinutes(1));
            assertThat(ticks(jobs, "s")).containsExactly(at(0), at(1));
            Gates.open(gate + ".release");
        }
    }

    @Test
    void aFixedDelayScheduleCountsItsNextTickFromTheEndOfTheRun() throws Exception {
        try (JobManager jobs = open()) {
            jobs.schedules().upsert("s", Schedule.fixedDelay(Duration.ofMinutes(10)), "test.tick", params());
            TestHooks.tickSchedules(jobs);
            JobInfo first = jobs.list(JobQuery.all().names("test.tick")).get(0);
            awaitStatus(jobs, first.id(), JobStatus.COMPLETED);
            advanceAndTick(jobs, Duration.ofMinutes(3));
            // the run ended at minute 0 (the clock did not move while it ran): the next tick is at 10
            assertThat(ticks(jobs, "s")).containsExactly(at(0));
            advanceAndTick(jobs, Duration.ofMinutes(7));
            assertThat(ticks(jobs, "s")).containsExactly(at(0), at(10));
        }
    }

    @Test
    void aPausedScheduleCreatesNoJobUntilResumed() {
        try (JobManager jobs = open()) {
            jobs.schedules()
                    .upsert(ScheduleSpec.of("s", Schedule.every(Duration.ofMinutes(5)), "test.tick", params())
                            .withCatchUp(CatchUp.ONCE)
                            .withOverlap(Overlap.ALLOW));
            TestHooks.tickSchedules(jobs);
            jobs.schedules().pause("s");
            assertThat(jobs.schedules().find("s").orElseThrow().paused()).isTrue();
            advanceAndTick(jobs, Duration.ofMinutes(12));
            assertThat(ticks(jobs, "s")).containsExactly(at(0));
            jobs.schedules().resume("s");
            TestHooks.tickSchedules(jobs);
            assertThat(ticks(jobs, "s")).as("caught up once").containsExactly(at(0), at(10));
        }
    }

    @Test
    void triggerNowRunsTheSchedulesJobAtOnceWithoutChangingItsTicks() throws Exception {
        try (JobManager jobs = open()) {
            jobs.schedules().upsert("s", Schedule.every(Duration.ofHours(1)), "test.tick", params());
            TestHooks.tickSchedules(jobs);
            clock.advance(Duration.ofMinutes(7));
            JobHandle<?> now = jobs.schedules().triggerNow("s");
            assertThat(now.result().get(20, TimeUnit.SECONDS)).isEqualTo(at(7).toEpochMilli());
            assertThat(jobs.schedules().find("s").orElseThrow().lastTick()).contains(at(0));
            assertThat(jobs.schedules().find("s").orElseThrow().nextCheck()).contains(at(60));
        }
    }

    @Test
    void upsertingAnUnchangedScheduleKeepsItsTicks() {
        try (JobManager jobs = open()) {
            ScheduleInfo first =
                    jobs.schedules().upsert("s", Schedule.every(Duration.ofMinutes(5)), "test.tick", params());
            TestHooks.tickSchedules(jobs);
            clock.advance(Duration.ofMinutes(1));
            ScheduleInfo again =
                    jobs.schedules().upsert("s", Schedule.every(Duration.ofMinutes(5)), "test.tick", params());
            assertThat(again.lastTick()).contains(at(0));
            assertThat(again.nextCheck()).contains(at(5));
            assertThat(again.spec()).isEqualTo(first.spec());
        }
    }

    @Test
    void aScheduleIsCheckedAgainstItsJobWhenUpserted() {
        try (JobManager jobs = open()) {
            assertThatThrownBy(() ->
                            jobs.schedules().upsert("s", Schedule.every(Duration.ofMinutes(5)), "no.such.job", "{}"))
                    .isInstanceOf(UnknownJobException.class);
            assertThatThrownBy(() -> jobs.schedules()
                            .upsert("s", Schedule.every(Duration.ofMinutes(5)), "test.tick", "{\"lgo\":1}"))
                    .isInstanceOf(InvalidParametersException.class);
            assertThat(jobs.schedules().list()).extracting(ScheduleInfo::name).doesNotContain("s");
        }
    }

    @Test
    void pausingAnUnknownScheduleSaysSo() {
        try (JobManager jobs = open()) {
            assertThatThrownBy(() -> jobs.schedules().pause("nope"))
                    .isInstanceOf(JobException.class)
                    .hasMessageContaining("no schedule is called 'nope'");
            assertThat(jobs.schedules().delete("nope")).isFalse();
        }
    }

    @Test
    void deletingAScheduleStopsItsTicksAndKeepsItsJobs() {
        try (JobManager jobs = open()) {
            jobs.schedules().upsert("s", Schedule.every(Duration.ofMinutes(1)), "test.tick", params());
            TestHooks.tickSchedules(jobs);
            assertThat(jobs.schedules().delete("s")).isTrue();
            advanceAndTick(jobs, Duration.ofMinutes(5));
            assertThat(ticks(jobs, "s")).containsExactly(at(0));
            assertThat(jobs.schedules().find("s")).isEmpty();
        }
    }

    @Test
    void aScheduleDeclaredOnAJobClassIsUpsertedAtStart() {
        try (JobManager jobs = open()) {
            ScheduleInfo declared = jobs.schedules().find("test-leap-day").orElseThrow();
            assertThat(declared.spec().jobName()).isEqualTo("test.recurring");
            assertThat(declared.spec().schedule()).isEqualTo(Schedule.cron("0 0 29 2 *", ZoneId.of("Europe/Paris")));
            assertThat(declared.spec().catchUp()).isEqualTo(CatchUp.SKIP);
            assertThat(declared.spec().overlap()).isEqualTo(Overlap.QUEUE);
        }
    }

    @Test
    void twoManagersOnOneDatabaseCreateEachTickOnce() {
        try (JobManager a = open();
                JobManager b = open()) {
            a.schedules()
                    .upsert(ScheduleSpec.of("s", Schedule.every(Duration.ofSeconds(1)), "test.tick", params())
                            .withOverlap(Overlap.ALLOW));
            for (int i = 0; i < 200; i++) {
                Thread ta = new Thread(() -> TestHooks.tickSchedules(a));
                ta.start();
                TestHooks.tickSchedules(b);
                join(ta);
                clock.advance(Duration.ofSeconds(1));
            }
            List<Instant> ticks = ticks(a, "s");
            assertThat(ticks).hasSize(200).doesNotHaveDuplicates();
            assertThat(ticks.get(199)).isEqualTo(START.plusSeconds(199));
        }
    }

    private static void join(Thread t) {
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
