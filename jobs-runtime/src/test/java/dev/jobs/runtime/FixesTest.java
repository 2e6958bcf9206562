package dev.jobs.runtime;

import static dev.jobs.runtime.Support.count;
import static dev.jobs.runtime.Support.sql;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.GateJob;
import dev.jobs.runtime.testjobs.Gates;
import dev.jobs.runtime.testjobs.ParamsJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** Edge cases of upgrades, parameters, recovery and leases. */
class FixesTest {

    @TempDir
    Path dir;

    private void insertRow(
            Path db, UUID id, String name, int version, byte[] data, String status, String owner, String control)
            throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO jobs (id, name, version, data, status, priority, created_at, attempt, owner, control, lease_until) "
                                + "VALUES (?, ?, ?, ?, ?, 0, 1, 1, ?, ?, 0)")) {
            s.setString(1, id.toString());
            s.setString(2, name);
            s.setInt(3, version);
            s.setBytes(4, data);
            s.setString(5, status);
            s.setString(6, owner);
            s.setString(7, control);
            s.executeUpdate();
        }
    }

    @Test
    void upgradedStateIsWrittenBackWithTheCurrentVersion() throws Exception {
        Path db = dir.resolve("jobs.db");
        Support.open(db).close();
        byte[] v1 = new ObjectMapper(new MessagePackFactory())
                .writeValueAsBytes(Map.of("target", "a", "failAfterCheckpoint", true));
        UUID failing = UUID.randomUUID();
        UUID completing = UUID.randomUUID();
        insertRow(db, failing, "test.versioned", 1, v1, "QUEUED", null, null);
        insertRow(
                db,
                completing,
                "test.versioned",
                1,
                new ObjectMapper(new MessagePackFactory()).writeValueAsBytes(Map.of("target", "b")),
                "QUEUED",
                null,
                null);
        try (JobManager jobs = Support.open(db)) {
            assertThat(jobs.handle(completing).result().get(20, TimeUnit.SECONDS))
                    .isEqualTo("b");
            Support.awaitStatus(jobs, failing, JobStatus.FAILED);
        }
        // the checkpoint wrote version-2 state, and says so: a later resume must not upgrade it again
        assertThat(count(db, "SELECT version FROM jobs WHERE id = '" + failing + "'"))
                .isEqualTo(2);
    }

    @Test
    void explicitNullParameterKeepsTheDefault() throws Exception {
        try (JobManager jobs = Support.open(dir.resolve("jobs.db"))) {
            Object summary = jobs.dispatchByName(
                            "test.params", "{\"sources\":[\"a\"],\"destination\":\"b\",\"mode\":null,\"options\":null}")
                    .result()
                    .get(20, TimeUnit.SECONDS);
            assertThat(summary).isEqualTo(new ParamsJob.Summary(1, "b", ParamsJob.Mode.SAFE, false, 1, 0));
        }
    }

    @Test
    void cancelAskedBeforeCrashIsHonouredForNonResumableJob() throws Exception {
        Path db = dir.resolve("jobs.db");
        Support.open(db).close();
        UUID id = UUID.randomUUID();
        insertRow(db, id, "test.steps_once", 1, HexFormat.of().parseHex("80"), "RUNNING", "dead-owner", "CANCEL");
        try (JobManager jobs = Support.open(db)) {
            JobInfo info = jobs.info(id);
            assertThat(info.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(info.error()).isEmpty();
        }
    }

    @Test
    void managerNeverRecoversItsOwnRunningJobsAfterItsOwnerRowVanishes() throws Exception {
        Path db = dir.resolve("jobs.db");
        String k = UUID.randomUUID().toString();
        try (JobManager jobs = JobManager.builder()
                .database(db)
                .leaseDuration(Duration.ofMillis(300))
                .build()) {
            UUID id = jobs.dispatch(new GateJob(k)).id();
            Gates.await(k + ".started", 20_000);
            // as if this process stalled past its lease and another manager swept its owner row
            sql(db, "DELETE FROM owners");
            sql(db, "UPDATE jobs SET lease_until = 0 WHERE id = '" + id + "'");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (count(db, "SELECT count(*) FROM owners") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20); // the heartbeat re-creates the row within a third of the lease
            }
            assertThat(count(db, "SELECT count(*) FROM owners")).isOne();
            assertThat(jobs.recoverNow())
                    .as("a recovery sweep leaves this manager's own job alone")
                    .isZero();
            assertThat(jobs.info(id).status()).isEqualTo(JobStatus.RUNNING);
            assertThat(jobs.info(id).attempt()).isEqualTo(1);
            Gates.open(k + ".release");
            assertThat(jobs.handle(id).result().get(20, TimeUnit.SECONDS)).isEqualTo(k);
            assertThat(jobs.info(id).attempt()).isEqualTo(1);
        }
    }

    @Test
    void jobThrowingItsOwnCancelEndsCancelled() throws Exception {
        try (JobManager jobs = Support.open(dir.resolve("jobs.db"))) {
            JobHandle<Void> handle = jobs.dispatch(new dev.jobs.runtime.testjobs.SelfCancellingJob());
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> handle.result().get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(JobCancelledException.class);
            assertThat(jobs.info(handle.id()).status()).isEqualTo(JobStatus.CANCELLED);
        }
    }

    @Test
    void closeCompletesHandlesOfJobsThatDidNotFinish() throws Exception {
        String k = UUID.randomUUID().toString();
        JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).workers(1).build();
        jobs.dispatch(new GateJob(k));
        Gates.await(k + ".started", 20_000);
        JobHandle<?> waiting = jobs.dispatch(new dev.jobs.runtime.testjobs.StepJob(1, null));
        jobs.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> waiting.result().get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ManagerClosedException.class)
                .hasMessageContaining("continues when a manager opens the database again");
        Gates.open(k + ".release");
    }
}
