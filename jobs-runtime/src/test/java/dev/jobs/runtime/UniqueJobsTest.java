package dev.jobs.runtime;

import static dev.jobs.runtime.Support.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.runtime.DelayedJobsTest.ManualClock;
import dev.jobs.runtime.testjobs.BlockingJob;
import dev.jobs.runtime.testjobs.CountJob;
import dev.jobs.runtime.testjobs.Gates;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unique keys: a dispatch whose key another job holds creates nothing and returns that job. */
class UniqueJobsTest {

    private static final Instant START = Instant.parse("2030-05-01T00:00:00Z");

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock(START);

    private JobManager open() {
        return JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(2)
                .clock(clock)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build();
    }

    private static DispatchOptions key(String key) {
        return DispatchOptions.defaults().uniqueKey(key);
    }

    @Test
    void aSecondDispatchWithTheKeyOfAnActiveJobReturnsThatJob() {
        String gate = "unique-active-" + System.nanoTime();
        try (JobManager jobs = open()) {
            JobHandle<String> first = jobs.dispatch(new BlockingJob(gate), key("sync:user:42"));
            JobHandle<String> again = jobs.dispatch(new BlockingJob(gate), key("sync:user:42"));
            assertThat(first.isExisting()).isFalse();
            assertThat(again.isExisting()).isTrue();
            assertThat(again.id()).isEqualTo(first.id());
            assertThat(jobs.list(JobQuery.all().names("test.blocking"))).hasSize(1);
            assertThat(jobs.info(first.id()).uniqueKey()).contains("sync:user:42");
            Gates.open(gate + ".release");
        }
    }

    @Test
    void aDispatchByNameWithAHeldKeyReturnsTheExistingJob() {
        String gate = "unique-by-name-" + System.nanoTime();
        try (JobManager jobs = open()) {
            JobHandle<?> first = jobs.dispatchByName("test.blocking", "{\"key\":\"" + gate + "\"}", key("k"));
            JobHandle<?> again = jobs.dispatchByName("test.blocking", "{\"key\":\"" + gate + "\"}", key("k"));
            assertThat(again.isExisting()).isTrue();
            assertThat(again.id()).isEqualTo(first.id());
            Gates.open(gate + ".release");
        }
    }

    @Test
    void onceTheJobHasFinishedTheKeyMakesANewJob() throws Exception {
        try (JobManager jobs = open()) {
            JobHandle<Integer> first = jobs.dispatch(new CountJob(dir.resolve("ran.txt")), key("k"));
            first.result().get(20, TimeUnit.SECONDS);
            JobHandle<Integer> second = jobs.dispatch(new CountJob(dir.resolve("ran.txt")), key("k"));
            assertThat(second.isExisting()).isFalse();
            assertThat(second.id()).isNotEqualTo(first.id());
        }
    }

    @Test
    void aKeyHeldForAPeriodHoldsAfterItsJobFinishedUntilThePeriodEnds() throws Exception {
        DispatchOptions daily =
                DispatchOptions.defaults().uniqueKey("report", Uniqueness.forPeriod(Duration.ofDays(1)));
        try (JobManager jobs = open()) {
            JobHandle<Integer> first = jobs.dispatch(new CountJob(dir.resolve("ran.txt")), daily);
            first.result().get(20, TimeUnit.SECONDS);
            clock.advance(Duration.ofHours(23));
            assertThat(jobs.dispatch(new CountJob(dir.resolve("ran.txt")), daily)
                            .id())
                    .isEqualTo(first.id());
            clock.advance(Duration.ofHours(1));
            assertThat(jobs.dispatch(new CountJob(dir.resolve("ran.txt")), daily)
                            .isExisting())
                    .isFalse();
        }
    }

    @Test
    void aKeyHeldForeverMakesOneJobEver() throws Exception {
        DispatchOptions once = DispatchOptions.defaults().uniqueKey("migrate-v2", Uniqueness.forever());
        try (JobManager jobs = open()) {
            JobHandle<Integer> first = jobs.dispatch(new CountJob(dir.resolve("ran.txt")), once);
            first.result().get(20, TimeUnit.SECONDS);
        }
        clock.advance(Duration.ofDays(400));
        try (JobManager jobs = open()) {
            JobHandle<Integer> again = jobs.dispatch(new CountJob(dir.resolve("ran.txt")), once);
            assertThat(again.isExisting()).isTrue();
            assertThat(again.status()).isEqualTo(JobStatus.COMPLETED);
        }
    }

    @Test
    void twoManagersDispatchingAThousandTimesOverAHundredKeysMakeAHundredJobs() throws Exception {
        String gate = "unique-race-" + System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (JobManager a = open();
                JobManager b = open()) {
            List<Future<JobHandle<String>>> handles = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                JobManager m = i % 2 == 0 ? a : b;
                String k = "key-" + (i % 100);
                handles.add(pool.submit(() -> m.dispatch(new BlockingJob(gate), key(k))));
            }
            Set<UUID> ids = ConcurrentHashMap.newKeySet();
            int existing = 0;
            for (Future<JobHandle<String>> h : handles) {
                JobHandle<String> handle = h.get(60, TimeUnit.SECONDS);
                ids.add(handle.id());
                existing += handle.isExisting() ? 1 : 0;
            }
            assertThat(ids).hasSize(100);
            assertThat(existing).isEqualTo(900);
            assertThat(a.list(JobQuery.all().names("test.blocking").limit(1_000)))
                    .hasSize(100);
            Gates.open(gate + ".release");
            for (UUID id : ids) {
                awaitStatus(a, id, JobStatus.COMPLETED);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aForeverKeyWhoseJobWasDeletedSaysSoAndDispatchesNothing() throws Exception {
        DispatchOptions once = DispatchOptions.defaults().uniqueKey("migrate-v3", Uniqueness.forever());
        try (JobManager jobs = open()) {
            JobHandle<Integer> first = jobs.dispatch(new CountJob(dir.resolve("ran.txt")), once);
            first.result().get(20, TimeUnit.SECONDS);
            jobs.cleanKeepingNewest(0);
            assertThatThrownBy(() -> jobs.dispatch(new CountJob(dir.resolve("ran.txt")), once))
                    .isInstanceOf(dev.jobs.JobException.class)
                    .hasMessageContaining("'migrate-v3' is held forever by job " + first.id())
                    .hasMessageContaining("deleted");
            assertThat(jobs.list(JobQuery.all().names("test.count"))).isEmpty();
        }
    }

    @Test
    void dispatchAllRefusesAUniqueKey() {
        try (JobManager jobs = open()) {
            assertThatThrownBy(() -> jobs.dispatchAll(List.of(new CountJob(dir.resolve("r"))), key("k")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("its own key");
        }
    }

    @Test
    void aBlankKeyIsRefused() {
        assertThatThrownBy(() -> DispatchOptions.defaults().uniqueKey(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unique key");
        assertThatThrownBy(() -> Uniqueness.forPeriod(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
