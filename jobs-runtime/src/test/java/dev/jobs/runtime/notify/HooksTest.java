package dev.jobs.runtime.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobException;
import dev.jobs.JobStatus;
import dev.jobs.runtime.DispatchOptions;
import dev.jobs.runtime.JobFailedException;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.events.JobEvent;
import dev.jobs.runtime.testjobs.CountJob;
import dev.jobs.runtime.testjobs.FailingJob;
import dev.jobs.runtime.testjobs.GateJob;
import dev.jobs.runtime.testjobs.Gates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HooksTest {

    @TempDir
    Path dir;

    private JobManager open(Notifications notifications) {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(2)
                .notifications(notifications)
                .build();
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError(what + " did not happen within 30 s");
        }
    }

    @Test
    void aThrowingHookChangesNeitherTheJobsOutcomeNorTheOtherHooks() throws Exception {
        CountDownLatch later = new CountDownLatch(2);
        try (JobManager jobs = open(Notifications.builder()
                .onComplete(e -> {
                    throw new IllegalStateException("hook bug");
                })
                .onFailure(e -> {
                    throw new Error("a worse hook bug");
                })
                .onComplete(e -> later.countDown())
                .onFailure(e -> later.countDown())
                .build())) {
            JobHandle<Integer> ok = jobs.dispatch(new CountJob(dir.resolve("side.txt")));
            assertThat(ok.result().get(30, TimeUnit.SECONDS)).isEqualTo(1);
            JobHandle<Void> failing = jobs.dispatch(new FailingJob());
            assertThatThrownBy(() -> failing.result().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(JobFailedException.class);
            await(later, "the hooks registered after the throwing ones");
            assertThat(jobs.info(ok.id()).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(jobs.info(ok.id()).output()).hasValue("1");
            assertThat(jobs.info(failing.id()).status()).isEqualTo(JobStatus.FAILED);
            assertThat(jobs.info(failing.id()).error().orElseThrow()).contains("boom");
        }
    }

    @Test
    void aBlockedHookDoesNotDelayTheJobsResult() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (JobManager jobs = open(Notifications.builder()
                .onComplete(e -> {
                    entered.countDown();
                    release.await();
                })
                .build())) {
            try {
                JobHandle<Integer> first = jobs.dispatch(new CountJob(dir.resolve("side.txt")));
                assertThat(first.result().get(30, TimeUnit.SECONDS)).isEqualTo(1);
                await(entered, "the hook of the first job");
                // the hook thread is stuck in the first job's hook: jobs still run and settle
                JobHandle<Integer> second = jobs.dispatch(new CountJob(dir.resolve("side.txt")));
                assertThat(second.result().get(30, TimeUnit.SECONDS)).isEqualTo(1);
                assertThat(jobs.info(second.id()).status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(release.getCount()).as("the hook is still blocked").isEqualTo(1);
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void hooksRunForTheirEventAndJobTypeOnly() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        CountDownLatch failed = new CountDownLatch(1);
        UUID toCancel;
        UUID counted;
        UUID failing;
        try (JobManager jobs = open(Notifications.builder()
                .on(JobEventType.COMPLETED, "test.failing", e -> ran.add("completed test.failing " + e.jobId()))
                .onFailure(CountJob.class, e -> ran.add("failed test.count " + e.jobId()))
                .onComplete(CountJob.class, e -> ran.add("completed test.count " + e.jobId()))
                .onCancel(CountJob.class, e -> {
                    ran.add("cancelled test.count " + e.jobId());
                    cancelled.countDown();
                })
                .onFailure("test.failing", e -> {
                    ran.add("failed test.failing " + e.jobId());
                    failed.countDown();
                })
                .build())) {
            JobHandle<Integer> count = jobs.dispatch(new CountJob(dir.resolve("side.txt")));
            counted = count.id();
            count.result().get(30, TimeUnit.SECONDS);
            JobHandle<Integer> later = jobs.dispatch(
                    new CountJob(dir.resolve("side.txt")),
                    DispatchOptions.defaults().delay(Duration.ofHours(1)));
            toCancel = later.id();
            jobs.cancel(toCancel);
            await(cancelled, "the cancel hook");
            JobHandle<Void> f = jobs.dispatch(new FailingJob());
            failing = f.id();
            await(failed, "the failure hook");
        } // close waits for queued hooks: a hook that should not have run would be in the list now
        assertThat(ran)
                .containsExactlyInAnyOrder(
                        "completed test.count " + counted,
                        "cancelled test.count " + toCancel,
                        "failed test.failing " + failing);
    }

    @Test
    void hooksRunOncePerEventWithTwoManagersOnOneDatabase() throws Exception {
        int counts = 20;
        Map<UUID, AtomicInteger> completedHere1 = new ConcurrentHashMap<>();
        Map<UUID, AtomicInteger> completedHere2 = new ConcurrentHashMap<>();
        CountDownLatch allHooks = new CountDownLatch(counts + 2);
        String key = "notify-two-" + UUID.randomUUID();
        List<UUID> ids = new ArrayList<>();
        try (JobManager one = twoManagers(completedHere1, allHooks);
                JobManager two = twoManagers(completedHere2, allHooks)) {
            // each manager runs one job at a time: with both gate jobs running, each runs one of them
            JobHandle<String> gate1 = one.dispatch(new GateJob(key + "-a"));
            JobHandle<String> gate2 = one.dispatch(new GateJob(key + "-b"));
            ids.add(gate1.id());
            ids.add(gate2.id());
            awaitGate(key + "-a.started");
            awaitGate(key + "-b.started");
            List<JobHandle<?>> handles = new ArrayList<>();
            for (int i = 0; i < counts; i++) {
                JobHandle<?> h = (i % 2 == 0 ? one : two).dispatch(new CountJob(dir.resolve("side.txt")));
                handles.add(h);
                ids.add(h.id());
            }
            Gates.open(key + "-a.release");
            Gates.open(key + "-b.release");
            gate1.result().get(30, TimeUnit.SECONDS);
            gate2.result().get(30, TimeUnit.SECONDS);
            for (JobHandle<?> h : handles) {
                h.result().get(30, TimeUnit.SECONDS);
            }
            await(allHooks, "a completion hook per job");
            assertThat(completedHere1).isNotEmpty();
            assertThat(completedHere2).isNotEmpty();
        } // both closed: every hook queued anywhere has run
        Set<UUID> both = new HashSet<>(completedHere1.keySet());
        both.retainAll(completedHere2.keySet());
        assertThat(both).as("jobs whose completion ran hooks in both managers").isEmpty();
        Map<UUID, Integer> total = new ConcurrentHashMap<>();
        completedHere1.forEach((id, n) -> total.merge(id, n.get(), Integer::sum));
        completedHere2.forEach((id, n) -> total.merge(id, n.get(), Integer::sum));
        assertThat(total.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(total.values()).allMatch(n -> n == 1);
    }

    private JobManager twoManagers(Map<UUID, AtomicInteger> completedHere, CountDownLatch allHooks) {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(1)
                .claimBatch(1)
                .changePollInterval(Duration.ofMillis(20))
                .notifications(Notifications.builder()
                        .onComplete(e -> {
                            completedHere
                                    .computeIfAbsent(e.jobId(), k -> new AtomicInteger())
                                    .incrementAndGet();
                            allHooks.countDown();
                        })
                        .build())
                .build();
    }

    private static void awaitGate(String key) throws InterruptedException {
        if (!Gates.await(key, 30_000)) {
            throw new AssertionError(key + " not reached within 30 s");
        }
    }

    @Test
    void aFullHookQueueDropsInsteadOfBlockingTheEventBus() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        Notifier notifier = new Notifier(
                Notifications.builder()
                        .queueCapacity(1)
                        .onComplete(e -> {
                            entered.countDown();
                            release.await();
                            ran.incrementAndGet();
                        })
                        .build(),
                type -> null,
                id -> Optional.empty(),
                d -> CompletableFuture.completedFuture(null));
        try {
            notifier.onEvent(completed()); // runs, and blocks
            await(entered, "the first hook");
            notifier.onEvent(completed()); // waits in the queue
            notifier.onEvent(completed()); // the queue is full: dropped at once
            notifier.onEvent(new JobEvent.Started(UUID.randomUUID(), "x", 1, Instant.now(), false)); // no hook
            assertThat(notifier.droppedHooks()).isEqualTo(1);
        } finally {
            release.countDown();
            notifier.close(Duration.ofSeconds(30));
        }
        assertThat(ran).hasValue(2);
    }

    private static JobEvent completed() {
        return new JobEvent.Completed(UUID.randomUUID(), "x", 1, Instant.now(), null);
    }

    @Test
    void aHookForAClassThatIsNoJobTypeFailsTheBuildAndSaysWhatToDo() {
        assertThatThrownBy(() -> open(Notifications.builder()
                        .onComplete(String.class, e -> {})
                        .build()))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("java.lang.String")
                .hasMessageContaining("register the hook by job name");
    }
}
