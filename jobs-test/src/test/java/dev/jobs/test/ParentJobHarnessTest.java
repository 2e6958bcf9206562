package dev.jobs.test;

import static dev.jobs.test.JobAssertions.assertThat;

import dev.jobs.test.jobs.FanOutJob;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness on a parent job: its children run beside it, and only the parent is interrupted. */
@JobTest
class ParentJobHarnessTest {

    private static final List<Integer> SIZES_4 = List.of(1, 2, 3, 4);

    @Test
    void aParentCrashedBetweenDispatchingAChildAndItsCheckpointMakesNoSecondChild(JobHarness harness) {
        for (int call = 1; call <= 4; call++) {
            JobRun<List<Integer>> run = harness.run(new FanOutJob(4), Interruption.crashAtCheckInterrupt(call));
            assertThat(run).isCompleted().hasRestarts(1).hasOutput(SIZES_4);
        }
    }

    @Test
    void aParentPausedBetweenDispatchingAChildAndItsCheckpointMakesNoSecondChild(JobHarness harness) {
        for (int call = 1; call <= 4; call++) {
            JobRun<List<Integer>> run = harness.run(new FanOutJob(4), Interruption.pauseAtCheckInterrupt(call));
            assertThat(run).isCompleted().hasPauses(1).hasOutput(SIZES_4);
        }
    }

    @Test
    void theVerifierProvesTheParentResumesCorrectly(JobHarness harness) {
        ResumeReport report = harness.assertResumesCorrectly(() -> new FanOutJob(4));
        org.assertj.core.api.Assertions.assertThat(report.checkpoints()).isEqualTo(4);
    }
}
