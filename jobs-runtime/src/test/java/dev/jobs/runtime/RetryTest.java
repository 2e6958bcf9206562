package dev.jobs.runtime;

import static dev.jobs.runtime.Support.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.RetryPolicy;
import dev.jobs.runtime.DelayedJobsTest.ManualClock;
import dev.jobs.runtime.events.JobEvent;
import dev.jobs.runtime.testing.TestHooks;
import dev.jobs.runtime.testjobs.RetryStepJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries: a failed attempt waits QUEUED for its backoff, on the manager's clock (moved by hand
 * here), then continues from its last checkpoint. {@link RetryStepJob} writes one line per step
 * it runs, so a step run twice shows.
 */
class RetryTest {

    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);
    private final LinkedBlockingQueue<JobEvent.RetryScheduled> retries = new LinkedBlockingQueue<>();

    private JobManager open() {
        JobManager jobs = JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(1)
                .clock(clock)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build();
        jobs.addListener(e -> {
            if (e instanceof JobEvent.RetryScheduled r) {
                retries.add(r);
            }
        });
        return jobs;
    }

    private Path log() {
        return dir.resolve("steps.txt");
    }

    /** The lines "step attempt isRetry" the job wrote. */
    private List<String> steps() throws IOException {
        return Files.exists(log()) ? Files.readAllLines(log()) : List.of();
    }

    private JobEvent.RetryScheduled nextRetry() throws InterruptedException {
        JobEvent.RetryScheduled r = retries.poll(20, TimeUnit.SECONDS);
        assertThat(r).as("a RetryScheduled event").isNotNull();
        return r;
    }

    private void advance(JobManager jobs, Duration by) {
        clock.advance(by);
        TestHooks.clockMoved(jobs);
    }

    @Test
    void aFailedAttemptIsRetriedFromItsLastCheckpoint() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> h = jobs.dispatch(new RetryStepJob(log(), 3, 1, "io"));
            JobEvent.RetryScheduled retry = nextRetry();
            assertThat(retry.failedAttempt()).isEqualTo(1);
            assertThat(retry.retryAt()).isEqualTo(START.plusSeconds(10));
            assertThat(retry.error()).isEqualTo("java.io.IOException: step 3 failed on attempt 1");

            advance(jobs, Duration.ofSeconds(10));
            assertThat(h.result().get(20, TimeUnit.SECONDS))
                    .as("the attempt that completed")
                    .isEqualTo(2);
            assertThat(steps())
                    .as("steps saved before the failure are not run again")
                    .containsExactly("0 1 false", "1 1 false", "2 1 false", "3 2 true", "4 2 true");
        }
    }

    @Test
    void aJobWaitingForItsRetryIsQueuedWithItsRetryTimeAndItsError() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> h = jobs.dispatch(new RetryStepJob(log(), 3, 1, "io"));
            nextRetry();
            awaitStatus(jobs, h.id(), JobStatus.QUEUED);
            JobInfo info = jobs.info(h.id());
            assertThat(info.retrying()).isTrue();
            assertThat(info.runAt()).contains(START.plusSeconds(10));
            assertThat(info.failedAttempts()).isEqualTo(1);
            assertThat(info.maxAttempts()).isEqualTo(3);
            assertThat(info.error()).contains("java.io.IOException: step 3 failed on attempt 1");
            assertThat(info.failures()).singleElement().satisfies(f -> {
                assertThat(f.attempt()).isEqualTo(1);
                assertThat(f.at()).isEqualTo(START);
                assertThat(f.error()).isEqualTo("java.io.IOException: step 3 failed on attempt 1");
                assertThat(f.trace()).hasValueSatisfying(t -> assertThat(t).contains("RetryStepJob.run"));
            });
            assertThat(h.result()).as("the result waits for the retry").isNotDone();
        }
    }

    @Test
    void theDelayGrowsByTheMultiplierBetweenAttempts() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> h = jobs.dispatch(new RetryStepJob(log(), 0, 2, "io"));
            assertThat(nextRetry().retryAt()).isEqualTo(START.plusSeconds(10));
            advance(jobs, Duration.ofSeconds(10));
            assertThat(nextRetry().retryAt()).isEqualTo(START.plusSeconds(10 + 20));
            advance(jobs, Duration.ofSeconds(20));
            assertThat(h.result().get(20, TimeUnit.SECONDS)).isEqualTo(3);
        }
    }

    @Test
    void theLastAttemptFailsTheJobKeepingEveryAttemptsError() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> h = jobs.dispatch(new RetryStepJob(log(), 1, 99, "io"));
            nextRetry();
            advance(jobs, Duration.ofSeconds(10));
            nextRetry();
            advance(jobs, Duration.ofSeconds(20));
            assertThatThrownBy(() -> h.result().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(JobFailedException.class)
                    .hasMessageContaining("step 1 failed on attempt 3");
            JobInfo info = jobs.info(h.id());
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
            assertThat(info.failedAttempts()).isEqualTo(3);
            assertThat(info.failures())
                    .extracting(FailedAttempt::error)
                    .containsExactly(
                            "java.io.IOException: step 1 failed on attempt 1",
                            "java.io.IOException: step 1 failed on attempt 2",
                            "java.io.IOException: step 1 failed on attempt 3");
            assertThat(retries).as("no retry after the last attempt").isEmpty();
        }
    }

    @Test
    void aNonRetryableExceptionFailsTheJobAtOnce() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> h = jobs.dispatch(new RetryStepJob(log(), 1, 1, "nonretryable"));
            assertThatThrownBy(() -> h.result().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JobFailedException.class)
                    .hasMessageContaining("NonRetryableException: step 1 cannot work");
            assertThat(jobs.info(h.id()).failedAttempts()).isEqualTo(1);
            assertThat(retries).isEmpty();
        }
    }

    @Test
    void anExceptionTypeThePolicyDoesNotRetryFailsTheJobAtOnce() throws Exception {
        try (JobManager jobs = open()) {
            RetryPolicy policy = RetryPolicy.attempts(3).withNoRetryFor(IllegalStateException.class);
            JobHandle<Integer> h = jobs.dispatch(
                    new RetryStepJob(log(), 1, 1, "state"),
                    DispatchOptions.defaults().retry(policy));
            assertThatThrownBy(() -> h.result().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JobFailedException.class)
                    .hasMessageContaining("IllegalStateException");
            assertThat(retries).isEmpty();
        }
    }

    @Test
    void aDispatchsOwnPolicyReplacesTheTypes() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> h = jobs.dispatch(
                    new RetryStepJob(log(), 1, 1, "io"),
                    DispatchOptions.defaults().retry(RetryPolicy.none()));
            assertThatThrownBy(() -> h.result().get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(JobFailedException.class);
            assertThat(jobs.info(h.id()).maxAttempts()).isEqualTo(1);
            assertThat(retries).isEmpty();
        }
    }

    @Test
    void aPolicyThatRestartsRunsTheJobFromItsDispatchedState() throws Exception {
        try (JobManager jobs = open()) {
            RetryPolicy restart = RetryPolicy.attempts(2)
                    .withBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5), 1.0)
                    .withJitter(0)
                    .withRestart();
            JobHandle<Integer> h = jobs.dispatch(
                    new RetryStepJob(log(), 2, 1, "io"),
                    DispatchOptions.defaults().retry(restart));
            assertThat(nextRetry().retryAt()).isEqualTo(START.plusSeconds(5));
            advance(jobs, Duration.ofSeconds(5));
            assertThat(h.result().get(20, TimeUnit.SECONDS)).isEqualTo(2);
            assertThat(steps())
                    .containsExactly(
                            "0 1 false", "1 1 false", "0 2 true", "1 2 true", "2 2 true", "3 2 true", "4 2 true");
        }
    }

    @Test
    void aRetryWaitingForItsTimeSurvivesARestartOfTheManager() throws Exception {
        UUID id;
        try (JobManager jobs = open()) {
            id = jobs.dispatch(new RetryStepJob(log(), 3, 1, "io")).id();
            nextRetry();
            awaitStatus(jobs, id, JobStatus.QUEUED);
        }
        try (JobManager jobs = open()) {
            assertThat(jobs.info(id).retrying()).isTrue();
            advance(jobs, Duration.ofSeconds(10));
            awaitStatus(jobs, id, JobStatus.COMPLETED);
            assertThat(steps()).containsExactly("0 1 false", "1 1 false", "2 1 false", "3 2 true", "4 2 true");
        }
    }

    @Test
    void aPauseAskedOfAJobWaitingForItsRetryHoldsIt() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> h = jobs.dispatch(new RetryStepJob(log(), 3, 1, "io"));
            nextRetry();
            awaitStatus(jobs, h.id(), JobStatus.QUEUED);
            jobs.pause(h.id());
            advance(jobs, Duration.ofSeconds(10));
            assertThat(jobs.info(h.id()).status()).isEqualTo(JobStatus.PAUSED);
            jobs.resume(h.id());
            assertThat(h.result().get(20, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }
}
