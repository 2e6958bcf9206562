package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.StepJob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another process holding the write lock longer than the busy timeout. */
class LockedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void dispatchWhileAnotherProcessHoldsTheWriteLockFailsClearlyAndLosesNothing() throws Exception {
        Path db = dir.resolve("jobs.db");
        try (JobManager jobs = JobManager.builder()
                .database(db)
                .busyTimeout(Duration.ofMillis(300))
                .build()) {
            UUID done = jobs.dispatch(new StepJob(2, null)).id();
            jobs.handle(done).result().get(20, TimeUnit.SECONDS);

            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE"); // what a long write transaction of another process does
                assertThatThrownBy(() -> jobs.dispatch(new StepJob(1, null)))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("is locked by another process for longer than the busy timeout (300 ms)");
                s.execute("ROLLBACK");
            }
            // the lock is gone: everything works again, and nothing that was committed was lost
            assertThat(jobs.dispatch(new StepJob(3, null)).result().get(20, TimeUnit.SECONDS))
                    .isEqualTo(StepJob.expected(3));
            assertThat(jobs.info(done).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(jobs.list(JobQuery.all())).hasSize(2);
        }
    }
}
