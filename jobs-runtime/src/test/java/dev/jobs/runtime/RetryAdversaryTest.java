package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobHandler;
import dev.jobs.JobPriority;
import dev.jobs.JobStatus;
import dev.jobs.RetryPolicy;
import dev.jobs.runtime.execution.Recovery;
import dev.jobs.runtime.testjobs.RetryAdvJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries under real process faults: children ({@link AdvChild}) are real JVMs, killed with
 * SIGKILL, frozen with SIGSTOP past their lease and thawed, or killed by their own job
 * ({@code Runtime.halt}). Each test counts what ran twice or was lost and asserts the documented
 * invariants of docs/retries-and-schedules.md. {@code -Dradv.iterations=N} (default 1) repeats each
 * scenario with more jobs and faults; {@code -Dradv.seed=S} fixes the random choices (printed).
 */
@org.junit.jupiter.api.Timeout(value = 20, unit = TimeUnit.MINUTES)
class RetryAdversaryTest {

    static final int ITERATIONS = Integer.getInteger("radv.iterations", 1);
    static final int LEASE = 1000;

    @TempDir
    Path dir;

    Path db;
    Path side;
    final List<Process> procs = new ArrayList<>();
    final List<Process> all = new ArrayList<>();
    int workers = 2;
    int spawned;
    int kills;
    int freezes;
    long seed;
    Random random;

    void setUp(String name) throws Exception {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        db = d.resolve("jobs.db");
        side = d.resolve("side.txt");
        seed = Long.getLong("radv.seed", System.nanoTime());
        random = new Random(seed);
        System.out.println(name + ": seed " + seed + ", iterations " + ITERATIONS + ", dir " + d);
        // creates the schema before the children race on it
        JobManager.builder().database(db).client().build().close();
    }

    @AfterEach
    void killChildren() {
        for (Process p : all) {
            p.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------ 1. retries under faults

    @Test
    void retriesUnderKillsAndFreezes() throws Exception {
        setUp("chaos");
        int n = 40 * ITERATIONS;
        int events = 8 * ITERATIONS;
        List<RetryAdvJob> specs = new ArrayList<>();
        Map<UUID, Integer> stepsOf = new HashMap<>();
        Map<UUID, Integer> failAtOf = new HashMap<>();
        List<UUID> ids = new ArrayList<>();
        try (JobManager c = client()) {
            for (int k = 0; k < n; k++) {
                int steps = 3 + random.nextInt(6);
                int failAt = random.nextInt(4) == 0 ? -1 : random.nextInt(steps);
                RetryAdvJob job = new RetryAdvJob(steps, 40 + random.nextInt(80), failAt, "none", 0, side);
                specs.add(job);
                UUID id = c.dispatch(job).id();
                ids.add(id);
                stepsOf.put(id, steps);
                failAtOf.put(id, failAt);
            }
        }
        spawn(2);
        awaitReady();
        for (int e = 0; e < events; e++) {
            Thread.sleep(300 + random.nextInt(600));
            keepAlive(2);
            Process p = procs.get(random.nextInt(procs.size()));
            if (e % 2 == 0) {
                kill(p);
            } else {
                freeze(p, LEASE * 5 / 2);
            }
        }
        awaitTerminal(ids, 90);
        Map<String, Long> counts = new HashMap<>();
        Lines lines = lines();
        List<String> problems = new ArrayList<>();
        try (JobManager c = client()) {
            for (UUID id : ids) {
                JobInfo info = c.info(id);
                checkHistory(info, problems);
                count(counts, "status " + info.status());
                int steps = stepsOf.get(id);
                Map<Integer, Long> done = lines.done(id);
                if (info.status() == JobStatus.COMPLETED) {
                    long out = Long.parseLong(info.output().orElse("-1").trim());
                    if (out != RetryAdvJob.expected(steps)) {
                        problems.add(id + ": output " + out + ", expected " + RetryAdvJob.expected(steps));
                    }
                    for (int s = 0; s < steps; s++) {
                        if (done.getOrDefault(s, 0L) == 0) {
                            problems.add(id + ": COMPLETED but step " + s + " never done");
                        }
                    }
                    if (failAtOf.get(id) >= 0 && info.failedAttempts() == 0) {
                        problems.add(id + ": COMPLETED with no failed attempt though attempt 1 throws at step "
                                + failAtOf.get(id));
                    }
                } else if (info.status() == JobStatus.FAILED) {
                    if (info.failedAttempts() != info.maxAttempts()) {
                        problems.add(id + ": FAILED after " + info.failedAttempts() + " of " + info.maxAttempts()
                                + " attempts: " + info.error().orElse(""));
                    }
                } else {
                    problems.add(id + ": ends " + info.status());
                }
                for (Map.Entry<Integer, Long> d : done.entrySet()) {
                    count(counts, "stepsTwice", Math.max(0, d.getValue() - 1));
                }
                count(counts, "failedAttempts", info.failedAttempts());
            }
        }
        long bound = (long) (kills + freezes) * workers;
        counts.put("kills", (long) kills);
        counts.put("freezes", (long) freezes);
        counts.put("jobs", (long) n);
        System.out.println("chaos counts " + counts);
        assertThat(problems).as("seed " + seed).isEmpty();
        assertThat(counts.getOrDefault("stepsTwice", 0L))
                .as("step side effects done twice (bound: a step in flight per kill/freeze per worker), seed " + seed)
                .isLessThanOrEqualTo(bound);
    }

    // ------------------------------------------------------------------ 2. a stale attempt that throws is fenced

    @Test
    void aFrozenAttemptThatThrowsAfterItsTakeOverChangesNothing() throws Exception {
        setUp("stale");
        spawn(2);
        awaitReady();
        int rounds = 2 * ITERATIONS;
        int staleThrows = 0;
        List<String> problems = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            // step 0: the run is frozen before its first checkpoint (its start not yet written, for a
            // fresh claim); step 2: after two checkpoints
            int failAt = r % 2 == 0 ? 2 : 0;
            boolean thawAfterCompletion = (r / 2) % 2 == 1;
            UUID id;
            try (JobManager c = client()) {
                id = c.dispatch(new RetryAdvJob(6, 200, failAt, "stale", 1500, side))
                        .id();
            }
            Path marker = Path.of(side + ".stale-" + id);
            awaitFile(marker, 20);
            long stalePid = Long.parseLong(Files.readString(marker).trim());
            Process stale =
                    procs.stream().filter(p -> p.pid() == stalePid).findFirst().orElseThrow();
            freezeOutsideTx(stale);
            freezes++;
            // wait for the other process to take over and pass the failing step
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            try (JobManager c = client()) {
                while (System.nanoTime() < deadline) {
                    if (thawAfterCompletion
                            ? c.info(id).status() == JobStatus.COMPLETED
                            : lines().all.stream()
                                    .anyMatch(
                                            l -> l.startsWith("D " + id + " ") && !l.contains(" " + stalePid + " "))) {
                        break;
                    }
                    Thread.sleep(20);
                }
            }
            Thread.sleep(thawAfterCompletion ? 0 : 100);
            Adversary.signal(stale, "CONT");
            awaitTerminal(List.of(id), 30);
            Thread.sleep(2000); // the stale run throws and writes its retry
            Lines lines = lines();
            boolean threw = lines.all.stream().anyMatch(l -> l.startsWith("F " + id + " " + stalePid + " "));
            if (threw) {
                staleThrows++;
            }
            try (JobManager c = client()) {
                JobInfo info = c.info(id);
                System.out.println("stale round " + r + " (fail at step " + failAt + ", thaw "
                        + (thawAfterCompletion ? "after" : "before")
                        + " completion): " + info.status() + ", failedAttempts " + info.failedAttempts()
                        + ", failures " + info.failures() + ", stale run threw " + threw);
                if (info.status() != JobStatus.COMPLETED) {
                    problems.add(id + ": " + info.status() + " " + info.error().orElse(""));
                }
                if (info.failedAttempts() != 0 || !info.failures().isEmpty()) {
                    problems.add(id + ": the stale run's failure was recorded: " + info.failedAttempts() + " "
                            + info.failures());
                }
                if (Long.parseLong(info.output().orElse("-1").trim()) != RetryAdvJob.expected(6)) {
                    problems.add(id + ": output " + info.output());
                }
                long ends = lines.all.stream()
                        .filter(l -> l.startsWith("E " + id + " "))
                        .count();
                if (ends != 1) {
                    problems.add(id + ": ran to its end " + ends + " times");
                }
            }
            keepAlive(2);
        }
        System.out.println("stale rounds " + rounds + ", stale runs that threw after thawing " + staleThrows);
        assertThat(problems).as("seed " + seed).isEmpty();
        assertThat(staleThrows)
                .as("stale runs that threw (the scenario was exercised)")
                .isPositive();
    }

    // ------------------------------------------------------------------ 3. priorities with delays and retries

    @Test
    void dueHighPriorityRetriesAndDelaysAreNotStarvedByLowPriorityBacklog() throws Exception {
        setUp("starve");
        int low = 300 * ITERATIONS;
        int high = 10 * ITERATIONS;
        List<UUID> lowIds = new ArrayList<>();
        List<UUID> retryIds = new ArrayList<>();
        List<UUID> delayedIds = new ArrayList<>();
        RetryPolicy fast = RetryPolicy.attempts(3)
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200), 2.0)
                .withJitter(0.5);
        try (JobManager c = client()) {
            List<JobHandler<?>> lows = new ArrayList<>();
            for (int k = 0; k < low; k++) {
                lows.add(new RetryAdvJob(1, 40, -1, "none", 0, side));
            }
            c.dispatchAll(lows, DispatchOptions.defaults().priority(JobPriority.LOW))
                    .forEach(h -> lowIds.add(h.id()));
        }
        spawn(2);
        awaitReady();
        try (JobManager c = client()) {
            for (int k = 0; k < high; k++) {
                retryIds.add(c.dispatch(
                                new RetryAdvJob(2, 10, 0, "none", 0, side),
                                DispatchOptions.defaults()
                                        .priority(JobPriority.HIGH)
                                        .retry(fast))
                        .id());
                delayedIds.add(c.dispatch(
                                new RetryAdvJob(1, 10, -1, "none", 0, side),
                                DispatchOptions.defaults()
                                        .priority(JobPriority.HIGH)
                                        .delay(Duration.ofMillis(200 + random.nextInt(1500))))
                        .id());
                Thread.sleep(50);
            }
        }
        List<UUID> everything = new ArrayList<>(lowIds);
        everything.addAll(retryIds);
        everything.addAll(delayedIds);
        awaitTerminal(everything, 120);
        List<String> problems = new ArrayList<>();
        long slack = 1500;
        long worstRetry = 0;
        long worstDelay = 0;
        Instant lastHigh = Instant.EPOCH;
        try (JobManager c = client()) {
            Instant lastLow = lowIds.stream()
                    .map(id -> c.info(id).completedAt().orElseThrow())
                    .max(Instant::compareTo)
                    .orElseThrow();
            for (UUID id : retryIds) {
                JobInfo info = c.info(id);
                checkHistory(info, problems);
                if (info.status() != JobStatus.COMPLETED || info.failures().size() != 1) {
                    problems.add(id + ": " + info.status() + " failures " + info.failures());
                    continue;
                }
                // due at most maxDelay after its failure
                Instant due = info.failures().get(0).at().plusMillis(200);
                long late = info.completedAt().orElseThrow().toEpochMilli() - due.toEpochMilli();
                worstRetry = Math.max(worstRetry, late);
                if (late > slack) {
                    problems.add(id + ": retry completed " + late + " ms after it was due");
                }
                lastHigh = max(lastHigh, info.completedAt().orElseThrow());
            }
            for (UUID id : delayedIds) {
                JobInfo info = c.info(id);
                Instant runAt = info.runAt().orElseThrow();
                Instant started = info.startedAt().orElseThrow();
                if (started.isBefore(runAt)) {
                    problems.add(id + ": started " + started + " before its run time " + runAt);
                }
                long late = started.toEpochMilli() - runAt.toEpochMilli();
                worstDelay = Math.max(worstDelay, late);
                if (late > slack) {
                    problems.add(id + ": delayed job started " + late + " ms after its run time");
                }
                lastHigh = max(lastHigh, info.completedAt().orElseThrow());
            }
            System.out.println("starve: low " + low + " high " + 2 * high + ", worst retry lateness " + worstRetry
                    + " ms, worst delay lateness " + worstDelay + " ms, last high " + lastHigh + ", last low "
                    + lastLow);
            assertThat(lastLow)
                    .as("the low backlog outlived the high jobs (the scenario was exercised)")
                    .isAfter(lastHigh);
        }
        assertThat(problems).as("seed " + seed).isEmpty();
    }

    // ------------------------------------------------------------------ 4. poison jobs with a retry policy

    /**
     * What retries-and-schedules.md promises: a run that died without reaching a checkpoint since
     * it started counts as a failed attempt, so an always-halting job with maxAttempts 3 kills its
     * JVM exactly 3 times and ends FAILED with 3 lost attempts, and a job that halts on attempt 1
     * halts once and completes on attempt 2. (This test found that the first run's lazily written
     * start hid one lost run of each job from its attempts; a job with a retry policy now records
     * its start before it runs.)
     */
    @Test
    void poisonJobsWithARetryPolicyEndAfterExactlyTheirAttempts() throws Exception {
        poison(true);
    }

    void poison(boolean strict) throws Exception {
        setUp(strict ? "poisonstrict" : "poison");
        workers = 1; // a halt kills only the job that halts
        int each = ITERATIONS;
        List<UUID> halt = new ArrayList<>();
        List<UUID> haltFirst = new ArrayList<>();
        try (JobManager c = client()) {
            for (int k = 0; k < each; k++) {
                halt.add(c.dispatch(new RetryAdvJob(3, 50, -1, "halt", 0, side)).id());
                haltFirst.add(c.dispatch(new RetryAdvJob(3, 50, -1, "haltfirst", 0, side))
                        .id());
            }
        }
        spawn(2);
        awaitReady();
        List<UUID> ids = new ArrayList<>(halt);
        ids.addAll(haltFirst);
        awaitTerminal(ids, 120);
        Lines lines = lines();
        List<String> problems = new ArrayList<>();
        try (JobManager c = client()) {
            for (UUID id : halt) {
                JobInfo info = c.info(id);
                checkHistory(info, problems);
                long halts = lines.count("H " + id + " ");
                System.out.println("halt " + id + ": " + info.status() + " " + info.failedAttempts() + "/"
                        + info.maxAttempts() + " halts " + halts + " "
                        + info.error().orElse("") + " lines "
                        + lines.all.stream()
                                .filter(l -> l.contains(id.toString()))
                                .toList());
                if (info.status() != JobStatus.FAILED
                        || info.failedAttempts() != 3
                        || !info.error().orElse("").startsWith("poison job: its last attempt")) {
                    problems.add(id + ": always halting: " + info.status() + " after " + info.failedAttempts()
                            + " failed attempts, error " + info.error().orElse(""));
                }
                if (strict ? halts != 3 : halts < 3 || halts > 4) {
                    problems.add(id + ": always halting: halted its JVM " + halts + " times, expected 3");
                }
                for (var f : info.failures()) {
                    if (!f.error().equals(Recovery.INTERRUPTED_REASON)) {
                        problems.add(id + ": attempt " + f.attempt() + " recorded as " + f.error());
                    }
                }
            }
            for (UUID id : haltFirst) {
                JobInfo info = c.info(id);
                checkHistory(info, problems);
                long halts = lines.count("H " + id + " ");
                if (info.status() != JobStatus.COMPLETED
                        || info.failedAttempts() != 1
                        || (strict ? halts != 1 : halts < 1 || halts > 2)
                        || Long.parseLong(info.output().orElse("-1").trim()) != RetryAdvJob.expected(3)) {
                    problems.add(id + ": halting on attempt 1: " + info.status() + " after " + info.failedAttempts()
                            + " failed attempts " + info.failures() + ", halts " + halts + ", output "
                            + info.output());
                }
            }
        }
        System.out.println("poison: " + halt.size() + " always halting, " + haltFirst.size()
                + " halting once, JVMs started " + spawned);
        assertThat(problems).as("seed " + seed).isEmpty();
    }

    // ------------------------------------------------------------------ invariants

    /** failures() numbered 1..n without gaps, n == failedAttempts, n <= maxAttempts. */
    static void checkHistory(JobInfo info, List<String> problems) {
        List<Integer> numbers = info.failures().stream().map(f -> f.attempt()).toList();
        List<Integer> wanted =
                IntStream.rangeClosed(1, info.failedAttempts()).boxed().toList();
        if (!numbers.equals(wanted)) {
            problems.add(info.id() + ": history " + numbers + " for " + info.failedAttempts() + " failed attempts "
                    + info.failures());
        }
        if (info.failedAttempts() > info.maxAttempts()) {
            problems.add(info.id() + ": " + info.failedAttempts() + " failed attempts of " + info.maxAttempts());
        }
    }

    // ------------------------------------------------------------------ harness

    JobManager client() {
        return JobManager.builder().database(db).client().build();
    }

    static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static void count(Map<String, Long> counts, String key) {
        count(counts, key, 1);
    }

    static void count(Map<String, Long> counts, String key, long by) {
        counts.merge(key, by, Long::sum);
    }

    Process child() throws Exception {
        int k = spawned++;
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Xmx192m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dadv.workers=" + workers,
                "-Dadv.lease=" + LEASE,
                "-Dadv.busy=10000",
                "-Dadv.poll=50",
                AdvChild.class.getName(),
                "work",
                db.toString());
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(db.resolveSibling("child" + k + ".out").toFile())
                .start();
        all.add(p);
        return p;
    }

    void spawn(int n) throws Exception {
        for (int k = 0; k < n; k++) {
            procs.add(child());
        }
    }

    /** Replaces the children that died (killed, or halted by their job). */
    void keepAlive(int n) throws Exception {
        procs.removeIf(p -> !p.isAlive());
        while (procs.size() < n) {
            procs.add(child());
        }
    }

    /** Waits until every child started so far is ready or dead (a poison job may halt it first). */
    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int k = 0; k < spawned; k++) {
            Path out = db.resolveSibling("child" + k + ".out");
            Process p = all.get(k);
            while (p.isAlive() && !(Files.exists(out) && Files.readString(out).contains("ready"))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("child " + k + " not ready");
                }
                Thread.sleep(20);
            }
        }
    }

    void kill(Process p) throws Exception {
        p.destroyForcibly().waitFor();
        kills++;
        keepAlive(2);
    }

    void freeze(Process p, int ms) throws Exception {
        freezeOutsideTx(p);
        Thread.sleep(ms);
        Adversary.signal(p, "CONT");
        freezes++;
    }

    /** SIGSTOP, outside a write transaction (a process frozen in a commit is another scenario). */
    void freezeOutsideTx(Process p) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            Adversary.signal(p, "STOP");
            if (FaultToleranceTest.writeLockFree(db)) {
                return;
            }
            Adversary.signal(p, "CONT");
            Thread.sleep(5 + random.nextInt(30));
        }
        throw new IllegalStateException("held the write lock at 200 freezes");
    }

    void awaitFile(Path f, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(f) || Files.readString(f).isBlank()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + f);
            }
            Thread.sleep(5);
        }
    }

    /** Waits until every job is COMPLETED, FAILED or CANCELLED, keeping two children alive; fails with the stuck ones. */
    void awaitTerminal(List<UUID> ids, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (JobManager c = client()) {
            while (true) {
                List<String> open = new ArrayList<>();
                for (UUID id : ids) {
                    JobInfo info = c.info(id);
                    if (info.status() == JobStatus.QUEUED
                            || info.status() == JobStatus.RUNNING
                            || info.status() == JobStatus.PAUSED) {
                        open.add(id + " " + info.status() + " attempt " + info.attempt() + " failed "
                                + info.failedAttempts() + " owner "
                                + info.owner().orElse("-") + " lease "
                                + info.leaseUntil().map(Instant::toString).orElse("-") + " runAt "
                                + info.runAt().map(Instant::toString).orElse("-"));
                    }
                }
                if (open.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    assertThat(open)
                            .as("jobs stuck after " + seconds + " s, seed " + seed)
                            .isEmpty();
                }
                keepAlive(2);
                Thread.sleep(200);
            }
        }
    }

    /** The side file's lines. */
    final class Lines {
        final List<String> all;

        Lines(List<String> all) {
            this.all = all;
        }

        /** For each step of a job, how many times its side effect was done. */
        Map<Integer, Long> done(UUID id) {
            String prefix = "D " + id + " ";
            return all.stream()
                    .filter(l -> l.startsWith(prefix))
                    .collect(Collectors.groupingBy(
                            l -> Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1)), Collectors.counting()));
        }

        long count(String prefix) {
            return all.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }

    Lines lines() throws Exception {
        if (!Files.exists(side)) {
            return new Lines(List.of());
        }
        List<String> raw = Files.readAllLines(side, StandardCharsets.UTF_8);
        // a line cut by a kill -9 is not a whole record
        return new Lines(raw.stream()
                .filter(l -> l.matches("[SDFEH] \\S+ \\d+ \\d+( \\d+)?"))
                .toList());
    }
}
