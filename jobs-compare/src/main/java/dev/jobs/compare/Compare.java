package dev.jobs.compare;

import com.github.kagkarlsson.scheduler.Scheduler;
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
 * synchronous=FULL: N no-op jobs scheduled one by one from one thread, then drained by 4 worker
 * threads; the clock runs from the first schedule call to the last job's end. Median of 3 runs
 * after a warm-up.
 *
 * <pre>
 * ./mvnw -q -B -Pcompare -DskipTests package
 * java -jar jobs-compare/target/compare.jar [n]
 * </pre>
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

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        report("db-scheduler 16.12.0 (tuned)", n, Compare::dbScheduler);
        report("jobs (dispatch one by one)", n, Compare::jobsOneByOne);
        report("jobs (dispatchAll)", n, Compare::jobsBulk);
        System.exit(0);
    }

    private static void report(String name, int n, Run run) throws Exception {
        run.jobsPerSecond(Math.min(n, 5_000)); // warm-up
        double[] values = new double[3];
        for (int i = 0; i < 3; i++) {
            values[i] = run.jobsPerSecond(n);
        }
        java.util.Arrays.sort(values);
        System.out.printf(Locale.ROOT, "%-34s %10.0f jobs/s  (runs %.0f / %.0f / %.0f; n=%d, 4 workers, SQLite WAL, synchronous=FULL, JDK %s)%n",
                name, values[1], values[0], values[1], values[2], n, System.getProperty("java.version"));
    }

    private static Path freshDb() throws Exception {
        return Files.createTempDirectory("compare-").resolve("db.sqlite");
    }

    static double dbScheduler(int n) throws Exception {
        Path file = freshDb();
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE scheduled_tasks (task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BLOB,"
                    + " execution_time TIMESTAMP NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT, last_success TIMESTAMP,"
                    + " last_failure TIMESTAMP, consecutive_failures INT, last_heartbeat TIMESTAMP, version BIGINT NOT NULL,"
                    + " priority SMALLINT, PRIMARY KEY (task_name, task_instance))");
            s.execute("CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)");
            s.execute("CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)");
        }
        CountDownLatch done = new CountDownLatch(n);
        OneTimeTask<Void> task = Tasks.oneTime("noop").execute((instance, ctx) -> done.countDown());
        // tuned for throughput: poll every 10 ms and look for due work as soon as something is scheduled
        Scheduler scheduler = Scheduler.create(dataSource, task).threads(4).pollingInterval(Duration.ofMillis(10))
                .enableImmediateExecution().build();
        scheduler.start();
        try {
            long t0 = System.nanoTime();
            Instant now = Instant.now();
            for (int i = 0; i < n; i++) {
                scheduler.schedule(task.instance("job-" + i), now);
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("db-scheduler did not finish: " + done.getCount() + " left");
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        } finally {
            scheduler.stop();
        }
    }

    static double jobsOneByOne(int n) throws Exception {
        try (JobManager jobs = JobManager.builder().database(freshDb()).workers(4).build()) {
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
    }

    static double jobsBulk(int n) throws Exception {
        try (JobManager jobs = JobManager.builder().database(freshDb()).workers(4).build()) {
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
}
