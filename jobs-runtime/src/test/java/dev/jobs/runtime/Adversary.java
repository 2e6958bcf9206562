package dev.jobs.runtime;

import dev.jobs.JobHandler;
import dev.jobs.runtime.testjobs.AdvCountJob;
import dev.jobs.runtime.testjobs.AdvOnceJob;
import dev.jobs.runtime.testjobs.AdvStepJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Adversary scenarios with real processes (kill -STOP/-CONT, kill -9). Run:
 * {@code java -cp ... dev.jobs.runtime.Adversary SCENARIO WORKDIR [key=value...]}. Prints counts.
 */
public final class Adversary {

    final Path dir;
    final Path db;
    final Path side;
    final Map<String, String> opt = new HashMap<>();
    final List<Process> procs = new ArrayList<>();
    final Random random;
    int freezes;
    /** The counts of the last {@link #finish()}. */
    final Map<String, Long> counts = new TreeMap<>();

    Adversary(Path dir, String[] kv) throws Exception {
        this.dir = dir;
        Files.createDirectories(dir);
        this.db = dir.resolve("jobs.db");
        this.side = dir.resolve("side.txt");
        for (String s : kv) {
            int i = s.indexOf('=');
            opt.put(s.substring(0, i), s.substring(i + 1));
        }
        random = new Random(Long.parseLong(opt.getOrDefault("seed", "1")));
    }

    int i(String k, int d) {
        return Integer.parseInt(opt.getOrDefault(k, Integer.toString(d)));
    }

    public static void main(String[] args) throws Exception {
        run(args[0], Path.of(args[1]), java.util.Arrays.copyOfRange(args, 2, args.length));
        System.exit(0);
    }

    /** Runs one scenario and returns its counts. */
    static Map<String, Long> run(String scenario, Path dir, String... options) throws Exception {
        Adversary a = new Adversary(dir, options);
        String[] args = {scenario};
        try {
            switch (args[0]) {
                case "alternate" -> a.alternate();
                case "handoff" -> a.handoff();
                case "pauseresume" -> a.pauseResume();
                case "lockheld" -> a.lockHeld();
                case "frozenintx" -> a.frozenInTx();
                case "killrecovery" -> a.killRecovery();
                case "load" -> a.load();
                case "poison" -> a.poison();
                case "skew" -> a.skew();
                default -> throw new IllegalArgumentException(args[0]);
            }
        } finally {
            for (Process p : a.procs) {
                p.destroyForcibly();
            }
        }
        return a.counts;
    }

    // ------------------------------------------------------------------ scenarios

    /** P processes; freeze them in turn (rounds), each for freezeMs, outside a write transaction unless anyTx=1. */
    void alternate() throws Exception {
        int procsN = i("procs", 2);
        dispatchMix();
        for (int p = 0; p < procsN; p++) {
            worker("w" + p);
        }
        awaitReady();
        int rounds = i("rounds", 6);
        int lease = i("lease", 1000);
        for (int r = 0; r < rounds; r++) {
            Process p = procs.get(r % procsN);
            freeze(p, i("freezeMs", lease * 5 / 2), i("anyTx", 0) == 1);
            Thread.sleep(i("gapMs", 500));
        }
        finish();
    }

    /** A 1-worker process dispatches one-shot jobs one at a time (direct hand-off); it is frozen repeatedly. */
    void handoff() throws Exception {
        int n = i("n", 60);
        Process h = child(
                "h",
                "handoff",
                db.toString(),
                side.toString(),
                Integer.toString(n),
                Integer.toString(i("millis", 300)));
        worker("w0");
        awaitReady();
        int lease = i("lease", 1000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(i("seconds", 40));
        while (System.nanoTime() < deadline && !read(dir.resolve("h.out")).contains("dispatched all")) {
            Thread.sleep(random.nextInt(i("maxGap", 600)));
            freeze(h, lease * 2 + random.nextInt(lease), i("anyTx", 0) == 1);
        }
        finish();
    }

    /** Step jobs; a client pauses and resumes them at random while the worker processes are frozen in turn. */
    void pauseResume() throws Exception {
        List<JobHandler<?>> jobs = new ArrayList<>();
        for (int k = 0; k < i("steps", 30); k++) {
            jobs.add(new AdvStepJob(6, 200, side));
        }
        for (int k = 0; k < i("once", 30); k++) {
            jobs.add(new AdvOnceJob(200, side));
        }
        List<java.util.UUID> ids = new ArrayList<>();
        try (JobManager c = JobManager.builder().database(db).client().build()) {
            c.dispatchAll(jobs).forEach(h -> ids.add(h.id()));
        }
        worker("w0");
        worker("w1");
        awaitReady();
        int lease = i("lease", 1000);
        try (JobManager c = JobManager.builder().database(db).client().build()) {
            for (int r = 0; r < i("rounds", 8); r++) {
                for (int k = 0; k < 6; k++) {
                    java.util.UUID id = ids.get(random.nextInt(ids.size()));
                    try {
                        c.pause(id);
                        Thread.sleep(random.nextInt(100));
                        c.resume(id);
                    } catch (RuntimeException e) {
                        // not pausable any more
                    }
                }
                Process p = procs.get(r % 2);
                freeze(p, lease * 5 / 2, false);
                for (java.util.UUID id : ids) { // resume anything left paused
                    try {
                        c.resume(id);
                    } catch (RuntimeException e) {
                        // fine
                    }
                }
            }
            Thread.sleep(2000);
            for (java.util.UUID id : ids) {
                try {
                    c.resume(id);
                } catch (RuntimeException e) {
                    // fine
                }
            }
        }
        finish();
    }

    /**
     * One process runs instant resumable jobs; the write lock is held from outside (a sqlite3 shell,
     * another process frozen in a commit) for holdMs; the process is then killed -9 and a survivor
     * runs the rest. Counts the re-runs against runs in flight + unwritten completions.
     */
    void lockHeld() throws Exception {
        int n = i("n", 2000);
        List<JobHandler<?>> jobs = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            jobs.add(new AdvCountJob(side, i("millis", 0)));
        }
        try (JobManager c = JobManager.builder().database(db).client().build()) {
            c.dispatchAll(jobs);
        }
        Process w = worker("w0");
        awaitReady();
        awaitLines(i("before", 300));
        Connection lock = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = lock.createStatement();
        s.execute("PRAGMA busy_timeout = 10000");
        s.execute("BEGIN IMMEDIATE");
        int atLock = lines().size() / 2;
        System.out.println("write lock taken after " + atLock + " runs");
        Thread.sleep(i("holdMs", 12_000));
        if (i("kill", 1) == 0) { // the process lives on: is anything left RUNNING for ever?
            s.execute("ROLLBACK");
            lock.close();
            System.out.println("write lock released");
            finish();
            return;
        }
        int atKill = lines().size() / 2;
        w.destroyForcibly();
        w.waitFor();
        System.out.println("killed -9 after " + atKill + " runs (" + (atKill - atLock) + " while the lock was held)");
        s.execute("ROLLBACK");
        lock.close();
        worker("w1");
        finish();
    }

    /** Freezes process A while it holds the write lock, for freezeMs: B cannot renew its lease meanwhile. */
    void frozenInTx() throws Exception {
        dispatchMix();
        Process a = worker("w0");
        worker("w1");
        awaitReady();
        for (int r = 0; r < i("rounds", 3); r++) {
            Thread.sleep(1000);
            for (int attempt = 0; ; attempt++) {
                signal(a, "STOP");
                if (!writeLockFree()) {
                    break;
                }
                signal(a, "CONT");
                Thread.sleep(random.nextInt(20));
                if (attempt > 2000) {
                    throw new IllegalStateException("never caught A in a transaction");
                }
            }
            System.out.println("froze A inside a write transaction");
            Thread.sleep(i("freezeMs", 4000));
            signal(a, "CONT");
            freezes++;
        }
        finish();
        String b = read(dir.resolve("w1.out"));
        long healthyLost =
                b.lines().filter(l -> l.contains("this run lost its claim")).count();
        counts.put("healthyLost", healthyLost);
        System.out.println("runs of the never-frozen process B whose job was taken over: " + healthyLost);
    }

    /** A frozen past its lease; C is started (its recovery takes A's jobs) and killed -9 at a random moment of its start. */
    void killRecovery() throws Exception {
        dispatchMix();
        Process a = worker("w0");
        worker("w1");
        awaitReady();
        int lease = i("lease", 1000);
        for (int r = 0; r < i("rounds", 5); r++) {
            Thread.sleep(800);
            freezeOutsideTx(a);
            Thread.sleep(lease + 200);
            Process c = child("c" + r, "work", db.toString());
            Thread.sleep(300 + random.nextInt(700));
            c.destroyForcibly();
            c.waitFor();
            procs.remove(c);
            signal(a, "CONT");
            freezes++;
        }
        finish();
    }

    /** No freezes: CPU burners (run outside), short lease, procs processes; counts false failures and re-runs. */
    void load() throws Exception {
        dispatchMix();
        for (int p = 0; p < i("procs", 3); p++) {
            worker("w" + p);
        }
        awaitReady();
        finish();
    }

    /**
     * One healthy resumable job with a long first step; whichever process runs it is frozen past
     * its lease (outside a transaction), a few times. No JVM ever crashes.
     */
    void poison() throws Exception {
        java.util.UUID id;
        try (JobManager c = JobManager.builder().database(db).client().build()) {
            id = c.dispatch(new AdvStepJob(2, i("stepMs", 5000), side)).id();
        }
        worker("w0");
        worker("w1");
        awaitReady();
        int lease = i("lease", 1000);
        Map<Long, Process> byPid = new HashMap<>();
        procs.forEach(p -> byPid.put(p.pid(), p));
        for (int r = 0; r < i("rounds", 6); r++) {
            long pid = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (pid < 0 && System.nanoTime() < deadline) {
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery(
                                "SELECT o.pid, j.status FROM jobs j LEFT JOIN owners o ON o.id = j.owner WHERE j.id = '"
                                        + id + "'")) {
                    rs.next();
                    String st = rs.getString(2);
                    if (!st.equals("RUNNING") && !st.equals("QUEUED")) {
                        System.out.println("job is " + st + " after " + freezes + " freezes");
                        finish();
                        return;
                    }
                    if (st.equals("RUNNING") && rs.getObject(1) != null) {
                        pid = rs.getLong(1);
                    }
                }
                Thread.sleep(20);
            }
            Thread.sleep(300); // let it start its step
            freeze(byPid.get(pid), lease * 3, false);
            System.out.println("froze the process running the job (pid " + pid + ")");
        }
        finish();
    }

    /**
     * A worker process W runs short resumable jobs claimed in batches (they wait, claimed, in its
     * ready queue). This driver plays a manager on another host whose clock is ahead by skewMs: its
     * recovery sees W's lease expired, requeues W's claims, claims them and runs them.
     */
    void skew() throws Exception {
        List<JobHandler<?>> jobs = new ArrayList<>();
        for (int k = 0; k < i("n", 3000); k++) {
            jobs.add(new AdvCountJob(side, i("millis", 8)));
        }
        try (JobManager c = JobManager.builder().database(db).client().build()) {
            c.dispatchAll(jobs);
        }
        worker("w0");
        awaitReady();
        awaitLines(i("before", 300));
        long skew = i("skewMs", 3000);
        String self = "skewed-host-manager";
        int taken = 0;
        try (dev.jobs.runtime.store.JobStore store = dev.jobs.runtime.store.sqlite.SqliteJobStore.open(
                db, SynchronousMode.FULL, java.time.Duration.ofSeconds(10), 64, List.of("adv.count"))) {
            long now = System.currentTimeMillis() + skew;
            store.registerOwner(self, "other-host", 1, now, now + 3_600_000L);
            List<dev.jobs.runtime.store.JobStore.Orphan> recovered = store.recoverOrphans(
                    self,
                    now,
                    new dev.jobs.runtime.store.JobStore.RecoveryPlan(
                            List.of("adv.count"),
                            List.of(),
                            true,
                            List.of(),
                            List.of(),
                            "x",
                            "x",
                            3,
                            "poison",
                            "last"));
            System.out.println("skewed recovery requeued " + recovered.size() + " of W's jobs");
            List<dev.jobs.runtime.store.ClaimedJob> claimed =
                    store.claim(self, recovered.size(), now, now + 3_600_000L);
            for (dev.jobs.runtime.store.ClaimedJob j : claimed) {
                dev.jobs.runtime.store.Claim claim = j.claim(self);
                if (j.claimedBefore()) {
                    store.startRun(claim, now);
                }
                AdvStepJob.class.getName();
                Files.writeString(
                        side,
                        "S " + j.id() + " 1\nE " + j.id() + " 1\n",
                        StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
                if (dev.jobs.runtime.store.StoreFutures.await(store.complete(claim, "1", null, null, now))) {
                    taken++;
                }
            }
            System.out.println("the skewed manager ran and completed " + taken + " of them");
        }
        finish();
    }

    // ------------------------------------------------------------------ helpers

    void dispatchMix() throws Exception {
        List<JobHandler<?>> jobs = new ArrayList<>();
        for (int k = 0; k < i("once", 150); k++) {
            jobs.add(new AdvOnceJob(i("onceMs", 150), side));
        }
        for (int k = 0; k < i("steps", 40); k++) {
            jobs.add(new AdvStepJob(i("stepCount", 5), i("stepMs", 150), side));
        }
        for (int k = 0; k < i("count", 1500); k++) {
            jobs.add(new AdvCountJob(side));
        }
        java.util.Collections.shuffle(jobs, random);
        try (JobManager c = JobManager.builder().database(db).client().build()) {
            c.dispatchAll(jobs);
        }
    }

    Process worker(String name) throws Exception {
        return child(name, "work", db.toString());
    }

    Process child(String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + opt.getOrDefault("log", "warn"),
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-Dadv.workers=" + i("workers", 2),
                "-Dadv.lease=" + i("lease", 1000),
                "-Dadv.busy=" + i("busy", 10000),
                "-Dadv.poll=" + i("poll", 50),
                AdvChild.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .start();
        procs.add(p);
        return p;
    }

    void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int k = 0; k < procs.size(); k++) {
            Process p = procs.get(k);
            while (!read(outOf(p)).contains("ready")) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new IllegalStateException("not ready: " + read(outOf(p)));
                }
                Thread.sleep(20);
            }
        }
    }

    final Map<Process, Path> outs = new HashMap<>();

    Path outOf(Process p) throws Exception {
        for (Path f : Files.list(dir).filter(f -> f.toString().endsWith(".out")).toList()) {
            if (read(f).contains("ready " + p.pid())) {
                return f;
            }
        }
        return dir.resolve("none");
    }

    void freeze(Process p, int ms, boolean anyTx) throws Exception {
        if (anyTx) {
            signal(p, "STOP");
        } else {
            freezeOutsideTx(p);
        }
        Thread.sleep(ms);
        signal(p, "CONT");
        freezes++;
    }

    void freezeOutsideTx(Process p) throws Exception {
        for (int attempt = 0; attempt < 200; attempt++) {
            signal(p, "STOP");
            if (writeLockFree()) {
                return;
            }
            signal(p, "CONT");
            Thread.sleep(5 + random.nextInt(30));
        }
        throw new IllegalStateException("held the write lock at 200 freezes");
    }

    boolean writeLockFree() throws Exception {
        return FaultToleranceTest.writeLockFree(db);
    }

    static void signal(Process p, String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid()))
                .inheritIO()
                .start()
                .waitFor();
    }

    void awaitLines(int n) throws Exception {
        while (lines().size() / 2 < n) {
            Thread.sleep(10);
        }
    }

    /** Waits until no job is active (or timeout), stops the processes, prints the counts. */
    void finish() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(i("finishSeconds", 120));
        long active;
        while ((active = countOr("SELECT count(*) FROM jobs WHERE status IN ('QUEUED','RUNNING','PAUSED')")) != 0
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Map<String, Long> stuck = new TreeMap<>();
        if (active != 0) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery(
                            "SELECT name || ' ' || status || ' owner=' || coalesce(owner,'-') || ' claim=' || claim"
                                    + " || ' started=' || coalesce(run_started,'-') || ' control=' || coalesce(control,'-'), count(*)"
                                    + " FROM jobs WHERE status IN ('QUEUED','RUNNING','PAUSED') GROUP BY 1")) {
                while (rs.next()) {
                    stuck.put(rs.getString(1), rs.getLong(2));
                }
            }
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, pid, lease_until FROM owners")) {
                while (rs.next()) {
                    System.out.println(
                            "owner " + rs.getString(1) + " pid " + rs.getLong(2) + " lease " + rs.getLong(3));
                }
            }
            System.out.println("now " + System.currentTimeMillis());
        }
        Files.writeString(Path.of(db + ".stop"), "");
        for (Process p : procs) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                System.out.println("process " + p.pid() + " did not stop");
            }
        }
        analyze(stuck);
    }

    void analyze(Map<String, Long> stuck) throws Exception {
        Map<String, String> name = new HashMap<>();
        Map<String, String> status = new HashMap<>();
        Map<String, String> error = new HashMap<>();
        Map<String, String> output = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, status, error_message, output FROM jobs")) {
            while (rs.next()) {
                name.put(rs.getString(1), rs.getString(2));
                status.put(rs.getString(1), rs.getString(3));
                error.put(rs.getString(1), rs.getString(4));
                output.put(rs.getString(1), rs.getString(5));
            }
        }
        Map<String, Integer> starts = new HashMap<>();
        Map<String, Integer> ends = new HashMap<>();
        Map<String, Integer> stepStarts = new HashMap<>();
        Map<String, Integer> checkpoints = new HashMap<>();
        for (String l : lines()) {
            String[] f = l.split(" ");
            switch (f[0]) {
                case "S" -> {
                    if (f.length == 4) {
                        stepStarts.merge(f[1] + " " + f[3], 1, Integer::sum);
                        if (f[3].equals("0")) {
                            starts.merge(f[1], 1, Integer::sum);
                        }
                    } else {
                        starts.merge(f[1], 1, Integer::sum);
                    }
                }
                case "C" -> checkpoints.merge(f[1] + " " + f[3], 1, Integer::sum);
                case "E" -> ends.merge(f[1], 1, Integer::sum);
                default -> {}
            }
        }
        Map<String, Long> byStatus = new TreeMap<>();
        status.forEach((id, st) -> byStatus.merge(name.get(id) + " " + st, 1L, Long::sum));
        System.out.println("statuses: " + byStatus);
        System.out.println("freezes: " + freezes);
        if (!stuck.isEmpty()) {
            System.out.println("VIOLATION? active jobs left after the timeout: " + stuck);
        }
        long onceTwice = 0, onceFailedUnstarted = 0, onceFailedButRanToEnd = 0, onceNeverRanCompleted = 0;
        long countTwice = 0,
                countEndedTwice = 0,
                stepRestarted = 0,
                stepsRepeated = 0,
                dupCheckpoints = 0,
                stepWrong = 0,
                poison = 0;
        long resumableFailed = 0;
        for (String id : name.keySet()) {
            String n = name.get(id);
            int st = starts.getOrDefault(id, 0);
            int en = ends.getOrDefault(id, 0);
            switch (n) {
                case "adv.once" -> {
                    if (st > 1) {
                        onceTwice++;
                    }
                    if (status.get(id).equals("FAILED") && st == 0) {
                        onceFailedUnstarted++;
                    }
                    if (status.get(id).equals("FAILED") && en > 0) {
                        onceFailedButRanToEnd++;
                    }
                    if (status.get(id).equals("COMPLETED") && st == 0) {
                        onceNeverRanCompleted++;
                    }
                }
                case "adv.count" -> {
                    if (st > 1) {
                        countTwice++;
                    }
                    if (en > 1) {
                        countEndedTwice++;
                    }
                    if (status.get(id).equals("FAILED")) {
                        resumableFailed++;
                        if (String.valueOf(error.get(id)).contains("poison")) {
                            poison++;
                        }
                    }
                }
                case "adv.step" -> {
                    if (st > 1) {
                        stepRestarted++;
                    }
                    if (status.get(id).equals("COMPLETED")
                            && !String.valueOf(output.get(id))
                                    .equals(Long.toString(AdvStepJob.expected(i("stepCount", 5))))
                            && !opt.containsKey("anySteps")) {
                        stepWrong++;
                    }
                    if (status.get(id).equals("FAILED")) {
                        resumableFailed++;
                        if (String.valueOf(error.get(id)).contains("poison")) {
                            poison++;
                        }
                    }
                }
                default -> {}
            }
        }
        for (Map.Entry<String, Integer> e : stepStarts.entrySet()) {
            if (e.getValue() > 1) {
                stepsRepeated++;
            }
        }
        for (Map.Entry<String, Integer> e : checkpoints.entrySet()) {
            if (e.getValue() > 1) {
                dupCheckpoints++;
                System.out.println("VIOLATION step checkpointed twice: " + e.getKey());
            }
        }
        counts.put("onceTwice", onceTwice);
        counts.put("onceFailedUnstarted", onceFailedUnstarted);
        counts.put("onceFailedButRanToEnd", onceFailedButRanToEnd);
        counts.put("countTwice", countTwice);
        counts.put("stepsRepeated", stepsRepeated);
        counts.put("dupCheckpoints", dupCheckpoints);
        counts.put("stepWrong", stepWrong);
        counts.put("poison", poison);
        counts.put("resumableFailed", resumableFailed);
        counts.put("stuck", stuck.values().stream().mapToLong(Long::longValue).sum());
        counts.put("freezes", (long) freezes);
        System.out.println("adv.once: ran twice " + onceTwice + " (must be 0); FAILED never started "
                + onceFailedUnstarted + "; FAILED although it ran to its end " + onceFailedButRanToEnd
                + "; COMPLETED never ran " + onceNeverRanCompleted);
        System.out.println("adv.count: started twice " + countTwice + ", ran to the end twice " + countEndedTwice);
        System.out.println(
                "adv.step: restarted from step 0 " + stepRestarted + ", steps executed twice " + stepsRepeated
                        + ", steps checkpointed twice " + dupCheckpoints + " (must be 0), wrong output " + stepWrong);
        System.out.println("resumable FAILED " + resumableFailed + " (poison " + poison + ")");
        for (String id : name.keySet()) {
            if (status.get(id).equals("FAILED")
                    && error.get(id) != null
                    && !error.get(id).startsWith("interrupted")) {
                System.out.println("failed " + name.get(id) + " " + id + ": " + error.get(id));
            }
        }
    }

    long countOr(String sql) {
        try {
            return Support.count(db, sql);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    List<String> lines() throws Exception {
        if (!Files.exists(side)) {
            return List.of();
        }
        return Files.readAllLines(side, StandardCharsets.UTF_8).stream()
                .filter(l -> l.contains(" "))
                .toList();
    }

    static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
