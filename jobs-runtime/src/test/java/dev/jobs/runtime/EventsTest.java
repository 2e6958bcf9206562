package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.Progress;
import dev.jobs.runtime.events.JobEvent;
import dev.jobs.runtime.events.Subscription;
import dev.jobs.runtime.testjobs.ChattyJob;
import dev.jobs.runtime.testjobs.GateJob;
import dev.jobs.runtime.testjobs.Gates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsTest {

    @TempDir
    Path dir;

    private JobManager open(Duration progressInterval) {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(2)
                .progressInterval(progressInterval)
                .build();
    }

    /** Collects the events of one job; takes them up to a given event, with an overall deadline. */
    private static final class Recorder {
        final BlockingQueue<JobEvent> events = new LinkedBlockingQueue<>();

        /**
         * Takes events until one of {@code type} arrives, failing (with what was seen) if none does
         * within {@code timeout} overall, however many other events keep arriving.
         */
        List<JobEvent> until(Class<? extends JobEvent> type, Duration timeout) throws InterruptedException {
            return until(type::isInstance, type.getSimpleName(), timeout);
        }

        /** Takes events up to and including the job's terminal event (30 s overall at most). */
        List<JobEvent> untilTerminal() throws InterruptedException {
            return until(
                    e -> e instanceof JobEvent.Completed
                            || e instanceof JobEvent.Failed
                            || e instanceof JobEvent.Cancelled,
                    "terminal",
                    Duration.ofSeconds(30));
        }

        private List<JobEvent> until(java.util.function.Predicate<JobEvent> last, String what, Duration timeout)
                throws InterruptedException {
            List<JobEvent> seen = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                JobEvent e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
                if (e == null) {
                    throw new AssertionError("no " + what + " event within " + timeout + "; saw " + kinds(seen));
                }
                seen.add(e);
                if (last.test(e)) {
                    return seen;
                }
            }
        }
    }

    private static List<String> kinds(List<JobEvent> events) {
        return events.stream().map(e -> e.getClass().getSimpleName()).toList();
    }

    @Test
    void eventsOfAJobFollowTheLifecycleInOrderWithContiguousSequence() throws Exception {
        try (JobManager jobs = open(Duration.ofHours(1))) {
            Recorder recorder = new Recorder();
            jobs.addListener(recorder.events::add);
            JobHandle<Integer> handle = jobs.dispatch(new ChattyJob(1000, 0, 500));
            List<JobEvent> events = recorder.untilTerminal();

            // progress is throttled (1 h here): the first value goes out at once, and the pending one is
            // flushed before each lifecycle event, so a checkpoint's progress precedes it
            assertThat(kinds(events))
                    .containsExactly(
                            "Queued",
                            "Started",
                            "Logged",
                            "ProgressUpdated",
                            "ProgressUpdated",
                            "Checkpointed",
                            "ProgressUpdated",
                            "Checkpointed",
                            "Completed");
            assertThat(((JobEvent.ProgressUpdated) events.get(4)).progress()).isEqualTo(Progress.count(500, 1000));
            assertThat(((JobEvent.ProgressUpdated) events.get(6)).progress()).isEqualTo(Progress.count(1000, 1000));
            assertThat(events).allSatisfy(e -> assertThat(e.jobId()).isEqualTo(handle.id()));
            assertThat(events.stream().mapToLong(JobEvent::sequence).toArray())
                    .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(((JobEvent.Completed) events.get(8)).output()).isEqualTo(1000);
        }
    }

    @Test
    void lastProgressIsDeliveredBeforeTheTerminalEvent() throws Exception {
        try (JobManager jobs = open(Duration.ofHours(1))) {
            Recorder recorder = new Recorder();
            jobs.addListener(recorder.events::add);
            jobs.dispatch(new ChattyJob(10_000, 0, 0));
            List<JobEvent> events = recorder.untilTerminal();
            List<JobEvent.ProgressUpdated> progress = events.stream()
                    .filter(JobEvent.ProgressUpdated.class::isInstance)
                    .map(JobEvent.ProgressUpdated.class::cast)
                    .toList();
            // throttled: the first value at once, the latest one flushed before Completed
            assertThat(progress).hasSize(2);
            assertThat(progress.get(0).progress()).isEqualTo(Progress.count(1, 10_000));
            assertThat(progress.get(1).progress()).isEqualTo(Progress.count(10_000, 10_000));
            assertThat(events.get(events.size() - 2)).isEqualTo(progress.get(1));
        }
    }

    @Test
    @SuppressWarnings("try") // the subscription is held open by the try, not used in it
    void pauseAndResumeAppearInOrder() throws Exception {
        String k = UUID.randomUUID().toString();
        try (JobManager jobs = open(Duration.ofMillis(100))) {
            Recorder recorder = new Recorder();
            JobHandle<String> handle = jobs.dispatch(new GateJob(k));
            try (Subscription s = jobs.addListener(handle.id(), recorder.events::add)) {
                Gates.await(k + ".started", 20_000);
                jobs.pause(handle.id());
                recorder.until(JobEvent.Paused.class, Duration.ofSeconds(20));
                Gates.open(k + ".release");
                jobs.resume(handle.id());
                List<JobEvent> rest = recorder.untilTerminal();
                assertThat(kinds(rest)).containsExactly("Resumed", "Started", "Checkpointed", "Completed");
                assertThat(((JobEvent.Started) rest.get(1)).resuming()).isTrue();
            }
        }
    }

    @Test
    void throwingAndBlockedListenersDoNotAffectJobsOrOtherListeners() throws Exception {
        try (JobManager jobs = JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(2)
                .progressInterval(Duration.ZERO)
                .listenerQueueCapacity(16)
                .build()) {
            CountDownLatch unblock = new CountDownLatch(1);
            List<JobEvent> blockedSaw = new CopyOnWriteArrayList<>();
            CountDownLatch blockedCompleted = new CountDownLatch(10);
            Subscription blocked = jobs.addListener(e -> {
                unblock.await();
                blockedSaw.add(e);
                if (e instanceof JobEvent.Completed) {
                    blockedCompleted.countDown();
                }
            });
            Subscription throwing = jobs.addListener(e -> {
                throw new IllegalStateException("listener bug");
            });
            Recorder healthy = new Recorder();
            jobs.addListener(healthy.events::add);

            List<JobHandle<Integer>> handles = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                handles.add(jobs.dispatch(new ChattyJob(2_000, 100, 0)));
            }
            for (JobHandle<Integer> h : handles) {
                assertThat(h.result().get(30, TimeUnit.SECONDS)).isEqualTo(2_000);
            }
            long completed = 0;
            while (completed < 10) {
                JobEvent e = healthy.events.poll(20, TimeUnit.SECONDS);
                assertThat(e).isNotNull();
                if (e instanceof JobEvent.Completed) {
                    completed++;
                }
            }
            assertThat(throwing.failures()).isPositive();
            assertThat(blocked.dropped())
                    .as("the blocked listener's progress/log overflow is counted")
                    .isPositive();

            unblock.countDown();
            // lifecycle events are never dropped, even for the listener that was stuck
            assertThat(blockedCompleted.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(blockedSaw.stream()
                            .filter(JobEvent.Completed.class::isInstance)
                            .count())
                    .isEqualTo(10);
            assertThat(blockedSaw.stream()
                            .filter(JobEvent.Queued.class::isInstance)
                            .count())
                    .isEqualTo(10);
        }
    }
}
