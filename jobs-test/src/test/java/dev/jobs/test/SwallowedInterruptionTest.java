package dev.jobs.test;

import static dev.jobs.test.JobAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.test.jobs.ExceptionSwallowingJob;
import dev.jobs.test.jobs.GivingUpJob;
import dev.jobs.test.jobs.PauseSwallowingJob;
import dev.jobs.test.jobs.RethrowingJob;
import dev.jobs.test.jobs.ThrowableSwallowingJob;
import dev.jobs.test.jobs.WrappingJob;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After the harness asks for a pause, cancel or crash, the job must let it through: a run whose
 * job returns normally, throws something else, or goes on to another checkpoint or
 * checkInterrupt() fails with a message that says where the interruption was swallowed.
 */
@JobTest
class SwallowedInterruptionTest {

    private static final List<String> NUMBERS = List.of("1", "2", "x", "4", "5");
    private static final RethrowingJob.Totals TOTALS = new RethrowingJob.Totals(12, 1);

    @Test
    void pauseSwallowedByCatchExceptionFailsTheRunNamingTheCheckpointAndTheCall(JobHarness harness) {
        assertThatThrownBy(() -> harness.run(new ExceptionSwallowingJob(4), Interruption.pauseAtCheckpoint(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith(
                        "the job swallowed the interruption: for a pause at checkpoint 2, "
                                + "ctx.checkpoint() (called from dev.jobs.test.jobs.ExceptionSwallowingJob.run(ExceptionSwallowingJob.java:")
                .hasMessageContaining("threw JobInterruptedException, but the job caught it and went on "
                        + "to call ctx.checkInterrupt() again (call 3) instead of stopping")
                .hasMessageContaining("Rethrow JobInterruptedException")
                .hasMessageContaining("catch narrower exceptions");
    }

    @Test
    void cancelSwallowedAtCheckInterruptFailsTheRun(JobHarness harness) {
        assertThatThrownBy(() -> harness.run(new ExceptionSwallowingJob(4), Interruption.cancelAtCheckInterrupt(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the job swallowed the interruption: for a cancel at checkInterrupt() 2, "
                        + "ctx.checkInterrupt() (called from dev.jobs.test.jobs.ExceptionSwallowingJob.run(")
                .hasMessageContaining("threw JobInterruptedException, but the job caught it "
                        + "and went on to checkpoint 2 instead of stopping");
    }

    @Test
    void pauseSwallowedByCatchJobInterruptedExceptionFailsTheRun(JobHarness harness) {
        assertThatThrownBy(() -> harness.run(new PauseSwallowingJob(3), Interruption.pauseAtCheckpoint(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the job swallowed the interruption: for a pause at checkpoint 1")
                .hasMessageContaining("went on to checkpoint 2 instead of stopping");
    }

    @Test
    void crashSwallowedByCatchThrowableFailsTheRun(JobHarness harness) {
        assertThatThrownBy(() -> harness.run(new ThrowableSwallowingJob(4), Interruption.crashAtCheckpoint(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(
                        "the job swallowed the interruption: for a crash at checkpoint 2, ctx.checkpoint() "
                                + "(called from dev.jobs.test.jobs.ThrowableSwallowingJob.run(ThrowableSwallowingJob.java:")
                .hasMessageContaining("threw SimulatedCrash")
                .hasMessageContaining("but the job caught it and returned normally from run()")
                .hasMessageContaining("catch narrower exceptions than Throwable");
    }

    @Test
    void pauseSwallowedByCatchThrowableFailsTheRun(JobHarness harness) {
        assertThatThrownBy(() -> harness.run(new ThrowableSwallowingJob(4), Interruption.pauseAtCheckpoint(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the job swallowed the interruption: for a pause at checkpoint 2")
                .hasMessageContaining("went on to checkpoint 3 instead of stopping");
    }

    @Test
    void jobThatReturnsAfterACancelFailsTheRun(JobHarness harness) {
        assertThatThrownBy(() -> harness.run(new GivingUpJob(4), Interruption.cancelAtCheckpoint(2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the job swallowed the interruption: for a cancel at checkpoint 2")
                .hasMessageContaining("but the job caught it and returned normally from run()");
    }

    @Test
    void jobThatWrapsThePauseInAnotherExceptionFailsTheRun(JobHarness harness) {
        assertThatThrownBy(() -> harness.run(new WrappingJob(3), Interruption.pauseAtCheckpoint(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the job swallowed the interruption: for a pause at checkpoint 1")
                .hasMessageContaining(
                        "but the job ended run() by throwing java.lang.IllegalStateException: step 1 failed "
                                + "instead (it wraps the JobInterruptedException)");
    }

    @Test
    void verifierReportsAPauseSwallowedByCatchException(JobHarness harness) {
        // a crash gets through catch (Exception e), so the first point that fails is the pause
        assertThatThrownBy(() -> harness.assertResumesCorrectly(() -> new ExceptionSwallowingJob(3)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("after a pause at checkpoint 1 of 3 (seed ")
                .hasMessageContaining("): the job swallowed the interruption: for a pause at checkpoint 1");
    }

    @Test
    void verifierReportsACrashSwallowedByCatchThrowable(JobHarness harness) {
        assertThatThrownBy(() -> harness.assertResumesCorrectly(() -> new ThrowableSwallowingJob(3)))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("after a crash at checkpoint 1 of 3 (seed ")
                .hasMessageContaining("the job swallowed the interruption: for a crash at checkpoint 1")
                .hasMessageContaining("returned normally from run()");
    }

    @Test
    void verifierAcceptsAJobThatRethrowsTheInterruptionFromABroadCatch(JobHarness harness) {
        ResumeReport report = harness.assertResumesCorrectly(() -> new RethrowingJob(NUMBERS));
        assertThat(report.checkpoints()).isEqualTo(5);
        assertThat(report.pointsChecked()).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void jobThatRethrowsTheInterruptionIsPausedAtCheckInterrupt(JobHarness harness) {
        assertThat(harness.run(new RethrowingJob(NUMBERS), Interruption.pauseAtCheckInterrupt(3)))
                .isCompleted()
                .hasOutput(TOTALS)
                .hasPauses(1);
    }

    @Test
    void jobThatRethrowsTheInterruptionIsCancelledAtCheckInterrupt(JobHarness harness) {
        assertThat(harness.run(new RethrowingJob(NUMBERS), Interruption.cancelAtCheckInterrupt(3)))
                .isCancelled()
                .hasCheckpointCount(2);
    }
}
