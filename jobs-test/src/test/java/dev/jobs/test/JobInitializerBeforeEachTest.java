package dev.jobs.test;

import static dev.jobs.test.JobAssertions.assertThat;

import dev.jobs.test.jobs.PricingJob;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A test class gives every test's harness the initializer once, in a {@code @BeforeEach}: it is the test's own harness. */
@JobTest
class JobInitializerBeforeEachTest {

    @BeforeEach
    void services(JobHarness harness) {
        harness.jobInitializer(job -> ((PricingJob) job).prices = item -> item.length() * 10);
    }

    @Test
    void theTestsHarnessHasTheInitializer(JobHarness harness) {
        assertThat(harness.run(new PricingJob(List.of("ab", "c")), Interruption.crashAtCheckpoint(1)))
                .isCompleted()
                .hasOutput(List.of(20, 10))
                .hasRestarts(1);
    }
}
