package dev.jobs.runtime;

import static dev.jobs.runtime.Support.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.ChattyJob;
import dev.jobs.runtime.testjobs.GateJob;
import dev.jobs.runtime.testjobs.Gates;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanTest {

    @TempDir
    Path dir;

    @Test
    void removesOnlyFinishedJobsOlderThanCutoffWithTheirLogs() throws Exception {
        Path db = dir.resolve("jobs.db");
        String k = UUID.randomUUID().toString();
        try (JobManager jobs = Support.open(db)) {
            UUID old = jobs.dispatch(new ChattyJob(10, 1, 0)).id();
            jobs.handle(old).result().get(20, TimeUnit.SECONDS);
            UUID recent = jobs.dispatch(new ChattyJob(10, 1, 0)).id();
            jobs.handle(recent).result().get(20, TimeUnit.SECONDS);
            UUID active = jobs.dispatch(new GateJob(k)).id();
            Gates.await(k + ".started", 20_000);
            Support.sql(db, "UPDATE jobs SET completed_at = 1000, created_at = 1000 WHERE id = '" + old + "'");
            Support.sql(db, "UPDATE jobs SET created_at = 1000 WHERE id = '" + active + "'");

            CleanResult result = jobs.clean(Duration.ofDays(1));

            assertThat(result.jobs()).isEqualTo(1);
            assertThat(result.logLines()).isEqualTo(11);
            assertThat(count(db, "SELECT count(*) FROM jobs WHERE id = '" + old + "'"))
                    .isZero();
            assertThat(count(db, "SELECT count(*) FROM job_logs WHERE job_id = '" + old + "'"))
                    .isZero();
            assertThat(jobs.info(recent).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(count(db, "SELECT count(*) FROM job_logs WHERE job_id = '" + recent + "'"))
                    .isEqualTo(11);
            assertThat(jobs.info(active).status()).isEqualTo(JobStatus.RUNNING);
            Gates.open(k + ".release");
        }
    }

    @Test
    void keepsNewestFinishedJobs() throws Exception {
        try (JobManager jobs = Support.open(dir.resolve("jobs.db"))) {
            for (int i = 0; i < 30; i++) {
                jobs.dispatch(new ChattyJob(1, 0, 0)).result().get(20, TimeUnit.SECONDS);
            }
            CleanResult result = jobs.cleanKeepingNewest(10);
            assertThat(result.jobs()).isEqualTo(20);
            assertThat(jobs.list(JobQuery.all())).hasSize(10);
        }
    }

    @Test
    void cleaningByAgeOrKeepingNewestNeverDeletesQueuedPausedOrRunningJobs() throws Exception {
        Path db = dir.resolve("jobs.db");
        String p = UUID.randomUUID().toString();
        String r = UUID.randomUUID().toString();
        // one worker, so a job dispatched while the gated one runs stays QUEUED
        try (JobManager jobs = JobManager.builder()
                .database(db)
                .workers(1)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build()) {
            List<UUID> finished = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                JobHandle<Integer> h = jobs.dispatch(new ChattyJob(1, 0, 0));
                h.result().get(20, TimeUnit.SECONDS);
                finished.add(h.id());
            }
            UUID paused = jobs.dispatch(new GateJob(p)).id();
            assertThat(Gates.await(p + ".started", 20_000)).isTrue();
            jobs.pause(paused);
            Support.awaitStatus(jobs, paused, JobStatus.PAUSED);
            UUID running = jobs.dispatch(new GateJob(r)).id();
            assertThat(Gates.await(r + ".started", 20_000)).isTrue();
            UUID queued = jobs.dispatch(new ChattyJob(1, 0, 0)).id();
            Map<UUID, JobStatus> active =
                    Map.of(queued, JobStatus.QUEUED, paused, JobStatus.PAUSED, running, JobStatus.RUNNING);
            assertActive(jobs, active);
            // all of them old enough for any age limit
            Support.sql(db, "UPDATE jobs SET created_at = 1000");
            Support.sql(
                    db,
                    "UPDATE jobs SET completed_at = 1000 WHERE id IN ("
                            + finished.subList(0, 10).stream()
                                    .map(id -> "'" + id + "'")
                                    .collect(Collectors.joining(", "))
                            + ")");

            assertThat(jobs.clean(Duration.ofDays(1)).jobs())
                    .as("the 10 finished a day ago")
                    .isEqualTo(10);
            assertActive(jobs, active);
            // active rows have no completed_at, so they sort after every finished one: oldest, first to go
            assertThat(jobs.cleanKeepingNewest(5).jobs())
                    .as("finished beyond the newest 5")
                    .isEqualTo(15);
            assertActive(jobs, active);
            assertThat(jobs.cleanKeepingNewest(0).jobs())
                    .as("every finished job")
                    .isEqualTo(5);
            assertActive(jobs, active);
            assertThat(count(db, "SELECT count(*) FROM jobs")).isEqualTo(3);

            // only the status decides: not even a completed_at left on an active row (a hand edit, an old
            // version) makes it deletable
            Support.sql(db, "UPDATE jobs SET completed_at = 1000");
            assertThat(jobs.clean(Duration.ofDays(1)).jobs()).isZero();
            assertThat(jobs.cleanKeepingNewest(0).jobs()).isZero();
            assertActive(jobs, active);

            Gates.open(r + ".release");
            assertThat(jobs.handle(running).result().get(20, TimeUnit.SECONDS)).isEqualTo(r);
            assertThat(jobs.handle(queued).result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
    }

    private static void assertActive(JobManager jobs, Map<UUID, JobStatus> expected) {
        List<JobInfo> all = jobs.list(JobQuery.all().limit(1000));
        expected.forEach((id, status) -> assertThat(all)
                .as("the %s job is still there", status)
                .extracting(JobInfo::id, JobInfo::status)
                .contains(tuple(id, status)));
    }

    @Test
    void cleansHundredThousandRowsInChunksWhileAnotherWriterKeepsWriting() throws Exception {
        Path db = dir.resolve("jobs.db");
        try (JobManager jobs = Support.open(db)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                c.setAutoCommit(false);
                try (PreparedStatement s =
                        c.prepareStatement("INSERT INTO jobs (id, name, version, status, created_at, completed_at) "
                                + "VALUES (?, 'test.steps', 1, 'COMPLETED', 1000, 1000)")) {
                    for (int i = 0; i < 100_000; i++) {
                        s.setString(1, UUID.randomUUID().toString());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
                c.commit();
            }
            AtomicBoolean cleaning = new AtomicBoolean(true);
            // A second writer with a short busy timeout: it would fail if clean held the lock for long.
            CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
                int writes = 0;
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                        Statement s = c.createStatement()) {
                    s.execute("PRAGMA busy_timeout = 2000");
                    s.execute("CREATE TABLE IF NOT EXISTS host_table (n INTEGER)");
                    while (cleaning.get()) {
                        s.execute("INSERT INTO host_table VALUES (" + writes + ")");
                        writes++;
                        Thread.sleep(2); // a steady writer, not one that never lets go of the lock
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("the other writer failed after " + writes + " writes", e);
                }
                return writes;
            });
            CleanResult result;
            try {
                result = jobs.clean(Duration.ofMinutes(1));
            } finally {
                cleaning.set(false);
            }
            assertThat(other.get(60, TimeUnit.SECONDS)).isPositive();
            assertThat(result.jobs()).isEqualTo(100_000);
            assertThat(result.chunks()).isGreaterThanOrEqualTo(200);
            assertThat(count(db, "SELECT count(*) FROM jobs")).isZero();
        }
    }
}
