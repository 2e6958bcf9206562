package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.BlobJob;
import dev.jobs.runtime.testjobs.CountJob;
import dev.jobs.runtime.testjobs.GateJob;
import dev.jobs.runtime.testjobs.Gates;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The disk fills up, the database file disappears, a row cannot be read: each is reported and loses nothing else. */
class StorageFaultTest {

    @TempDir
    Path dir;

    @Test
    void checkpointOnAFullDiskPausesTheJobKeepingItsLastCheckpoint() throws Exception {
        Path mount = dir.resolve("small");
        Files.createDirectories(mount);
        assumeThat(mountTmpfs(mount, "8m"))
                .as("mounting a small tmpfs needs root; skipped")
                .isTrue();
        String key = UUID.randomUUID().toString();
        Path filler = mount.resolve("filler");
        try {
            try (JobManager jobs = JobManager.builder()
                    .database(mount.resolve("jobs.db"))
                    .workers(1)
                    .leaseDuration(Duration.ofSeconds(1))
                    .build()) {
                JobHandle<Integer> handle = jobs.dispatch(new BlobJob(key, 256 * 1024, 3));
                Gates.open(key + ".round1");
                assertThat(Gates.await(key + ".waiting2", 20_000)).isTrue(); // checkpoint 1 is committed
                fill(filler);
                Gates.open(key + ".round2"); // its checkpoint cannot be written
                awaitPausedOrStuck(jobs, handle.id(), filler);
                JobInfo paused = jobs.info(handle.id());
                assertThat(paused.status()).isEqualTo(JobStatus.PAUSED);
                assertThat(paused.error())
                        .hasValueSatisfying(m -> assertThat(m).contains("checkpoint", "full", "resume"));
                jobs.resume(handle.id());
                Gates.open(key + ".round3");
                assertThat(handle.result().get(30, TimeUnit.SECONDS)).isEqualTo(3);
                assertThat(jobs.info(handle.id()).status()).isEqualTo(JobStatus.COMPLETED);
            }
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString())
                    .inheritIO()
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * The pause itself may not fit on the full disk: then it is retried in the background. Frees
     * the space once the job's run has ended, and waits for PAUSED.
     */
    private static void awaitPausedOrStuck(JobManager jobs, UUID id, Path filler) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean freed = false;
        while (true) {
            JobStatus status;
            try {
                status = jobs.info(id).status();
            } catch (StoreException e) {
                status = null; // reading may fail too while the disk is full
            }
            if (status == JobStatus.PAUSED) {
                Files.deleteIfExists(filler);
                return;
            }
            if (!freed && jobs.pendingOutcomes() > 0) {
                Files.delete(filler); // the run is over, its pause waits for room: make room
                freed = true;
            }
            assertThat(System.nanoTime()).as("job %s paused in time", id).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void deletedDatabaseIsNoticedAndEveryCallSaysSo() throws Exception {
        Path db = dir.resolve("jobs.db");
        String key = UUID.randomUUID().toString();
        JobManager jobs = JobManager.builder()
                .database(db)
                .workers(1)
                .changePollInterval(Duration.ofMillis(20))
                .shutdownTimeout(Duration.ofSeconds(5))
                .build();
        try {
            jobs.dispatch(new GateJob(key));
            assertThat(Gates.await(key + ".started", 20_000)).isTrue();
            for (String suffix : List.of("", "-wal", "-shm")) {
                Files.deleteIfExists(Path.of(db + suffix));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            StoreException noticed = null;
            while (noticed == null) {
                try {
                    jobs.dispatch(new CountJob(dir.resolve("side")));
                    assertThat(System.nanoTime())
                            .as("the deletion was noticed in time")
                            .isLessThan(deadline);
                    Thread.sleep(20);
                } catch (StoreException e) {
                    noticed = e;
                }
            }
            assertThat(noticed).hasMessageContaining(db.toString()).hasMessageContaining("deleted or replaced");
            assertThatThrownBy(() -> jobs.list(JobQuery.all()))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("deleted or replaced");
            Gates.open(key + ".release"); // its checkpoint fails: nothing is written to a file that is gone
        } finally {
            jobs.close();
        }
        assertThat(db).doesNotExist();
    }

    @Test
    void rowWithAForeignIdIsSkippedAndEveryOtherJobWorks() throws Exception {
        Path db = dir.resolve("jobs.db");
        Support.open(db).close();
        Support.sql(
                db,
                "INSERT INTO jobs (id, name, version, status, priority, created_at) "
                        + "VALUES ('not-a-uuid', 'test.count', 1, 'QUEUED', 100, 1)");
        Support.sql(
                db,
                "INSERT INTO jobs (id, name, version, status, priority, created_at) " + "VALUES ('" + UUID.randomUUID()
                        + "', 'test.count', 1, 'FROM_THE_FUTURE', 0, 2)");
        try (JobManager jobs = Support.open(db)) {
            JobHandle<Integer> handle = jobs.dispatch(new CountJob(dir.resolve("side")));
            assertThat(handle.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(jobs.list(JobQuery.all())).extracting(JobInfo::id).containsExactly(handle.id());
            assertThat(jobs.active()).isEmpty();
            assertThat(jobs.unreadable())
                    .extracting(UnreadableJob::problem)
                    .containsExactlyInAnyOrder("its id is not a UUID", "its status is unknown");
            assertThat(jobs.unreadable()).extracting(UnreadableJob::id).contains("not-a-uuid");
        }
        assertThat(Support.count(db, "SELECT count(*) FROM jobs WHERE id = 'not-a-uuid' AND status = 'QUEUED'"))
                .as("the foreign row is left as it was")
                .isOne();
    }

    @Test
    void aQueryThatFailsInsideJooqSaysWhichDatabaseFailed() throws Exception {
        Path db = dir.resolve("jobs.db");
        try (JobManager jobs = Support.open(db)) {
            UUID id = jobs.dispatch(new CountJob(dir.resolve("side"))).id();
            Support.sql(db, "DROP TABLE job_logs"); // as another tool (or a bad migration) might
            assertThatThrownBy(() -> jobs.logs(id, 0, 10))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining(db.toString())
                    .hasMessageContaining("job_logs");
            assertThat(jobs.info(id).id()).as("other reads still work").isEqualTo(id);
        }
    }

    private static boolean mountTmpfs(Path at, String size) {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString())
                    .redirectErrorStream(true)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Writes to {@code file} until the file system is full. */
    private static void fill(Path file) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("space")) {
                throw full;
            }
        }
    }
}
