package dev.jobs.runtime;

import static dev.jobs.runtime.Support.count;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
            assertThat(count(db, "SELECT count(*) FROM jobs WHERE id = '" + old + "'")).isZero();
            assertThat(count(db, "SELECT count(*) FROM job_logs WHERE job_id = '" + old + "'")).isZero();
            assertThat(jobs.info(recent).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(count(db, "SELECT count(*) FROM job_logs WHERE job_id = '" + recent + "'")).isEqualTo(11);
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
    void cleansHundredThousandRowsInChunksWhileAnotherWriterKeepsWriting() throws Exception {
        Path db = dir.resolve("jobs.db");
        try (JobManager jobs = Support.open(db)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
                c.setAutoCommit(false);
                try (PreparedStatement s = c.prepareStatement("INSERT INTO jobs (id, name, version, status, created_at, completed_at) "
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
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
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
