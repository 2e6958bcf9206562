package dev.jobs.runtime;

import static dev.jobs.runtime.Support.awaitStored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.AppendJob;
import dev.jobs.runtime.testjobs.BlockingJob;
import dev.jobs.runtime.testjobs.FailingJob;
import dev.jobs.runtime.testjobs.Gates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chains: each step runs once the step before it completed, and a failed step stops the rest. */
class ChainTest {

    @TempDir
    Path dir;

    private JobManager open() {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(3)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void eachStepRunsAfterTheOneBeforeCompletedAndReadsItsOutput() throws Exception {
        try (JobManager jobs = open()) {
            ChainHandle chain = jobs.chain(new AppendJob("a"))
                    .then(new AppendJob("b"))
                    .then(new AppendJob("c"))
                    .dispatch();
            assertThat(chain.result().get(20, TimeUnit.SECONDS)).isEqualTo("abc");
            ChainInfo info = chain.info();
            assertThat(info.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(info.progress()).isEqualTo(1.0);
            List<JobInfo> steps = info.steps();
            assertThat(steps)
                    .extracting(JobInfo::output)
                    .extracting(o -> o.orElseThrow())
                    .containsExactly("\"a\"", "\"ab\"", "\"abc\"");
            for (int i = 1; i < steps.size(); i++) {
                assertThat(steps.get(i).after()).contains(steps.get(i - 1).id());
                assertThat(steps.get(i).startedAt().orElseThrow())
                        .isAfterOrEqualTo(steps.get(i - 1).completedAt().orElseThrow());
                assertThat(steps.get(i).chain()).contains(chain.id());
            }
        }
    }

    @Test
    void theStepsAfterTheFirstWaitUntilItCompletes() throws Exception {
        String gate = "chain-wait-" + System.nanoTime();
        try (JobManager jobs = open()) {
            ChainHandle chain =
                    jobs.chain(new BlockingJob(gate)).then(new AppendJob("x")).dispatch();
            assertThat(Gates.await(gate + ".started", 20_000)).isTrue();
            assertThat(chain.info().status()).isEqualTo(JobStatus.RUNNING);
            assertThat(chain.steps().get(1).status()).isEqualTo(JobStatus.WAITING);
            Gates.open(gate + ".release");
            assertThat(chain.result().get(20, TimeUnit.SECONDS)).isEqualTo(gate + "x");
        }
    }

    @Test
    void aFailedStepCancelsTheStepsAfterIt() throws Exception {
        try (JobManager jobs = open()) {
            ChainHandle chain = jobs.chain(new AppendJob("a"))
                    .then(new FailingJob())
                    .then(new AppendJob("c"))
                    .then(new AppendJob("d"))
                    .dispatch();
            assertThatThrownBy(() -> chain.result().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(JobCancelledException.class);
            ChainInfo info = chain.info();
            assertThat(info.steps())
                    .extracting(JobInfo::status)
                    .containsExactly(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.CANCELLED);
            assertThat(info.steps().get(2).error().orElseThrow())
                    .contains(info.steps().get(1).id().toString())
                    .contains("FAILED");
            assertThat(info.status()).isEqualTo(JobStatus.FAILED);
        }
    }

    @Test
    void aChainThatContinuesOnFailureRunsEveryStep() throws Exception {
        try (JobManager jobs = open()) {
            ChainHandle chain = jobs.chain(new FailingJob())
                    .then(new AppendJob("b"))
                    .continueOnFailure()
                    .dispatch();
            assertThat(chain.result().get(20, TimeUnit.SECONDS))
                    .as("no output before it")
                    .isEqualTo("b");
            assertThat(chain.info().status()).isEqualTo(JobStatus.FAILED);
        }
    }

    @Test
    void cancellingAChainCancelsTheRunningStepAndTheRest() throws Exception {
        String gate = "chain-cancel-" + System.nanoTime();
        try (JobManager jobs = open()) {
            ChainHandle chain = jobs.chain(new BlockingJob(gate))
                    .then(new AppendJob("b"))
                    .then(new AppendJob("c"))
                    .dispatch();
            assertThat(Gates.await(gate + ".started", 20_000)).isTrue();
            chain.cancel();
            assertThat(chain.steps().get(1).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(chain.steps().get(2).status()).isEqualTo(JobStatus.CANCELLED);
            Gates.open(gate + ".release");
            awaitStored(jobs, chain.steps().get(0).id(), JobStatus.CANCELLED);
            assertThat(chain.info().status()).isEqualTo(JobStatus.CANCELLED);
        }
    }

    @Test
    void aChainIsFoundByItsIdWithItsSteps() throws Exception {
        try (JobManager jobs = open()) {
            ChainHandle chain =
                    jobs.chain(new AppendJob("a")).then(new AppendJob("b")).dispatch();
            chain.result().get(20, TimeUnit.SECONDS);
            ChainHandle found = jobs.findChain(chain.id()).orElseThrow();
            assertThat(found.steps())
                    .extracting(JobHandle::id)
                    .containsExactlyElementsOf(
                            chain.steps().stream().map(JobHandle::id).toList());
            assertThat(found.result().get(1, TimeUnit.SECONDS)).isEqualTo("ab");
            assertThat(jobs.findChain(java.util.UUID.randomUUID())).isEmpty();
        }
    }

    @Test
    void aChainRefusesAUniqueKey() {
        try (JobManager jobs = open()) {
            assertThatThrownBy(() -> jobs.chain(new AppendJob("a"))
                            .options(DispatchOptions.defaults().uniqueKey("k"))
                            .dispatch())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unique key");
        }
    }

    @Test
    void theStepsAFailedStepCancelledPublishTheirCancelledEventOnce() throws Exception {
        java.util.Map<java.util.UUID, java.util.concurrent.atomic.AtomicInteger> cancelled =
                new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        ChainHandle chain;
        try (JobManager jobs = JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(2)
                .listener(event -> {
                    if (event instanceof dev.jobs.runtime.events.JobEvent.Cancelled c) {
                        cancelled
                                .computeIfAbsent(c.jobId(), k -> new java.util.concurrent.atomic.AtomicInteger())
                                .incrementAndGet();
                        both.countDown();
                    }
                })
                .build()) {
            chain = jobs.chain(new FailingJob())
                    .then(new AppendJob("b"))
                    .then(new AppendJob("c"))
                    .dispatch();
            ChainHandle dispatched = chain;
            assertThatThrownBy(() -> dispatched.result().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JobCancelledException.class);
            assertThat(both.await(20, TimeUnit.SECONDS)).isTrue();
            // a later look of the store watcher finds nothing more to publish
            assertThat(jobs.chainInfo(chain.id()).status()).isEqualTo(JobStatus.FAILED);
        }
        assertThat(cancelled)
                .containsOnlyKeys(cancelled.keySet().stream().toList()); // the two later steps, each counted once
        assertThat(cancelled.values())
                .hasSize(2)
                .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    @Test
    void aChainWithAStepOfNoRegisteredTypeIsRefusedWholeAndStoresNothing() {
        dev.jobs.JobHandler<String> unregistered = ctx -> "x";
        try (JobManager jobs = open()) {
            assertThatThrownBy(() ->
                            jobs.chain(new AppendJob("a")).then(unregistered).dispatch())
                    .isInstanceOf(dev.jobs.UnknownJobException.class);
            assertThat(jobs.list(JobQuery.all())).as("no step stored").isEmpty();
        }
    }

    @Test
    void aClosedManagerRefusesAChainAndSaysSo() {
        JobManager jobs = open();
        jobs.close();
        assertThatThrownBy(() -> jobs.chain(new AppendJob("a")))
                .isInstanceOf(ManagerClosedException.class)
                .hasMessageContaining("chain");
    }
}
