package dev.jobs.runtime;

import static dev.jobs.runtime.Support.awaitStatus;
import static dev.jobs.runtime.Support.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobPriority;
import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.BlockingJob;
import dev.jobs.runtime.testjobs.FailingJob;
import dev.jobs.runtime.testjobs.GateJob;
import dev.jobs.runtime.testjobs.Gates;
import dev.jobs.runtime.testjobs.StepJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {

    @TempDir
    Path dir;

    private static String key() {
        return UUID.randomUUID().toString();
    }

    @Test
    void completesJobAndReturnsItsOutput() throws Exception {
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<Long> handle = jobs.dispatch(new StepJob(20, null));
            assertThat(handle.result().get(20, TimeUnit.SECONDS)).isEqualTo(StepJob.expected(20));
            JobInfo info = jobs.info(handle.id());
            assertThat(info.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(info.output()).contains(Long.toString(StepJob.expected(20)));
            assertThat(info.progress())
                    .hasValueSatisfying(p -> assertThat(p.fraction()).hasValue(1.0));
            assertThat(info.attempt()).isEqualTo(1);
        }
    }

    @Test
    void pauseThenResumeContinuesFromSavedState() throws Exception {
        String k = key();
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<String> handle = jobs.dispatch(new GateJob(k));
            Gates.await(k + ".started", 20_000);
            jobs.pause(handle.id());
            awaitStatus(jobs, handle.id(), JobStatus.PAUSED);
            assertThat(handle.result()).isNotDone();

            jobs.resume(handle.id());
            assertThat(Gates.await(k + ".resumed", 20_000))
                    .as("resumed with isResuming() true")
                    .isTrue();
            Gates.open(k + ".release");
            assertThat(handle.result().get(20, TimeUnit.SECONDS)).isEqualTo(k);
            assertThat(jobs.info(handle.id()).attempt()).isEqualTo(2);
        }
    }

    @Test
    void aPauseNotYetReachedShowsAsRequestedWithTheRunsLease() throws Exception {
        String k = key();
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<String> handle = jobs.dispatch(new BlockingJob(k));
            Gates.await(k + ".started", 20_000);
            assertThat(jobs.info(handle.id()).requested()).isEmpty();
            assertThat(jobs.info(handle.id()).leaseUntil()).isPresent();

            jobs.pause(handle.id());
            JobInfo pausing = jobs.info(handle.id());
            assertThat(pausing.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(pausing.requested()).contains(JobStatus.PAUSED);

            jobs.cancel(handle.id());
            assertThat(jobs.info(handle.id()).requested()).contains(JobStatus.CANCELLED);

            Gates.open(k + ".release");
            awaitStatus(jobs, handle.id(), JobStatus.CANCELLED);
            JobInfo cancelled = jobs.info(handle.id());
            assertThat(cancelled.requested()).isEmpty();
            assertThat(cancelled.leaseUntil()).isEmpty();
        }
    }

    @Test
    void pausedJobStaysPausedAcrossRestartAndResumes() throws Exception {
        String k = key();
        Path db = dir.resolve("jobs.db");
        UUID id;
        try (JobManager jobs = open(db)) {
            id = jobs.dispatch(new GateJob(k)).id();
            Gates.await(k + ".started", 20_000);
            jobs.pause(id);
            awaitStatus(jobs, id, JobStatus.PAUSED);
        }
        try (JobManager jobs = open(db)) {
            assertThat(jobs.info(id).status()).isEqualTo(JobStatus.PAUSED);
            JobHandle<?> handle = jobs.handle(id);
            Gates.open(k + ".release");
            jobs.resume(id);
            assertThat(handle.result().get(20, TimeUnit.SECONDS)).isEqualTo(k);
            assertThat(Gates.get(k + ".resumed").getCount()).isZero();
        }
    }

    @Test
    void cancelsQueuedJob() throws Exception {
        String blocker = key();
        try (JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).workers(1).build()) {
            jobs.dispatch(new GateJob(blocker));
            Gates.await(blocker + ".started", 20_000);
            JobHandle<Long> queued = jobs.dispatch(new StepJob(5, null));
            jobs.cancel(queued.id());
            assertThat(jobs.info(queued.id()).status()).isEqualTo(JobStatus.CANCELLED);
            assertThatThrownBy(() -> queued.result().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(JobCancelledException.class);
            Gates.open(blocker + ".release");
        }
    }

    @Test
    void cancelsRunningJob() throws Exception {
        String k = key();
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<String> handle = jobs.dispatch(new GateJob(k));
            Gates.await(k + ".started", 20_000);
            jobs.cancel(handle.id());
            assertThatThrownBy(() -> handle.result().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JobCancelledException.class);
            assertThat(jobs.info(handle.id()).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(jobs.info(handle.id()).completedAt()).isPresent();
        }
    }

    @Test
    void cancelsPausedJob() throws Exception {
        String k = key();
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<String> handle = jobs.dispatch(new GateJob(k));
            Gates.await(k + ".started", 20_000);
            jobs.pause(handle.id());
            awaitStatus(jobs, handle.id(), JobStatus.PAUSED);
            jobs.cancel(handle.id());
            assertThat(jobs.info(handle.id()).status()).isEqualTo(JobStatus.CANCELLED);
            assertThatThrownBy(() -> handle.result().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JobCancelledException.class);
        }
    }

    @Test
    void runsHigherPriorityFirstThenOldest() throws Exception {
        String blocker = key();
        try (JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).workers(1).build()) {
            jobs.dispatch(new GateJob(blocker));
            Gates.await(blocker + ".started", 20_000);
            List<String> keys = List.of(key(), key(), key(), key(), key());
            keys.forEach(k -> Gates.open(k + ".release"));
            JobHandle<String> low = jobs.dispatch(new GateJob(keys.get(0)), JobPriority.LOW);
            jobs.dispatch(new GateJob(keys.get(1)), JobPriority.NORMAL);
            jobs.dispatch(new GateJob(keys.get(2)), JobPriority.CRITICAL);
            jobs.dispatch(new GateJob(keys.get(3)), JobPriority.HIGH);
            jobs.dispatch(new GateJob(keys.get(4)), JobPriority.HIGH);
            Gates.open(blocker + ".release");
            low.result().get(20, TimeUnit.SECONDS); // the LOW job runs last of all
            List<String> order = GateJob.STARTED.stream().filter(keys::contains).toList();
            assertThat(order).containsExactly(keys.get(2), keys.get(3), keys.get(4), keys.get(1), keys.get(0));
        }
    }

    @Test
    void recordsThrownExceptionAsFailed() throws Exception {
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<Void> handle = jobs.dispatch(new FailingJob());
            assertThatThrownBy(() -> handle.result().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JobFailedException.class)
                    .hasMessageContaining("java.lang.IllegalStateException: boom");
            JobInfo info = jobs.info(handle.id());
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
            assertThat(info.error()).hasValue("java.lang.IllegalStateException: boom");
            assertThat(info.errorTrace())
                    .hasValueSatisfying(t -> assertThat(t).contains("at dev.jobs.runtime.testjobs.FailingJob.run"));
            // the worker survived: another job still runs
            assertThat(jobs.dispatch(new StepJob(3, null)).result().get(20, TimeUnit.SECONDS))
                    .isEqualTo(StepJob.expected(3));
        }
    }

    @Test
    void rejectsPauseAndCancelOfFinishedJobWithoutChangingIt() throws Exception {
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            JobHandle<Long> handle = jobs.dispatch(new StepJob(2, null));
            handle.result().get(20, TimeUnit.SECONDS);
            assertThatThrownBy(() -> jobs.pause(handle.id()))
                    .isInstanceOf(IllegalJobStateException.class)
                    .hasMessageContaining("it is COMPLETED");
            assertThatThrownBy(() -> jobs.cancel(handle.id())).isInstanceOf(IllegalJobStateException.class);
            assertThatThrownBy(() -> jobs.resume(handle.id())).isInstanceOf(IllegalJobStateException.class);
            assertThat(jobs.info(handle.id()).status()).isEqualTo(JobStatus.COMPLETED);
        }
    }

    @Test
    void rejectsControlOfUnknownId() {
        try (JobManager jobs = open(dir.resolve("jobs.db"))) {
            UUID unknown = UUID.randomUUID();
            assertThatThrownBy(() -> jobs.pause(unknown))
                    .isInstanceOf(JobNotFoundException.class)
                    .hasMessageContaining(unknown.toString());
            assertThatThrownBy(() -> jobs.cancel(unknown)).isInstanceOf(JobNotFoundException.class);
            assertThatThrownBy(() -> jobs.info(unknown)).isInstanceOf(JobNotFoundException.class);
        }
    }

    @Test
    void closedManagerRejectsCallsClearly() {
        JobManager jobs = open(dir.resolve("jobs.db"));
        jobs.close();
        assertThatThrownBy(() -> jobs.dispatch(new StepJob(1, null)))
                .isInstanceOf(ManagerClosedException.class)
                .hasMessageContaining("the JobManager is closed");
        assertThatThrownBy(() -> jobs.info(UUID.randomUUID())).isInstanceOf(ManagerClosedException.class);
        jobs.close(); // idempotent
    }

    @Test
    void closeSavesRunningResumableJobAndNextStartResumesIt() throws Exception {
        String k = key();
        Path db = dir.resolve("jobs.db");
        UUID id;
        try (JobManager jobs = JobManager.builder()
                .database(db)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build()) {
            id = jobs.dispatch(new GateJob(k)).id();
            Gates.await(k + ".started", 20_000);
        }
        Gates.open(k + ".release");
        try (JobManager jobs = open(db)) {
            assertThat(jobs.handle(id).result().get(20, TimeUnit.SECONDS)).isEqualTo(k);
            assertThat(Gates.get(k + ".resumed").getCount()).isZero();
        }
    }
}
