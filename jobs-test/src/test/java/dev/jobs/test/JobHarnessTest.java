package dev.jobs.test;

import static dev.jobs.test.JobAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.Progress;
import dev.jobs.runtime.LogLine;
import dev.jobs.test.jobs.BrokenJob;
import dev.jobs.test.jobs.OneShotJob;
import dev.jobs.test.jobs.PauseSwallowingJob;
import dev.jobs.test.jobs.RepeatingJob;
import dev.jobs.test.jobs.SkippingJob;
import dev.jobs.test.jobs.SquaresJob;
import dev.jobs.test.jobs.StartingOverJob;
import dev.jobs.test.jobs.UnrestorableJob;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@JobTest
class JobHarnessTest {

    private static final List<Integer> SQUARES_5 = List.of(0, 1, 4, 9, 16);

    @Test
    void recordsProgressLogsAndCheckpointsOfARun(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(new SquaresJob(5));
        assertThat(run)
                .isCompleted()
                .hasOutput(SQUARES_5)
                .progressIsMonotonic()
                .reachesFullProgress()
                .loggedLineContaining("square 5")
                .hasCheckpointCount(5)
                .hasRestarts(0)
                .stateRoundTrips();
        assertThat(run.progress())
                .containsExactly(
                        Progress.count(1, 5),
                        Progress.count(2, 5),
                        Progress.count(3, 5),
                        Progress.count(4, 5),
                        Progress.count(5, 5));
        assertThat(run.logs())
                .extracting(LogLine::message)
                .containsExactly("square 1", "square 2", "square 3", "square 4", "square 5");
        assertThat(run.checkpoints().get(2).state()).containsEntry("next", 3);
        assertThat(run.checkpoints()).allSatisfy(c -> assertThat(c.stateBytes()).isPositive());
    }

    @Test
    void crashAtCheckpointRestartsFromCommittedState(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(new SquaresJob(5), Interruption.crashAtCheckpoint(3));
        assertThat(run).isCompleted().hasOutput(SQUARES_5).hasRestarts(1);
        // 3 checkpoints before the crash, then 2 more after resuming from the third
        assertThat(run.checkpoints()).extracting(c -> c.state().get("next")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void crashAtCheckInterruptResumesFromLastCheckpoint(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(new SquaresJob(5), Interruption.crashAtCheckInterrupt(4));
        assertThat(run).isCompleted().hasOutput(SQUARES_5).hasRestarts(1).hasPauses(0);
        // crashed before the fourth square, after checkpoint 3: the restart resumes from next=3 and
        // makes only checkpoints 4 and 5, reporting progress from 4/5 on (starting over would repeat 1/5..3/5)
        assertThat(run.checkpoints()).extracting(c -> c.state().get("next")).containsExactly(1, 2, 3, 4, 5);
        assertThat(run.progress())
                .containsExactly(
                        Progress.count(1, 5),
                        Progress.count(2, 5),
                        Progress.count(3, 5),
                        Progress.count(4, 5),
                        Progress.count(5, 5));
        assertThat(run.logs())
                .extracting(LogLine::message)
                .containsExactly("square 1", "square 2", "square 3", "square 4", "square 5");
    }

    @Test
    void pauseAtCheckInterruptThenResumeCompletes(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(new SquaresJob(5), Interruption.pauseAtCheckInterrupt(2));
        assertThat(run).isCompleted().hasOutput(SQUARES_5).hasRestarts(0).hasPauses(1);
        // paused before the second square with one checkpoint made; the resumed run makes the other 4
        assertThat(run.checkpoints()).extracting(c -> c.state().get("next")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void uninterruptedAndCrashedRunsDoNotPause(JobHarness harness) {
        assertThat(harness.run(new SquaresJob(3))).isCompleted().hasPauses(0);
        assertThat(harness.run(new SquaresJob(3), Interruption.crashAtCheckpoint(1)))
                .isCompleted()
                .hasPauses(0)
                .hasRestarts(1);
        assertThatThrownBy(() -> assertThat(harness.run(new SquaresJob(3))).hasPauses(1))
                .hasMessageContaining("expected 1 pauses but there were 0");
    }

    @Test
    void cancelAtCheckpointEndsCancelled(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(new SquaresJob(5), Interruption.cancelAtCheckpoint(2));
        assertThat(run).isCancelled().hasCheckpointCount(2);
    }

    @Test
    void failedRunReportsExceptionTypeAndMessage(JobHarness harness) {
        assertThat(harness.run(new BrokenJob())).failedWith(IllegalArgumentException.class, "no such input");
        assertThatThrownBy(() -> assertThat(harness.run(new BrokenJob())).isCompleted())
                .hasMessageContaining(
                        "to be COMPLETED but it was FAILED with error: java.lang.IllegalArgumentException: no such input");
    }

    @Test
    void verifierAcceptsACorrectJob(JobHarness harness) {
        ResumeReport report = harness.assertResumesCorrectly(() -> new SquaresJob(6));
        assertThat(report.checkpoints()).isEqualTo(6);
        assertThat(report.pointsChecked()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void verifierCatchesAJobThatRepeatsAnItemOnResume(JobHarness harness) {
        assertThatThrownBy(() -> harness.assertResumesCorrectly(() -> new RepeatingJob(4)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("after a crash at checkpoint 1 of 4")
                .hasMessageContaining("state at checkpoint 1: {count=4, next=0, done=[0]}")
                .hasMessageContaining("uninterrupted: [0,1,2,3]")
                .hasMessageContaining("resumed:       [0,0,1,2,3]");
    }

    @Test
    void verifierCatchesAJobThatSkipsAnItemOnResume(JobHarness harness) {
        assertThatThrownBy(() -> harness.assertResumesCorrectly(() -> new SkippingJob(4)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("after a crash at checkpoint 1 of 4")
                .hasMessageContaining("uninterrupted: [0,1,2,3]")
                .hasMessageContaining("resumed:       [0,2,3]");
    }

    @Test
    void verifierCatchesAJobThatStartsOverOnResume(JobHarness harness) {
        // the output is right after every interruption; only where the resumed run started gives it away
        assertThat(harness.run(new StartingOverJob(4), Interruption.crashAtCheckpoint(2)))
                .isCompleted()
                .hasOutput(14L)
                .hasRestarts(1)
                .hasCheckpointCount(2 + 4);
        assertThatThrownBy(() -> harness.assertResumesCorrectly(() -> new StartingOverJob(4)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("after a crash at checkpoint 1 of 4")
                .hasMessageContaining(
                        "the job made 4 checkpoints after resuming, but the uninterrupted run makes 3 after its checkpoint 1")
                .hasMessageContaining("it redid work done before the checkpoint it resumed from")
                .hasMessageContaining("state at checkpoint 1: {count=4}");
    }

    @Test
    void resumePointCheckCanBeTurnedOffForTimingDependentJobs(JobHarness harness) {
        ResumeReport report = harness.verifier(() -> new StartingOverJob(3))
                .checkResumePoint(false)
                .verify();
        assertThat(report.checkpoints()).isEqualTo(3);
    }

    @Test
    void verifierCatchesAJobThatSwallowsThePause(JobHarness harness) {
        assertThatThrownBy(() -> harness.assertResumesCorrectly(() -> new PauseSwallowingJob(3)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("after a pause at checkpoint 1 of 3")
                .hasMessageContaining("the job swallowed the interruption");
    }

    @Test
    void crashOfANonResumableJobEndsTheRunFailedWithoutWaiting(JobHarness harness) {
        // recovery fails the job as the restarted manager opens, and publishes no event for it
        JobRun<Integer> run = harness.run(new OneShotJob(4), Interruption.crashAtCheckInterrupt(2));
        assertThat(run).isFailed().hasRestarts(1);
        assertThat(run.error()).startsWith("interrupted:");
        assertThat(run.explanation())
                .hasValueSatisfying(e -> assertThat(e)
                        .startsWith(
                                "the job is FAILED: a non-resumable job fails when its run is interrupted by a crash")
                        .contains("mark it @Job(resumable = true)"));
    }

    @Test
    void statusAssertionExplainsWhyACrashedNonResumableJobFailed(JobHarness harness) {
        JobRun<Integer> run = harness.run(new OneShotJob(4), Interruption.crashAtCheckInterrupt(2));
        assertThatThrownBy(() -> assertThat(run).isCompleted())
                .hasMessageContaining(
                        "expected job harness.one_shot to be COMPLETED but it was FAILED with error: interrupted:")
                .hasMessageContaining("a non-resumable job fails when its run is interrupted by a crash");
    }

    @Test
    void failedRunWithoutACrashHasNoExplanation(JobHarness harness) {
        assertThat(harness.run(new BrokenJob()).explanation()).isEmpty();
    }

    @Test
    void verifierCatchesStateThatDoesNotRoundTrip(JobHarness harness) {
        assertThatThrownBy(() -> harness.assertResumesCorrectly(() -> new UnrestorableJob(3)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("checkpoint 1: the saved state cannot be read back")
                .hasMessageContaining("window");
    }

    @Test
    void verifierSamplesLargeJobsWithASeed(JobHarness harness) {
        ResumeReport report = harness.verifier(() -> new SquaresJob(60))
                .maxPoints(4)
                .seed(7)
                .checkPauses(false)
                .verify();
        assertThat(report.checkpoints()).isEqualTo(60);
        assertThat(report.pointsChecked()).hasSize(4).contains(1, 60);
        assertThat(harness.verifier(() -> new SquaresJob(60))
                        .maxPoints(4)
                        .seed(7)
                        .checkPauses(false)
                        .verify()
                        .pointsChecked())
                .isEqualTo(report.pointsChecked());
    }

    @Test
    void seedPropertySetsTheDefaultSeedAndSampledFailuresNameIt(JobHarness harness) {
        String before = System.getProperty(ResumeVerifier.SEED_PROPERTY);
        System.setProperty(ResumeVerifier.SEED_PROPERTY, "7");
        try {
            ResumeReport replayed = harness.verifier(() -> new SquaresJob(60))
                    .maxPoints(4)
                    .checkPauses(false)
                    .verify();
            ResumeReport seeded = harness.verifier(() -> new SquaresJob(60))
                    .maxPoints(4)
                    .seed(7)
                    .checkPauses(false)
                    .verify();
            assertThat(replayed.seed()).isEqualTo(7);
            assertThat(replayed.pointsChecked()).isEqualTo(seeded.pointsChecked());
            // an explicit seed wins over the property
            assertThat(harness.verifier(() -> new SquaresJob(3))
                            .seed(9)
                            .verify()
                            .seed())
                    .isEqualTo(9);
        } finally {
            if (before == null) {
                System.clearProperty(ResumeVerifier.SEED_PROPERTY);
            } else {
                System.setProperty(ResumeVerifier.SEED_PROPERTY, before);
            }
        }
        assertThatThrownBy(() -> harness.verifier(() -> new StartingOverJob(8))
                        .maxPoints(3)
                        .seed(5)
                        .checkPauses(false)
                        .verify())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("(seed 5)")
                .hasMessageEndingWith(
                        "(the 3 of 8 checkpoints tried were drawn with seed 5; -Djobs.test.seed=5 or .seed(5) tries the same ones)");
    }

    @Test
    void clockControlsRecordedTimesForRetention(JobHarness harness) throws Exception {
        var jobs = harness.manager();
        jobs.dispatch(new SquaresJob(1)).result().get();
        harness.clock().advance(Duration.ofDays(8));
        assertThat(jobs.clean(Duration.ofDays(7)).jobs()).isEqualTo(1);
    }
}
