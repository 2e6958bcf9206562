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
        return JobManager.builder()
                .database(db)
                .workers(2)
                .shutdownTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * Waits until the stored status is {@code expected}, woken by the job's events (status
     * changes made in this process publish one) and checked against the store each time.
     */
    @SuppressWarnings("try") // the subscription is held open by the try, not used in it
    static void awaitStatus(JobManager jobs, UUID id, JobStatus expected) throws InterruptedException {
        java.util.concurrent.Semaphore changed = new java.util.concurrent.Semaphore(0);
        try (var subscription = jobs.addListener(id, event -> changed.release())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            JobStatus status;
            while ((status = jobs.info(id).status()) != expected) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("job " + id + " stayed " + status + ", expected " + expected);
                }
                changed.tryAcquire(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    /**
     * Waits for a status that no event announces (WAITING, or a change a trigger made), reading
     * the job again every few milliseconds: there is nothing to wait on but the row itself.
     */
    static void awaitStored(JobManager jobs, UUID id, JobStatus expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JobStatus status;
        while ((status = jobs.info(id).status()) != expected) {
            if (System.nanoTime() > deadline) {
                fail("job " + id + " stayed " + status + ", expected " + expected);
            }
            Thread.sleep(5);
        }
    }

    /** The system property that fixes the seed of the randomised tests, to replay a failure. */
    static final String SEED_PROPERTY = "jobs.test.seed";

    /**
     * The seed of a randomised test: {@code -Djobs.test.seed=N} if given (to replay a failure),
     * else a fresh one. Printed either way; put it in failure messages with {@link #withSeed}.
     */
    static long seed(String test) {
        String fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed == null || fixed.isBlank() ? System.nanoTime() : Long.parseLong(fixed.trim());
        System.out.println(test + " seed: " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        return seed;
    }

    /** {@code failure} with the seed and how to replay it in front of its message. */
    static AssertionError withSeed(AssertionError failure, long seed) {
        AssertionError withSeed = new AssertionError(
                "[seed " + seed + ", replay with -D" + SEED_PROPERTY + "=" + seed + "] " + failure.getMessage(),
                failure.getCause());
        withSeed.setStackTrace(failure.getStackTrace());
        return withSeed;
    }

    /** Runs SQL on the file directly, as a user with the sqlite3 shell would. */
    static void sql(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static long count(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
