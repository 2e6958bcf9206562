package dev.jobs.runtime.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scheduler's decision of how many queued jobs one claim takes. */
class ClaimSizerTest {

    private static final long SHORT = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long LONG = TimeUnit.SECONDS.toNanos(1);

    private final ClaimSizer sizer = new ClaimSizer(4, 256);

    @Test
    void noClaimWhileEveryWorkerIsBusy() {
        assertThat(sizer.size(0, 0, true, SHORT)).isZero();
    }

    @Test
    void noClaimWhileClaimedJobsStillWaitForAWorker() {
        assertThat(sizer.size(3, 1, true, SHORT)).isZero();
    }

    @Test
    void noClaimAfterTheQueueWasFoundEmptyUntilWorkIsSignalled() {
        assertThat(sizer.size(4, 0, false, SHORT)).isZero();
    }

    @Test
    void beforeAnyRunWasMeasuredAClaimTakesOneJobPerIdleWorker() {
        assertThat(sizer.size(3, 0, true, ClaimSizer.UNMEASURED)).isEqualTo(3);
    }

    @Test
    void whileRunsAreLongAClaimTakesOneJobPerIdleWorker() {
        assertThat(sizer.size(2, 0, true, LONG)).isEqualTo(2);
    }

    @Test
    void whileRunsAreShortAClaimTakesTheWholeBatchEvenForOneIdleWorker() {
        assertThat(sizer.size(1, 0, true, SHORT)).isEqualTo(256);
    }

    @Test
    void runsOfExactlyTheThresholdCountAsLong() {
        assertThat(sizer.size(2, 0, true, ClaimSizer.SHORT_RUN_NANOS)).isEqualTo(2);
        assertThat(sizer.size(2, 0, true, ClaimSizer.SHORT_RUN_NANOS - 1)).isEqualTo(256);
    }

    @Test
    void theBatchIsNeverSmallerThanTheNumberOfWorkers() {
        ClaimSizer smallBatch = new ClaimSizer(8, 2);
        assertThat(smallBatch.size(8, 0, true, SHORT)).isEqualTo(8);
    }

    @Test
    void theFirstMeasuredRunSetsTheAverage() {
        assertThat(ClaimSizer.averaged(ClaimSizer.UNMEASURED, SHORT)).isEqualTo(SHORT);
    }

    @Test
    void oneSlowRunAmongShortOnesKeepsClaimingInBatches() {
        long average = ClaimSizer.averaged(ClaimSizer.UNMEASURED, SHORT);
        average = ClaimSizer.averaged(average, TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(sizer.size(1, 0, true, average)).isEqualTo(256);
    }

    @Test
    void aSeriesOfSlowRunsSwitchesToOneJobPerIdleWorker() {
        long average = ClaimSizer.averaged(ClaimSizer.UNMEASURED, SHORT);
        int slowRuns = 0;
        while (sizer.size(1, 0, true, average) != 1) {
            average = ClaimSizer.averaged(average, TimeUnit.MILLISECONDS.toNanos(100));
            slowRuns++;
            assertThat(slowRuns).as("slow runs needed to stop batching").isLessThan(10);
        }
        assertThat(slowRuns).isGreaterThan(1);
    }

    @Test
    void aSeriesOfShortRunsAfterLongOnesSwitchesBackToBatches() {
        long average = ClaimSizer.averaged(ClaimSizer.UNMEASURED, LONG);
        int shortRuns = 0;
        while (sizer.size(1, 0, true, average) != 256) {
            average = ClaimSizer.averaged(average, SHORT);
            shortRuns++;
            assertThat(shortRuns).as("short runs needed to batch again").isLessThan(100);
        }
        assertThat(shortRuns).isGreaterThan(1);
    }
}
