package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.codec.JsonCodec;
import dev.jobs.runtime.events.EventBus;
import dev.jobs.runtime.events.JobEvent;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.StoreFutures;
import dev.jobs.runtime.store.Transition;
import dev.jobs.runtime.store.sqlite.SqliteJobStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a process learns that jobs it waits for were finished by another process: what one look
 * reads must depend on how many jobs it waits for, not on how many other processes finished.
 */
class ResultsTest {
    private static final String NAME = "results.job";
    private static final String HERE = "node-here";
    private static final String ELSEWHERE = "node-elsewhere";

    @TempDir
    Path dir;

    private SqliteJobStore real;
    private final List<String> looks = new ArrayList<>();
    private ScheduledExecutorService timer;
    private EventBus events;
    private Results results;
    private long now = 1_000;

    @BeforeEach
    void open() {
        real = SqliteJobStore.open(
                dir.resolve("jobs.db"), SynchronousMode.NORMAL, Duration.ofSeconds(5), 64, List.of(NAME));
        JobStore recorded = (JobStore) Proxy.newProxyInstance(
                JobStore.class.getClassLoader(), new Class<?>[] {JobStore.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("finished")) {
                        looks.add(method.getName());
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        timer = Executors.newSingleThreadScheduledExecutor();
        events = new EventBus(Duration.ofMillis(100), 64, timer);
        results = new Results(recorded, JobRegistry.of(List.of()), new JsonCodec(), events, Clock.systemUTC(), HERE);
    }

    @AfterEach
    void close() {
        real.close();
        timer.shutdownNow();
    }

    @Test
    void aFewJobsWaitedForAreLookedUpByIdHoweverManyOthersFinished() {
        List<UUID> others = finishedElsewhere(300);
        UUID awaited = stored();
        CompletableFuture<Object> result = results.register(awaited);
        finish(awaited);

        results.settleForeign(id -> false);

        assertThat(result).isCompletedWithValue(7);
        assertThat(looks).containsExactly("finishedAmong");
        assertThat(others).hasSize(300); // finished elsewhere too, and not one of them was read
    }

    @Test
    void moreJobsWaitedForThanTheLimitAreLookedUpByWhatFinishedSinceTheLastLook() {
        List<CompletableFuture<Object>> waiting = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i <= JobStore.FINISHED_AMONG_LIMIT; i++) {
            UUID id = stored();
            ids.add(id);
            waiting.add(results.register(id));
        }
        finish(ids.get(0));
        finish(ids.get(1));

        results.settleForeign(id -> false);

        assertThat(looks).containsExactly("finishedSince");
        assertThat(waiting.get(0)).isCompletedWithValue(7);
        assertThat(waiting.get(1)).isCompletedWithValue(7);
        assertThat(waiting.subList(2, waiting.size())).noneMatch(CompletableFuture::isDone);
    }

    @Test
    void aJobFinishedHereIsNotSettledFromItsRow() {
        UUID mine = stored();
        CompletableFuture<Object> result = results.register(mine);
        ClaimedJob job = real.claim(HERE, 1, now, now + 60_000).get(0);
        assertThat(StoreFutures.await(real.complete(job.claim(HERE), "7", 1.0, null, now)))
                .isTrue();

        results.settleForeign(id -> false);

        assertThat(result).isNotDone(); // its run here settles it, with its events
        assertThat(looks).containsExactly("finishedAmong");
    }

    @Test
    void aJobCancelledHereKeepsItsEventNumberingWhenTheWatcherSeesTheCancelFirst() throws Exception {
        BlockingQueue<JobEvent> seen = new LinkedBlockingQueue<>();
        events.subscribe(seen::add, null);
        UUID id = stored();
        CompletableFuture<Object> result = results.register(id);
        events.queued(id, NAME);

        boolean done = results.endHere(id, () -> {
            assertThat(real.move(id, Transition.CANCEL, JobStatus.QUEUED, now)).isTrue();
            results.settleForeign(job -> false); // the watcher, woken by that commit, looks before the events
            assertThat(result).isNotDone();
            results.ended(id, NAME, JobStatus.CANCELLED, null, null);
            return true;
        });

        assertThat(done).isTrue();
        assertThat(result).isCompletedExceptionally();
        JobEvent queued = seen.poll(10, TimeUnit.SECONDS);
        JobEvent cancelled = seen.poll(10, TimeUnit.SECONDS);
        assertThat(queued).isInstanceOf(JobEvent.Queued.class);
        assertThat(cancelled).isInstanceOf(JobEvent.Cancelled.class);
        assertThat(cancelled.sequence()).isEqualTo(queued.sequence() + 1);
    }

    @Test
    void aJobBothWaitedForAndWithEventStateCountsOnceTowardsTheLimit() {
        events.subscribe(event -> {}, null);
        for (int i = 0; i < JobStore.FINISHED_AMONG_LIMIT; i++) {
            UUID id = stored();
            results.register(id);
            events.queued(id, NAME); // with a listener, event state for the same job
        }

        results.settleForeign(id -> false);

        assertThat(looks).containsExactly("finishedAmong");
    }

    @Test
    void aJobWithEventStateHereThatEndsElsewhereLosesItWithNoHandleWaiting() {
        events.subscribe(event -> {}, null);
        UUID id = stored();
        events.queued(id, NAME);
        finish(id);

        results.settleForeign(job -> false);

        assertThat(events.trackedIds()).isEmpty();
    }

    private UUID stored() {
        UUID id = UUID.randomUUID();
        StoreFutures.await(real.insert(new NewJob(id, NAME, 1, new byte[] {1}, 0, now++), null));
        return id;
    }

    /** Claims the first queued job elsewhere, which must be {@code id}, and completes it with 7. */
    private void finish(UUID id) {
        ClaimedJob job = real.claim(ELSEWHERE, 1, now, now + 60_000).get(0);
        assertThat(job.id()).isEqualTo(id);
        assertThat(StoreFutures.await(real.complete(job.claim(ELSEWHERE), "7", 1.0, null, System.currentTimeMillis())))
                .isTrue();
    }

    private List<UUID> finishedElsewhere(int n) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID id = stored();
            finish(id);
            ids.add(id);
        }
        return ids;
    }
}
