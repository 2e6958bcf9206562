package dev.jobs.runtime;

import static dev.jobs.runtime.Support.awaitStatus;
import static dev.jobs.runtime.Support.awaitStored;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.RetryPolicy;
import dev.jobs.runtime.testjobs.Gates;
import dev.jobs.runtime.testjobs.SplitJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A parent dispatches children from its run and waits for them without holding a worker. */
class ChildJobsTest {

    @TempDir
    Path dir;

    private JobManager open(int workers) {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(workers)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static long squares(int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (long) i * i;
        }
        return sum;
    }

    @Test
    void aWaitingParentFreesItsWorkerForItsChildrenAndResumesWithTheirOutputs() throws Exception {
        // one worker: a parent that held it while waiting would never see its children run
        try (JobManager jobs = open(1)) {
            JobHandle<Long> parent = jobs.dispatch(new SplitJob(5, null));
            assertThat(parent.result().get(20, TimeUnit.SECONDS)).isEqualTo(squares(5));
            List<JobInfo> children = jobs.children(parent.id());
            assertThat(children).hasSize(5);
            assertThat(children).allSatisfy(c -> {
                assertThat(c.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(c.parent()).contains(parent.id());
                assertThat(c.name()).isEqualTo("test.part");
            });
            JobInfo info = jobs.info(parent.id());
            assertThat(info.attempt())
                    .as("runs of the parent: before and after its wait")
                    .isEqualTo(2);
        }
    }

    @Test
    void aParentWaitsWhileAChildIsActive() throws Exception {
        String gate = "children-wait-" + System.nanoTime();
        try (JobManager jobs = open(2)) {
            JobHandle<Long> parent = jobs.dispatch(new SplitJob(2, gate));
            awaitStored(jobs, parent.id(), JobStatus.WAITING);
            assertThat(jobs.children(parent.id())).hasSize(2);
            assertThat(jobs.info(parent.id()).owner()).as("no worker holds it").isEmpty();
            Gates.open(gate);
            assertThat(parent.result().get(20, TimeUnit.SECONDS)).isEqualTo(squares(2));
        }
    }

    @Test
    void aFailedChildIsInTheOutcomesAndDoesNotFailTheParent() throws Exception {
        try (JobManager jobs = open(2)) {
            JobHandle<Long> parent = jobs.dispatch(new SplitJob(4, null).failingPart(3));
            assertThat(parent.result().get(20, TimeUnit.SECONDS)).isEqualTo(squares(3));
            assertThat(jobs.children(parent.id()))
                    .extracting(JobInfo::status)
                    .containsExactly(JobStatus.COMPLETED, JobStatus.COMPLETED, JobStatus.COMPLETED, JobStatus.FAILED);
        }
    }

    @Test
    void aParentRetriedFromItsCheckpointFindsTheChildrenItDispatchedInsteadOfAddingNew() throws Exception {
        try (JobManager jobs = open(2)) {
            JobHandle<Long> parent = jobs.dispatch(
                    new SplitJob(6, null).failAfterDispatch(),
                    DispatchOptions.defaults()
                            .retry(RetryPolicy.attempts(2)
                                    .withBackoff(Duration.ofMillis(10), Duration.ofMillis(10), 1.0)
                                    .withJitter(0)));
            assertThat(parent.result().get(20, TimeUnit.SECONDS)).isEqualTo(squares(6));
            assertThat(jobs.info(parent.id()).failedAttempts()).isEqualTo(1);
            assertThat(jobs.children(parent.id())).as("each child once").hasSize(6);
            assertThat(jobs.list(JobQuery.all().names("test.part"))).hasSize(6);
        }
    }

    @Test
    void cancellingAParentCancelsItsChildren() throws Exception {
        String gate = "children-cancel-" + System.nanoTime();
        try (JobManager jobs = open(2)) {
            JobHandle<Long> parent = jobs.dispatch(new SplitJob(4, gate));
            awaitStored(jobs, parent.id(), JobStatus.WAITING);
            assertThat(Gates.await(gate + ".started", 20_000)).isTrue(); // a child runs
            jobs.cancel(parent.id());
            assertThat(jobs.info(parent.id()).status()).isEqualTo(JobStatus.CANCELLED);
            Gates.open(gate); // the running children reach their interrupt point and honour the cancel
            for (JobInfo child : jobs.children(parent.id())) {
                awaitStored(jobs, child.id(), JobStatus.CANCELLED);
            }
            assertThat(jobs.children(parent.id()))
                    .allSatisfy(c -> assertThat(c.status()).isEqualTo(JobStatus.CANCELLED));
        }
    }

    @Test
    void aWaitingParentCannotBePausedAndSaysWhy() throws Exception {
        String gate = "children-pause-" + System.nanoTime();
        try (JobManager jobs = open(2)) {
            JobHandle<Long> parent = jobs.dispatch(new SplitJob(1, gate));
            awaitStored(jobs, parent.id(), JobStatus.WAITING);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> jobs.pause(parent.id()))
                    .isInstanceOf(IllegalJobStateException.class)
                    .hasMessageContaining("WAITING");
            Gates.open(gate);
            awaitStatus(jobs, parent.id(), JobStatus.COMPLETED);
        }
    }

    @Test
    void childrenOfAJobThatHasNoneAreEmpty() {
        try (JobManager jobs = open(1)) {
            assertThat(jobs.children(UUID.randomUUID())).isEmpty();
        }
    }
}
