package dev.jobs.test;

import static dev.jobs.test.JobAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.runtime.JobInitializer;
import dev.jobs.test.jobs.PricingJob;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The harness takes the application's job initializer, so a job that gets services in transient
 * fields is tested as it runs: every object that runs is initialized, also after each simulated
 * crash, pause and resume.
 */
@JobTest
class JobInitializerHarnessTest {

    private static final List<String> ITEMS = List.of("apple", "pear", "fig");

    /** Prices by name length; counts its calls. */
    private final AtomicInteger calls = new AtomicInteger();

    private final JobInitializer initializer = job -> {
        calls.incrementAndGet();
        ((PricingJob) job).prices = item -> item.length();
    };

    @Test
    void aRunIsInitializedAndItsServiceIsNeverCheckpointed(JobHarness harness) {
        JobRun<List<Integer>> run = harness.jobInitializer(initializer).run(new PricingJob(ITEMS));

        assertThat(run).isCompleted().hasOutput(List.of(5, 4, 3)).hasCheckpointCount(3);
        assertThat(calls).hasValue(1);
        assertThat(run.checkpoints())
                .allSatisfy(c -> assertThat(c.state()).containsKey("next").doesNotContainKey("prices"));
    }

    @Test
    void theObjectRestoredAfterACrashIsInitializedToo(JobHarness harness) {
        JobRun<List<Integer>> run =
                harness.jobInitializer(initializer).run(new PricingJob(ITEMS), Interruption.crashAtCheckpoint(2));

        assertThat(run).isCompleted().hasOutput(List.of(5, 4, 3)).hasRestarts(1);
        assertThat(calls).hasValue(2);
    }

    @Test
    void theResumeVerifierInitializesEveryObjectItRuns(JobHarness harness) {
        ResumeReport report = harness.jobInitializer(initializer).assertResumesCorrectly(() -> new PricingJob(ITEMS));

        // the uninterrupted run, then at each of the 3 checkpoints a crash and a pause, each of
        // which runs one object before and one after: 1 + 3 * 2 * 2
        assertThat(report.checkpoints()).isEqualTo(3);
        assertThat(calls).hasValue(13);
    }

    @Test
    void withoutTheInitializerTheJobFailsAsInTheApplication(JobHarness harness) {
        JobRun<List<Integer>> run = harness.run(new PricingJob(ITEMS));

        assertThat(run).failedWith(IllegalStateException.class, "no prices service");
    }
}
