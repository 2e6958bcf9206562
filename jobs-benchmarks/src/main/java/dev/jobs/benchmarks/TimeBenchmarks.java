package dev.jobs.benchmarks;

import dev.jobs.CatchUp;
import dev.jobs.Overlap;
import dev.jobs.runtime.DispatchOptions;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobQuery;
import dev.jobs.runtime.Schedule;
import dev.jobs.runtime.ScheduleSpec;
import dev.jobs.runtime.SynchronousMode;
import dev.jobs.runtime.events.JobEvent;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The time features measured on a real database, with the real clock:
 *
 * <ul>
 *   <li>{@code idle}: the CPU an idle manager uses while 100,000 delayed jobs wait;
 *   <li>{@code lateness}: how late delayed jobs start after their run time on an idle manager;
 *   <li>{@code schedules}: how late the ticks of 10,000 per-minute schedules get their jobs.
 * </ul>
 *
 * <pre>
 * java -cp jobs-benchmarks/target/benchmarks-all.jar dev.jobs.benchmarks.TimeBenchmarks all
 * </pre>
 */
public final class TimeBenchmarks {

    private final Path dir;

    private TimeBenchmarks(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        String scenario = args.length == 0 ? "all" : args[0];
        Path dir = Files.createTempDirectory("jobs-time-bench");
        TimeBenchmarks b = new TimeBenchmarks(dir);
        switch (scenario) {
            case "idle" -> b.idle(args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
            case "lateness" -> b.lateness(2_000);
            case "schedules" -> b.schedules(10_000);
            case "all" -> {
                b.idle(100_000);
                b.lateness(2_000);
                b.schedules(10_000);
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        System.exit(0);
    }

    private JobManager open(String name) {
        return JobManager.builder()
                .database(dir.resolve(name + "-" + UUID.randomUUID() + ".db"))
                .synchronous(SynchronousMode.FULL)
                .workers(4)
                .build();
    }

    /** Process CPU time in nanoseconds. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** 100,000 jobs delayed by an hour, then 30 s of nothing: the CPU the process used meanwhile. */
    private void idle(int jobs) throws Exception {
        try (JobManager m = open("idle")) {
            List<BenchJobs.NoopJob> batch = new ArrayList<>();
            DispatchOptions later = DispatchOptions.defaults().delay(Duration.ofHours(1));
            for (int i = 0; i < jobs; i++) {
                batch.add(new BenchJobs.NoopJob(i));
                if (batch.size() == 10_000) {
                    m.dispatchAll(batch, later);
                    batch.clear();
                }
            }
            Thread.sleep(
                    Long.getLong("settle", 3_000)); // let the dispatch settle (JIT, writer, checkpoints of the WAL)
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            Map<Long, Long> before = new java.util.HashMap<>();
            for (long id : threads.getAllThreadIds()) {
                before.put(id, threads.getThreadCpuTime(id));
            }
            long wall0 = System.nanoTime();
            long cpu0 = cpuNanos();
            Thread.sleep(30_000);
            double cpu = (cpuNanos() - cpu0) * 100.0 / (System.nanoTime() - wall0);
            if (Boolean.getBoolean("threads")) {
                for (long id : threads.getAllThreadIds()) {
                    long used = threads.getThreadCpuTime(id) - before.getOrDefault(id, 0L);
                    java.lang.management.ThreadInfo info = threads.getThreadInfo(id);
                    if (used > 5_000_000 && info != null) {
                        System.out.printf(Locale.ROOT, "  thread %-40s %8.1f ms%n", info.getThreadName(), used / 1e6);
                    }
                }
            }
            print("idle manager, " + jobs + " delayed jobs waiting: CPU", cpu, "%", "over 30 s, of one core");
        }
    }

    /** Delayed jobs due every 5 ms over ~10 s: how long after its run time each starts. */
    private void lateness(int jobs) throws Exception {
        try (JobManager m = open("lateness")) {
            Map<UUID, Instant> due = new ConcurrentHashMap<>();
            long[] late = new long[jobs];
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            CountDownLatch started = new CountDownLatch(jobs);
            m.addListener(e -> {
                if (e instanceof JobEvent.Started s) {
                    Instant at = due.get(s.jobId());
                    if (at != null) {
                        late[n.getAndIncrement()] =
                                Duration.between(at, s.timestamp()).toNanos();
                        started.countDown();
                    }
                }
            });
            Instant base = Instant.now().plusSeconds(2);
            for (int i = 0; i < jobs; i++) {
                Instant at = base.plusMillis(5L * i);
                JobHandle<Integer> h = m.dispatch(
                        new BenchJobs.NoopJob(i), DispatchOptions.defaults().runAt(at));
                due.put(h.id(), at);
            }
            // a Started event may come before its id is in the map only for a job due before its
            // dispatch returned: base is 2 s ahead, so none is
            if (!started.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (jobs - started.getCount()) + " delayed jobs started");
            }
            long[] sorted = Arrays.copyOf(late, n.get());
            Arrays.sort(sorted);
            print(
                    "delayed job start after its run time (" + jobs + " jobs, one per 5 ms): p50",
                    sorted[sorted.length / 2] / 1e6,
                    "ms",
                    "");
            print("  p99", sorted[(int) (sorted.length * 0.99)] / 1e6, "ms", "");
            print("  max", sorted[sorted.length - 1] / 1e6, "ms", "");
        }
    }

    /** 10,000 schedules on every minute: how long after its tick each tick's job is stored. */
    private void schedules(int count) throws Exception {
        try (JobManager m = open("schedules")) {
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                m.schedules()
                        .upsert(ScheduleSpec.of(
                                        "s" + i,
                                        Schedule.cron("* * * * *", ZoneOffset.UTC),
                                        "bench.noop",
                                        "{\"n\":" + i + "}")
                                .withCatchUp(CatchUp.SKIP)
                                .withOverlap(Overlap.ALLOW));
            }
            print("upsert a schedule", (System.nanoTime() - t0) / 1e6 / count, "ms", count + " schedules");
            Instant first = Instant.now()
                    .truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                    .plus(Duration.ofMinutes(1));
            // the first minute's tick runs code the JIT has not compiled yet; the second is the steady state
            for (Instant tick : List.of(first, first.plus(Duration.ofMinutes(1)))) {
                measureTick(m, tick, count);
            }
        }
    }

    private static void measureTick(JobManager m, Instant tick, int count) throws Exception {
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), tick).toMillis()));
        long[] late = new long[count];
        int found = 0;
        for (int tries = 0; tries < 120 && found < count; tries++) {
            Thread.sleep(500);
            found = 0;
            JobInfo last = null;
            while (true) {
                JobQuery q = JobQuery.all().names("bench.noop").oldestFirst().limit(1000);
                List<JobInfo> page = m.list(last == null ? q : q.after(last));
                for (JobInfo j : page) {
                    if (j.scheduledFor().filter(tick::equals).isPresent() && found < count) {
                        late[found++] = Duration.between(tick, j.createdAt()).toNanos();
                    }
                }
                if (page.size() < 1000) {
                    break;
                }
                last = page.get(page.size() - 1);
            }
        }
        long[] sorted = Arrays.copyOf(late, found);
        Arrays.sort(sorted);
        print(count + " per-minute schedules, tick " + tick + ": ticks given a job", found, "", "of " + count);
        if (found > 0) {
            print("  tick to its job stored: min", sorted[0] / 1e6, "ms", "");
            print("  p50", sorted[found / 2] / 1e6, "ms", "");
            print("  p99", sorted[(int) (found * 0.99)] / 1e6, "ms", "");
            print("  max", sorted[found - 1] / 1e6, "ms", "");
        }
    }

    private static void print(String figure, double value, String unit, String extra) {
        System.out.printf(
                Locale.ROOT,
                "%-70s %10.2f %-3s | cpus=%d jdk=%s sync=FULL %s%n",
                figure,
                value,
                unit,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                extra);
    }
}
