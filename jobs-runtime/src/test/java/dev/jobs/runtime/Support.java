package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.fail;

import dev.jobs.JobStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/** Helpers shared by the runtime tests. */
final class Support {
    private Support() {}

    static JobManager open(Path db) {
        return JobManager.builder().database(db).workers(2).shutdownTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Waits until the stored status is {@code expected}. Status changes made by another thread have
     * no event to wait on yet, so this reads the store until a deadline.
     */
    static void awaitStatus(JobManager jobs, UUID id, JobStatus expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JobStatus status;
        while ((status = jobs.info(id).status()) != expected) {
            if (System.nanoTime() > deadline) {
                fail("job " + id + " stayed " + status + ", expected " + expected);
            }
            Thread.sleep(5);
        }
    }

    /** Runs SQL on the file directly, as a user with the sqlite3 shell would. */
    static void sql(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static long count(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
