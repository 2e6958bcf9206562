package dev.jobs.test;

import static dev.jobs.test.JobAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.NonRetryableException;
import dev.jobs.RetryPolicy;
import dev.jobs.runtime.DispatchOptions;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import dev.jobs.test.jobs.GivingUpJob;
import dev.jobs.test.jobs.GivingUpOnBadItemJob;
import dev.jobs.test.jobs.RepeatingJob;
import dev.jobs.test.jobs.RestartingSumJob;
import dev.jobs.test.jobs.RetryingSquaresJob;
import dev.jobs.test.jobs.SkippingOnRetryJob;
import dev.jobs.test.jobs.SquaresJob;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Failures injected at a checkpoint, the retries that follow, and the verifier's failure check. */
@JobTest
class RetryVerificationTest {

    private static final List<Integer> SQUARES_5 = List.of(0, 1, 4, 9, 16);

    @Test
    void failureAtCheckpointIsRetriedFromThatCheckpoint(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(new RetryingSquaresJob(5), Interruption.failAtCheckpoint(3));
        assertThat(run).isCompleted().hasOutput(SQUARES_5).hasRetries(1).hasRestarts(0);
        // 3 checkpoints before the failure, then the retry resumes from the third and makes 2 more
        assertThat(run.checkpoints()).extracting(c -> c.state().get("next")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void failureAtCheckInterruptIsRetriedFromTheLastCheckpoint(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(new RetryingSquaresJob(5), Interruption.failAtCheckInterrupt(4));
        assertThat(run).isCompleted().hasOutput(SQUARES_5).hasRetries(1);
        assertThat(run.checkpoints()).extracting(c -> c.state().get("next")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void failureOfAJobWithoutRetryPolicyEndsTheRunFailed(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(new SquaresJob(3), Interruption.failAtCheckpoint(2));
        assertThat(run)
                .failedWith(InjectedFailure.class, "failure injected by the test harness at checkpoint 2")
                .hasRetries(0);
    }

    @Test
    void dispatchOptionsGiveAJobWithoutPolicyARetry(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(
                new SquaresJob(3),
                Interruption.failAtCheckpoint(2),
                DispatchOptions.defaults().retry(RetryPolicy.attempts(2)));
        assertThat(run).isCompleted().hasOutput(List.of(0, 1, 4)).hasRetries(1);
    }

    @Test
    void retryOfAJobThatCheckpointsBeforeAdvancingRepeatsAnItem(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(
                new RepeatingJob(3),
                Interruption.failAtCheckpoint(2),
                DispatchOptions.defaults().retry(RetryPolicy.attempts(2)));
        assertThat(run).isCompleted().hasRetries(1).hasOutput(List.of(0, 1, 1, 2));
    }

    @Test
    void retryUnderRestartPolicyStartsFromTheDispatchedState(JobHarness harness) {
        JobRun<Long> run = harness.run(new RestartingSumJob(3), Interruption.failAtCheckpoint(2));
        assertThat(run).isCompleted().hasOutput(5L).hasRetries(1);
        assertThat(run.checkpoints()).extracting(c -> c.state().get("next")).containsExactly(1, 2, 1, 2, 3);
    }

    @Test
    void jobsOwnNonRetryableExceptionStillEndsItAtOnce(JobHarness harness) {
        JobRun<Integer> run = harness.run(new GivingUpOnBadItemJob(5, 2));
        assertThat(run)
                .failedWith(NonRetryableException.class, "item 2 is malformed")
                .hasRetries(0);
    }

    @Test
    void verifierChecksFailuresOfAJobWhosePolicyRetries(JobHarness harness) {
        ResumeReport report = harness.assertResumesCorrectly(() -> new RetryingSquaresJob(4));
        assertThat(report.failuresChecked()).isTrue();
        assertThat(report.pointsChecked()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void verifierLeavesFailuresOutForAJobWithoutPolicy(JobHarness harness) {
        ResumeReport report = harness.assertResumesCorrectly(() -> new SquaresJob(3));
        assertThat(report.failuresChecked()).isFalse();
    }

    @Test
    void verifierChecksFailuresOfAJobWithoutPolicyWhenAsked(JobHarness harness) {
        ResumeReport report =
                harness.verifier(() -> new SquaresJob(3)).checkFailures(true).verify();
        assertThat(report.failuresChecked()).isTrue();
    }

    @Test
    void verifierAcceptsAJobWhoseRetriesRestart(JobHarness harness) {
        ResumeReport report = harness.assertResumesCorrectly(() -> new RestartingSumJob(4));
        assertThat(report.failuresChecked()).isTrue();
    }

    @Test
    void verifierCatchesAJobThatSkipsAnItemOnRetry(JobHarness harness) {
        assertThatThrownBy(() -> harness.verifier(() -> new SkippingOnRetryJob(4))
                        .seed(7)
                        .verify())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith(
                        "after a failure injected at checkpoint 1 of 4 and a retry (seed 7) the output differs from the "
                                + "uninterrupted run's")
                .hasMessageContaining("state at checkpoint 1: {count=4, next=1, done=[0]}")
                .hasMessageContaining("uninterrupted: [0,1,2,3]")
                .hasMessageContaining("retried:       [0,2,3]");
    }

    @Test
    void verifierCatchesAJobThatCatchesTheInjectedFailure(JobHarness harness) {
        assertThatThrownBy(() -> harness.verifier(() -> new GivingUpJob(3))
                        .checkPauses(false)
                        .checkFailures(true)
                        .seed(7)
                        .verify())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith(
                        "after a failure injected at checkpoint 1 of 3 and a retry (seed 7) the job was retried 0 times "
                                + "instead of once: the job caught the InjectedFailure");
    }

    @Test
    void movingTheClockRunsADelayedJobThatBecameDue(JobHarness harness) throws Exception {
        JobManager jobs = harness.manager();
        JobHandle<List<Integer>> handle =
                jobs.dispatch(new SquaresJob(2), DispatchOptions.defaults().delay(Duration.ofHours(1)));
        assertThat(jobs.info(handle.id()).status()).isEqualTo(JobStatus.QUEUED);

        harness.clock().advance(Duration.ofHours(1));

        assertThat(handle.result().get(60, TimeUnit.SECONDS)).containsExactly(0, 1);
    }
}
