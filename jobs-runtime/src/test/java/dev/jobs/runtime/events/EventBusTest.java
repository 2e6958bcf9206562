package dev.jobs.runtime.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.LogLevel;
import dev.jobs.Progress;
import dev.jobs.runtime.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event bus without a manager. Its time is a {@link ManualScheduler}: progress timers fire, and
 * the progress interval passes, only when a test ticks it.
 *
 * <p>Delivery is asynchronous (a thread per listener). To see everything published to a listener up
 * to some point, a test publishes a barrier (a lifecycle event of a job of its own) and collects
 * the listener's events until the barrier arrives: a listener gets events in publication order.
 */
class EventBusTest {

    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final String BARRIER = "barrier";
    private static final long WAIT_SECONDS = 10; // a bound for a broken bus, never reached when it works

    private final ManualScheduler time = new ManualScheduler();
    private final EventBus bus = new EventBus(INTERVAL, 64, time, time::nanoTime);
    private final UUID job = UUID.randomUUID();

    @AfterEach
    void close() {
        bus.close();
        time.shutdownNow();
    }

    /** Records what a listener receives; optionally blocks on its first event or throws after each. */
    private static class Recorder implements JobListener {
        final BlockingQueue<JobEvent> received = new LinkedBlockingQueue<>();

        @Override
        public void onEvent(JobEvent event) throws Exception {
            received.add(event);
        }

        /** The events received up to the barrier of job {@code barrier}, barriers left out. */
        List<JobEvent> until(UUID barrier) throws InterruptedException {
            List<JobEvent> events = new ArrayList<>();
            while (true) {
                JobEvent event = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(event).as("the barrier event arrives").isNotNull();
                if (event.jobId().equals(barrier)) {
                    return events;
                }
                if (!event.jobName().equals(BARRIER)) {
                    events.add(event);
                }
            }
        }
    }

    private Recorder subscribe() {
        Recorder recorder = new Recorder();
        bus.subscribe(recorder, null);
        return recorder;
    }

    /** What {@code recorder} was sent since the last look. */
    private List<JobEvent> delivered(Recorder recorder) throws InterruptedException {
        UUID barrier = UUID.randomUUID();
        bus.queued(barrier, BARRIER);
        bus.forget(barrier);
        return recorder.until(barrier);
    }

    private static List<Progress> progressOf(List<JobEvent> events) {
        return events.stream()
                .filter(e -> e instanceof JobEvent.ProgressUpdated)
                .map(e -> ((JobEvent.ProgressUpdated) e).progress())
                .toList();
    }

    private static List<Class<?>> kinds(List<JobEvent> events) {
        return events.stream().<Class<?>>map(Object::getClass).toList();
    }

    private static Progress p(int n) {
        return Progress.count(n, 100);
    }

    private void tickMillis(long millis) {
        time.tick(Duration.ofMillis(millis));
    }

    // ------------------------------------------------------------------ per-job state

    @Test
    void aJobThatEndsHereLeavesNoStateBehind() {
        bus.subscribe(event -> {}, null);
        UUID id = UUID.randomUUID();
        bus.queued(id, "t");
        bus.started(id, "t", false);
        assertThat(bus.trackedJobs()).isOne();
        bus.completed(id, "t", null);
        assertThat(bus.trackedJobs()).isZero();
    }

    @Test
    void aJobThatEndsInAnotherProcessIsForgotten() {
        bus.subscribe(event -> {}, null);
        UUID id = UUID.randomUUID();
        bus.queued(id, "t"); // dispatched here, then run and finished by another process: no terminal event here
        assertThat(bus.trackedJobs()).isOne();
        bus.forget(id);
        assertThat(bus.trackedJobs()).isZero();
    }

    @Test
    void withoutListenersNoStateIsKeptAndNoTimerIsSet() {
        bus.queued(job, "t");
        bus.progress(job, "t", p(1));
        bus.progress(job, "t", p(2));
        assertThat(bus.trackedJobs()).isZero();
        assertThat(time.pending()).isZero();
    }

    // ------------------------------------------------------------------ progress throttling

    @Test
    void theFirstProgressOfAJobIsPublishedAtOnce() throws Exception {
        Recorder recorder = subscribe();
        bus.progress(job, "t", p(1));
        assertThat(progressOf(delivered(recorder))).containsExactly(p(1));
        assertThat(time.pending())
                .as("no timer for a progress published at once")
                .isZero();
    }

    @Test
    void progressReportedWithinTheIntervalIsHeldBack() throws Exception {
        Recorder recorder = subscribe();
        bus.progress(job, "t", p(1));
        tickMillis(10);
        bus.progress(job, "t", p(2));
        bus.progress(job, "t", p(3));
        assertThat(progressOf(delivered(recorder))).containsExactly(p(1));
    }

    @Test
    void theLatestHeldBackProgressIsPublishedWhenTheIntervalEnds() throws Exception {
        Recorder recorder = subscribe();
        bus.progress(job, "t", p(1));
        tickMillis(10);
        bus.progress(job, "t", p(2));
        bus.progress(job, "t", p(3));
        tickMillis(89); // 99 ms after the first one
        assertThat(progressOf(delivered(recorder))).containsExactly(p(1));
        tickMillis(1);
        assertThat(progressOf(delivered(recorder))).containsExactly(p(3));
    }

    @Test
    void atMostOneProgressEventIsPublishedPerIntervalForAJobReportingContinuously() throws Exception {
        Recorder recorder = subscribe();
        List<Long> publishedAtMillis = new ArrayList<>();
        for (long t = 0; t <= 1_000; t += 10) {
            bus.progress(job, "t", p((int) (t / 10)));
            for (int i = 0; i < progressOf(delivered(recorder)).size(); i++) {
                publishedAtMillis.add(t);
            }
            tickMillis(10);
        }
        assertThat(publishedAtMillis).as("throttled, not silenced").hasSizeGreaterThanOrEqualTo(10);
        for (int i = 1; i < publishedAtMillis.size(); i++) {
            assertThat(publishedAtMillis.get(i) - publishedAtMillis.get(i - 1))
                    .as("between progress events %d and %d (published at %s ms)", i - 1, i, publishedAtMillis)
                    .isGreaterThanOrEqualTo(INTERVAL.toMillis());
        }
    }

    @Test
    void theThrottleIsPerJob() throws Exception {
        Recorder recorder = subscribe();
        UUID other = UUID.randomUUID();
        bus.progress(job, "t", p(1));
        bus.progress(other, "t", p(2));
        List<JobEvent> events = delivered(recorder);
        assertThat(progressOf(events)).containsExactly(p(1), p(2));
        assertThat(events).extracting(JobEvent::jobId).containsExactly(job, other);
    }

    @Test
    void heldBackProgressIsPublishedBeforeTheJobsNextLifecycleEvent() throws Exception {
        Recorder recorder = subscribe();
        bus.progress(job, "t", p(1));
        tickMillis(10);
        bus.progress(job, "t", p(2));
        bus.completed(job, "t", "done");
        List<JobEvent> events = delivered(recorder);
        assertThat(kinds(events))
                .containsExactly(
                        JobEvent.ProgressUpdated.class, JobEvent.ProgressUpdated.class, JobEvent.Completed.class);
        assertThat(progressOf(events)).containsExactly(p(1), p(2));
    }

    @Test
    void progressPublishedBeforeALifecycleEventIsNotPublishedAgainWhenItsTimerFires() throws Exception {
        Recorder recorder = subscribe();
        bus.progress(job, "t", p(1));
        tickMillis(10);
        bus.progress(job, "t", p(2));
        bus.checkpointed(job, "t", 10);
        assertThat(progressOf(delivered(recorder))).containsExactly(p(1), p(2));
        tickMillis(1_000);
        assertThat(delivered(recorder)).isEmpty();
    }

    @Test
    void aLogLineDoesNotFlushHeldBackProgress() throws Exception {
        Recorder recorder = subscribe();
        bus.progress(job, "t", p(1));
        tickMillis(10);
        bus.progress(job, "t", p(2));
        bus.logged(job, "t", LogLevel.INFO, "a line", 1, 0);
        assertThat(kinds(delivered(recorder))).containsExactly(JobEvent.ProgressUpdated.class, JobEvent.Logged.class);
    }

    @Test
    void aProgressFlushedByALifecycleEventStartsANewInterval() throws Exception {
        Recorder recorder = subscribe();
        bus.progress(job, "t", p(1)); // t=0: published, the interval runs to t=100
        tickMillis(10);
        bus.progress(job, "t", p(2)); // t=10: held, its timer set for t=100
        tickMillis(40);
        bus.checkpointed(job, "t", 10); // t=50: p(2) published first; a new interval runs to t=150
        tickMillis(10);
        bus.progress(job, "t", p(3)); // t=60: held
        tickMillis(40); // t=100: the old timer fires
        assertThat(progressOf(delivered(recorder))).as("published by t=100").containsExactly(p(1), p(2));
        tickMillis(50); // t=150
        assertThat(progressOf(delivered(recorder))).containsExactly(p(3));
    }

    @Test
    void whenTheTimerRejectsTasksHeldBackProgressIsPublishedAtOnce() throws Exception {
        Recorder recorder = subscribe();
        bus.progress(job, "t", p(1));
        time.shutdown(); // as when the manager is closing
        tickMillis(10);
        bus.progress(job, "t", p(2));
        assertThat(progressOf(delivered(recorder))).containsExactly(p(1), p(2));
    }

    // ------------------------------------------------------------------ ordering and delivery

    @Test
    void theEventsOfAJobAreNumberedOneByOneInTheOrderTheyArrive() throws Exception {
        Recorder recorder = subscribe();
        bus.queued(job, "t");
        bus.started(job, "t", false);
        bus.progress(job, "t", p(1));
        bus.logged(job, "t", LogLevel.INFO, "x", 1, 0);
        tickMillis(10);
        bus.progress(job, "t", p(2)); // held, then flushed before the checkpoint
        bus.checkpointed(job, "t", 3);
        bus.completed(job, "t", null);
        List<JobEvent> events = delivered(recorder);
        assertThat(kinds(events))
                .containsExactly(
                        JobEvent.Queued.class,
                        JobEvent.Started.class,
                        JobEvent.ProgressUpdated.class,
                        JobEvent.Logged.class,
                        JobEvent.ProgressUpdated.class,
                        JobEvent.Checkpointed.class,
                        JobEvent.Completed.class);
        assertThat(events).extracting(JobEvent::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    private void publishALifecycle() {
        bus.queued(job, "t");
        bus.started(job, "t", false);
        bus.progress(job, "t", p(1));
        bus.paused(job, "t");
        bus.resumed(job, "t");
        bus.started(job, "t", true);
        bus.failed(job, "t", "boom");
    }

    private static final List<Class<?>> LIFECYCLE = List.of(
            JobEvent.Queued.class,
            JobEvent.Started.class,
            JobEvent.ProgressUpdated.class,
            JobEvent.Paused.class,
            JobEvent.Resumed.class,
            JobEvent.Started.class,
            JobEvent.Failed.class);

    @Test
    void everyListenerReceivesEveryEventInPublicationOrder() throws Exception {
        Recorder first = subscribe();
        Recorder second = subscribe();
        publishALifecycle();
        assertThat(kinds(delivered(first))).containsExactlyElementsOf(LIFECYCLE);
        assertThat(kinds(delivered(second))).containsExactlyElementsOf(LIFECYCLE);
    }

    @Test
    void aListenerStuckOnAnEventDoesNotHoldUpAnother() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Recorder stuck = new Recorder() {
            @Override
            public void onEvent(JobEvent event) throws Exception {
                super.onEvent(event);
                release.await();
            }
        };
        bus.subscribe(stuck, null);
        Recorder other = subscribe();
        publishALifecycle();
        assertThat(kinds(delivered(other))).containsExactlyElementsOf(LIFECYCLE);
        release.countDown();
        assertThat(kinds(delivered(stuck))).containsExactlyElementsOf(LIFECYCLE);
    }

    @Test
    void aListenerThatThrowsStillReceivesTheEventsAfterIt() throws Exception {
        Recorder throwing = new Recorder() {
            @Override
            public void onEvent(JobEvent event) throws Exception {
                super.onEvent(event);
                if (!event.jobName().equals(BARRIER)) {
                    throw new IllegalStateException("listener bug");
                }
            }
        };
        Subscription subscription = bus.subscribe(throwing, null);
        publishALifecycle();
        assertThat(kinds(delivered(throwing))).containsExactlyElementsOf(LIFECYCLE);
        assertThat(subscription.failures()).isEqualTo(LIFECYCLE.size());
    }

    @Test
    void aListenerThatThrowsDoesNotDisturbAnother() throws Exception {
        CountDownLatch threw = new CountDownLatch(LIFECYCLE.size());
        bus.subscribe(
                event -> {
                    threw.countDown();
                    throw new IllegalStateException("listener bug");
                },
                job);
        Recorder other = subscribe();
        publishALifecycle();
        assertThat(kinds(delivered(other))).containsExactlyElementsOf(LIFECYCLE);
        assertThat(threw.await(WAIT_SECONDS, TimeUnit.SECONDS))
                .as("the other listener did throw on every event")
                .isTrue();
    }

    @Test
    void aListenerOfOneJobReceivesOnlyThatJobsEvents() throws Exception {
        Recorder one = new Recorder();
        bus.subscribe(one, job);
        UUID other = UUID.randomUUID();
        bus.queued(other, "t");
        bus.queued(job, "t");
        bus.cancelled(other, "t");
        bus.cancelled(job, "t");
        bus.failed(other, "t", "x");
        bus.started(job, "t", false); // its last event: once it arrives, everything before it was offered
        List<JobEvent> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(one.received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        }
        assertThat(kinds(seen))
                .containsExactly(JobEvent.Queued.class, JobEvent.Cancelled.class, JobEvent.Started.class);
        assertThat(seen).extracting(JobEvent::jobId).containsOnly(job);
    }

    @Test
    void aListenerThatFallsBehindLosesProgressAndLogsButNoLifecycleEvent() throws Exception {
        EventBus small = new EventBus(INTERVAL, 2, time, time::nanoTime);
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlockingQueue<JobEvent> received = new LinkedBlockingQueue<>();
        Subscription subscription = small.subscribe(
                event -> {
                    received.add(event);
                    inFirst.countDown();
                    release.await();
                },
                null);
        try {
            small.queued(job, "t");
            assertThat(inFirst.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue(); // its queue is empty again
            for (int i = 0; i < 5; i++) {
                small.logged(job, "t", LogLevel.INFO, "line " + i, i + 1, 0); // two fit in its queue
            }
            small.started(job, "t", false);
            small.completed(job, "t", null);
            release.countDown();
            List<JobEvent> events = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                events.add(received.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            assertThat(kinds(events))
                    .containsExactly(
                            JobEvent.Queued.class,
                            JobEvent.Logged.class,
                            JobEvent.Logged.class,
                            JobEvent.Started.class,
                            JobEvent.Completed.class);
            assertThat(subscription.dropped()).isEqualTo(3);
        } finally {
            release.countDown();
            small.close();
        }
    }

    @Test
    void closeDeliversWhatWasPublishedBeforeItReturns() {
        Recorder recorder = subscribe();
        publishALifecycle();
        bus.close();
        assertThat(kinds(List.copyOf(recorder.received))).containsExactlyElementsOf(LIFECYCLE);
    }
}
