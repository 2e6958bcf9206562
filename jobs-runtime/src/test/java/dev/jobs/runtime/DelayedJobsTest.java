package dev.jobs.runtime;

import static dev.jobs.runtime.Support.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobPriority;
import dev.jobs.JobStatus;
import dev.jobs.runtime.testing.TestHooks;
import dev.jobs.runtime.testjobs.BlockingJob;
import dev.jobs.runtime.testjobs.CountJob;
import dev.jobs.runtime.testjobs.Gates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delayed jobs: dispatched with a run time, queued until then, run after it. Run times are on the
 * manager's clock, which these tests move by hand ({@link TestHooks#clockMoved} tells the manager).
 * "Not run before its time" is shown without waiting: a job dispatched after the delayed one, with
 * the worker free, runs to its end while the delayed one stays queued.
 */
class DelayedJobsTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);

    private JobManager open() {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(1)
                .clock(clock)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build();
    }

    private Path sideFile() {
        return dir.resolve("ran.txt");
    }

    /** The ids of the jobs that ran, in the order they ran. */
    private List<UUID> ran() throws Exception {
        if (!Files.exists(sideFile())) {
            return List.of();
        }
        return Files.readAllLines(sideFile()).stream()
                .map(line -> UUID.fromString(line.split(" ")[0]))
                .toList();
    }

    /** Dispatches a job due now and waits for its end: the scheduler has looked at the queue since. */
    private void runAJobDueNow(JobManager jobs) throws Exception {
        JobHandle<Integer> now = jobs.dispatch(new CountJob(sideFile()));
        now.result().get(20, TimeUnit.SECONDS);
    }

    private void advance(JobManager jobs, Duration by) {
        clock.advance(by);
        TestHooks.clockMoved(jobs);
    }

    @Test
    void aDelayedJobIsQueuedWithItsRunTimeAndRunsOnlyOnceItsTimeHasCome() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> later = jobs.dispatch(
                    new CountJob(sideFile()), DispatchOptions.defaults().delay(Duration.ofHours(1)));
            JobInfo info = jobs.info(later.id());
            assertThat(info.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(info.runAt()).contains(START.plus(Duration.ofHours(1)));

            runAJobDueNow(jobs);
            advance(jobs, Duration.ofMinutes(59));
            runAJobDueNow(jobs);
            assertThat(jobs.info(later.id()).status()).isEqualTo(JobStatus.QUEUED);
            assertThat(ran()).doesNotContain(later.id());

            advance(jobs, Duration.ofMinutes(1));
            assertThat(later.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(jobs.info(later.id()).runAt())
                    .as("the run time stays recorded")
                    .contains(START.plus(Duration.ofHours(1)));
        }
    }

    @Test
    void aJobDispatchedToRunAtOnceHasNoRunTime() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> h = jobs.dispatch(new CountJob(sideFile()));
            h.result().get(20, TimeUnit.SECONDS);
            assertThat(jobs.info(h.id()).runAt()).isEmpty();
            JobHandle<Integer> past = jobs.dispatch(
                    new CountJob(sideFile()), DispatchOptions.defaults().runAt(START.minusSeconds(5)));
            past.result().get(20, TimeUnit.SECONDS);
            assertThat(jobs.info(past.id()).runAt())
                    .as("a time in the past means at once")
                    .isEmpty();
        }
    }

    @Test
    void aDelayedJobStartsAtItsTimeOnAnIdleManagerWithoutBeingNudged() throws Exception {
        try (JobManager jobs = JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(1)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build()) {
            JobHandle<Integer> soon = jobs.dispatch(
                    new CountJob(sideFile()), DispatchOptions.defaults().delay(Duration.ofMillis(300)));
            assertThat(soon.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void aJobNotYetDueDoesNotHoldBackDueJobsOfLowerPriority() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> later = jobs.dispatch(
                    new CountJob(sideFile()),
                    DispatchOptions.defaults().priority(JobPriority.HIGH).delay(Duration.ofHours(1)));
            JobHandle<Integer> low = jobs.dispatch(
                    new CountJob(sideFile()), DispatchOptions.defaults().priority(JobPriority.LOW));
            assertThat(low.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(jobs.info(later.id()).status()).isEqualTo(JobStatus.QUEUED);
        }
    }

    @Test
    void dueJobsRunInPriorityOrderWhetherTheyWereDelayedOrNot() throws Exception {
        String key = UUID.randomUUID().toString();
        try (JobManager jobs = open()) {
            JobHandle<String> busy = jobs.dispatch(new BlockingJob(key)); // holds the only worker
            Gates.await(key + ".started", 20_000);
            JobHandle<Integer> lowDelayed = jobs.dispatch(
                    new CountJob(sideFile()),
                    DispatchOptions.defaults().priority(JobPriority.LOW).delay(Duration.ofMinutes(1)));
            JobHandle<Integer> normalNow = jobs.dispatch(new CountJob(sideFile()));
            JobHandle<Integer> highDelayed = jobs.dispatch(
                    new CountJob(sideFile()),
                    DispatchOptions.defaults().priority(JobPriority.HIGH).delay(Duration.ofMinutes(2)));
            JobHandle<Integer> highLater = jobs.dispatch(
                    new CountJob(sideFile()),
                    DispatchOptions.defaults().priority(JobPriority.HIGH).delay(Duration.ofHours(1)));
            advance(jobs, Duration.ofMinutes(5));
            Gates.open(key + ".release");
            busy.result().get(20, TimeUnit.SECONDS);
            lowDelayed.result().get(20, TimeUnit.SECONDS);
            normalNow.result().get(20, TimeUnit.SECONDS);
            highDelayed.result().get(20, TimeUnit.SECONDS);

            assertThat(ran()).containsExactly(highDelayed.id(), normalNow.id(), lowDelayed.id());
            assertThat(jobs.info(highLater.id()).status()).isEqualTo(JobStatus.QUEUED);
        }
    }

    @Test
    void delayedJobsSurviveARestartAndRunOnceDue() throws Exception {
        UUID id;
        try (JobManager jobs = open()) {
            id = jobs.dispatch(
                            new CountJob(sideFile()), DispatchOptions.defaults().delay(Duration.ofHours(1)))
                    .id();
        }
        try (JobManager jobs = open()) {
            JobInfo info = jobs.info(id);
            assertThat(info.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(info.runAt()).contains(START.plus(Duration.ofHours(1)));
            runAJobDueNow(jobs);
            assertThat(jobs.info(id).status()).isEqualTo(JobStatus.QUEUED);
        }
        clock.advance(Duration.ofHours(2)); // while no manager runs
        try (JobManager jobs = open()) {
            awaitStatus(jobs, id, JobStatus.COMPLETED);
        }
    }

    @Test
    void aCancelledDelayedJobNeverRuns() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> later = jobs.dispatch(
                    new CountJob(sideFile()), DispatchOptions.defaults().delay(Duration.ofHours(1)));
            jobs.cancel(later.id());
            assertThat(jobs.info(later.id()).status()).isEqualTo(JobStatus.CANCELLED);
            advance(jobs, Duration.ofHours(2));
            runAJobDueNow(jobs);
            assertThat(jobs.info(later.id()).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(ran()).doesNotContain(later.id());
        }
    }

    @Test
    void aPausedDelayedJobKeepsItsRunTimeWhenResumed() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> later = jobs.dispatch(
                    new CountJob(sideFile()), DispatchOptions.defaults().delay(Duration.ofHours(1)));
            jobs.pause(later.id());
            assertThat(jobs.info(later.id()).status()).isEqualTo(JobStatus.PAUSED);
            jobs.resume(later.id());
            JobInfo info = jobs.info(later.id());
            assertThat(info.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(info.runAt()).contains(START.plus(Duration.ofHours(1)));
            runAJobDueNow(jobs);
            assertThat(jobs.info(later.id()).status()).isEqualTo(JobStatus.QUEUED);

            advance(jobs, Duration.ofHours(1));
            assertThat(later.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void dispatchByNameTakesTheSameOptions() throws Exception {
        Instant at = START.plus(Duration.ofMinutes(30));
        try (JobManager jobs = open()) {
            JobHandle<?> h = jobs.dispatchByName(
                    "test.count",
                    "{\"sideFile\":"
                            + com.fasterxml.jackson.databind.node.TextNode.valueOf(
                                    sideFile().toString()) + "}",
                    DispatchOptions.defaults().priority(JobPriority.HIGH).runAt(at));
            JobInfo info = jobs.info(h.id());
            assertThat(info.runAt()).contains(at);
            assertThat(info.priority()).isEqualTo(JobPriority.HIGH.value());
            runAJobDueNow(jobs);
            assertThat(jobs.info(h.id()).status()).isEqualTo(JobStatus.QUEUED);
            advance(jobs, Duration.ofMinutes(30));
            assertThat(h.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    @Test
    void dispatchAllGivesEveryJobTheSameRunTime() throws Exception {
        try (JobManager jobs = open()) {
            List<JobHandle<?>> handles = jobs.dispatchAll(
                    List.of(new CountJob(sideFile()), new CountJob(sideFile())),
                    DispatchOptions.defaults().delay(Duration.ofMinutes(10)));
            for (JobHandle<?> h : handles) {
                assertThat(jobs.info(h.id()).runAt()).contains(START.plus(Duration.ofMinutes(10)));
            }
            runAJobDueNow(jobs);
            assertThat(ran())
                    .doesNotContainAnyElementsOf(
                            handles.stream().map(JobHandle::id).toList());
            advance(jobs, Duration.ofMinutes(10));
            for (JobHandle<?> h : handles) {
                assertThat(h.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
            }
        }
    }

    @Test
    void optionsAreImmutableAndReplaceOneRunTimeWithTheOther() {
        DispatchOptions base = DispatchOptions.defaults();
        DispatchOptions delayed = base.delay(Duration.ofMinutes(1));
        assertThat(base.delay()).isEmpty();
        assertThat(delayed.delay()).contains(Duration.ofMinutes(1));
        DispatchOptions at = delayed.runAt(START);
        assertThat(at.delay()).isEmpty();
        assertThat(at.runAt()).contains(START);
        assertThat(at.priority(JobPriority.HIGH).priority()).isEqualTo(JobPriority.HIGH);
        assertThat(at.priority()).isEqualTo(JobPriority.NORMAL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> base.delay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public long millis() {
            return now.toEpochMilli();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
