package dev.jobs.runtime.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.SynchronousMode;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.JobRow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database written by the previous release (schema version 5: delayed jobs, no retries or
 * schedules) opens with this one: its rows are upgraded and keep working.
 */
class MigrationsTest {

    private static final long NOW = 1_000_000;

    @TempDir
    Path dir;

    private final UUID delayed = UUID.randomUUID();
    private final UUID ready = UUID.randomUUID();

    /** A database at version 5 with a job delayed until NOW + 1000 and one due at once. */
    private Path version5() throws SQLException {
        Path file = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE jobs_schema_version ("
                    + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
            for (Migrations.Migration m : Migrations.ALL) {
                if (m.version() > 5) {
                    break;
                }
                for (String sql : m.statements()) {
                    s.execute(sql);
                }
                s.execute("INSERT INTO jobs_schema_version VALUES (" + m.version() + ", 'x', 0)");
            }
            s.execute("INSERT INTO jobs (id, name, version, data, status, priority, created_at, run_at) VALUES ('"
                    + delayed + "', 't.a', 1, x'80', 'QUEUED', 10, " + NOW + ", " + (NOW + 1_000) + ")");
            s.execute("INSERT INTO jobs (id, name, version, data, status, priority, created_at) VALUES ('" + ready
                    + "', 't.a', 1, x'80', 'QUEUED', 0, " + NOW + ")");
        }
        return file;
    }

    private static SqliteJobStore open(Path file) {
        return SqliteJobStore.open(file, SynchronousMode.NORMAL, Duration.ofSeconds(5), 64, List.of("t.a"));
    }

    @Test
    void aDelayedJobOfTheOldSchemaWaitsForItsTimeAfterTheUpgrade() throws SQLException {
        try (SqliteJobStore store = open(version5())) {
            assertThat(store.claim("o", 10, NOW, NOW + 60_000))
                    .as("only the job due at once, though the delayed one has a higher priority")
                    .extracting(ClaimedJob::id)
                    .containsExactly(ready);
            assertThat(store.nextRunAt(NOW)).hasValue(NOW + 1_000);
            assertThat(store.claim("o", 10, NOW + 1_000, NOW + 60_000))
                    .extracting(ClaimedJob::id)
                    .containsExactly(delayed);
        }
    }

    @Test
    void anUpgradedRowHasNoRetryPolicyNoFailuresAndNoSchedule() throws SQLException {
        try (SqliteJobStore store = open(version5())) {
            JobRow row = store.find(ready).orElseThrow();
            assertThat(row.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(row.failures()).isZero();
            assertThat(row.maxAttempts()).isNull();
            assertThat(row.schedule()).isNull();
            assertThat(store.find(delayed).orElseThrow().runAt()).isEqualTo(NOW + 1_000);
            assertThat(store.schedules()).isEmpty();
            assertThat(store.failedAttempts(ready)).isEmpty();
        }
    }
}
