package dev.jobs.runtime;

import static dev.jobs.runtime.FamilyProcessTest.await;
import static dev.jobs.runtime.FamilyProcessTest.childRows;
import static dev.jobs.runtime.FamilyProcessTest.client;
import static dev.jobs.runtime.FamilyProcessTest.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.FamilyProcessTest.Proc;
import dev.jobs.runtime.testjobs.FamParentJob;
import dev.jobs.runtime.testjobs.FamSide;
import dev.jobs.runtime.testjobs.FamStepJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adversary against child jobs and chains with real processes ({@link FamilyChild}): three
 * worker JVMs on one database run parents with children and chains (some with a failing step)
 * while the test kills them with SIGKILL (and starts a replacement) or freezes them with SIGSTOP
 * past their lease, then SIGCONT. The side file ({@code testjobs/Fam*}) is then counted for what
 * the guarantees forbid: a child lost or made twice (rows per parent, read with JDBC), a side
 * effect repeated without a fault on a process that ran it (runs in flight at a kill or freeze may
 * repeat: docs/architecture.md), a chain step begun before the step before it ended or after it
 * failed, a parent left waiting with no active child.
 *
 * <p>{@code -Djobs.adversary.rounds=N} (default 1, under a minute) scales jobs and faults;
 * {@code -Djobs.adversary.stops=true} adds graceful shutdowns and pauses (see {@link #STOPS});
 * {@code -Djobs.adversary.keep=DIR} keeps the side file, the database and each process's output;
 * {@code -Djobs.adversary.seed=S} replays the random choices (printed).
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class FamilyAdversaryTest {

    static final int ROUNDS = Integer.getInteger("jobs.adversary.rounds", 1);

    /**
     * {@code -Djobs.adversary.stops=true} adds graceful shutdowns of a worker process and pauses
     * of parents to the faults, and parents that dispatch more slowly (so that a stop lands between
     * dispatching and checkpointing); off by default, as they make children twice (see
     * {@link #aParentStoppedByAShutdownWhileDispatchingMakesEachChildOnce}).
     */
    static final boolean STOPS = Boolean.getBoolean("jobs.adversary.stops");

    static final int LEASE = 1000;
    static final int PARTS = 12;

    @TempDir
    Path dir;

    private final List<Proc> procs = new ArrayList<>();

    @AfterEach
    void killChildren() {
        for (Proc p : procs) {
            p.process.destroyForcibly();
        }
    }

    private record ChainCase(UUID id, boolean failing) {}

    @Test
    void childrenAndChainsUnderKillsAndFreezes() throws Exception {
        long seed = Long.getLong("jobs.adversary.seed", System.nanoTime());
        Random random = new Random(seed);
        System.out.println("FamilyAdversaryTest seed " + seed + " (replay with -Djobs.adversary.seed=" + seed
                + "), rounds " + ROUNDS + ", dir " + dir);
        Path db = dir.resolve("jobs.db");
        Path side = dir.resolve("side.txt");
        String sideFile = side.toString();
        List<UUID> parents = new ArrayList<>();
        List<ChainCase> chains = new ArrayList<>();
        try (JobManager client = client(db)) {
            for (int i = 0; i < 6 * ROUNDS + 4; i++) {
                parents.add(client.dispatch(new FamParentJob(PARTS, sideFile)
                                .partMillis(150 + random.nextInt(400))
                                .dispatchMillis(STOPS ? 150 + random.nextInt(200) : 20 + random.nextInt(40)))
                        .id());
                // a chain of three steps; in one of three the middle one fails, in another it is a
                // parent (WAITING for its children after WAITING for the step before it)
                boolean failing = i % 3 == 0;
                boolean nested = i % 3 == 1;
                FamStepJob middle = new FamStepJob("s1", 2, sideFile).stepMillis(100 + random.nextInt(200));
                ChainHandle chain = client.chain(
                                new FamStepJob("s0", 2, sideFile).stepMillis(100 + random.nextInt(200)))
                        .then(
                                nested
                                        ? new FamParentJob(PARTS, sideFile).partMillis(50 + random.nextInt(100))
                                        : failing ? middle.failing() : middle)
                        .then(new FamStepJob("s2", 2, sideFile).stepMillis(100 + random.nextInt(200)))
                        .dispatch();
                if (nested) {
                    parents.add(chain.steps().get(1).id()); // counted as a parent too
                }
                chains.add(new ChainCase(chain.id(), failing));
            }
        }
        List<Proc> live = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            live.add(start(procs, LEASE, "work", db, 2));
        }
        int kills = 0;
        int freezes = 0;
        int stops = 0;
        try (JobManager client = client(db)) {
            int faults = 6 * ROUNDS + 4;
            for (int f = 0; f < faults && !allEnded(client, parents, chains); f++) {
                Thread.sleep(
                        200 + random.nextInt(800)); // the gap between faults: a random pace, not a wait for a condition
                int v = random.nextInt(live.size());
                Proc victim = live.get(v);
                if (STOPS && random.nextInt(3) == 0) {
                    if (random.nextBoolean()) {
                        FamSide.line(sideFile, "fault close " + victim.pid);
                        victim.stop(); // a graceful shutdown: running jobs stop at an interrupt point, state saved
                        live.set(v, start(procs, LEASE, "work", db, 2));
                    } else {
                        UUID target = parents.get(random.nextInt(parents.size()));
                        try {
                            client.pause(target);
                            FamSide.line(sideFile, "pause " + target);
                            Thread.sleep(random.nextInt(LEASE));
                            client.resume(target);
                        } catch (RuntimeException e) {
                            // not pausable now (WAITING, ended): a pause needs a running or queued job
                        }
                    }
                    stops++;
                } else if (random.nextBoolean()) {
                    FamSide.line(sideFile, "fault kill " + victim.pid);
                    victim.kill();
                    live.set(v, start(procs, LEASE, "work", db, 2));
                    kills++;
                } else {
                    FamSide.line(sideFile, "fault stop " + victim.pid);
                    victim.signal("STOP");
                    Thread.sleep(LEASE * 2L + random.nextInt(LEASE)); // frozen past its lease
                    victim.signal("CONT");
                    FamSide.line(sideFile, "fault cont " + victim.pid);
                    freezes++;
                }
            }
            try {
                await("every parent and chain ended", () -> allEnded(client, parents, chains));
            } catch (AssertionError e) {
                System.out.println("not ended: " + e.getMessage());
            }
            Map<String, Long> counts = count(client, db, side, parents, chains);
            for (Proc p : live) {
                p.stop();
            }
            String keep = System.getProperty("jobs.adversary.keep"); // a directory to keep the files in
            if (keep != null) {
                Path to = Files.createDirectories(Path.of(keep).resolve("seed-" + seed));
                for (String f : List.of("side.txt", "jobs.db")) {
                    Files.copy(dir.resolve(f), to.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                for (Proc p : procs) {
                    Files.writeString(to.resolve("out-" + p.pid + ".txt"), p.output());
                }
                System.out.println("kept in " + to);
            }
            System.out.println("FamilyAdversaryTest seed " + seed + ": " + kills + " kills, " + freezes + " freezes, "
                    + stops + " shutdowns or pauses, " + counts);
            String replay = "seed " + seed + " (-Djobs.adversary.seed=" + seed + "), side file " + side;
            assertThat(counts.get("notEnded"))
                    .as("parents and chains not ended, " + replay)
                    .isZero();
            assertThat(counts.get("lostWakeups"))
                    .as("parents WAITING with no active child, " + replay)
                    .isZero();
            assertThat(counts.get("childRowsWrong"))
                    .as("parents with a child lost or made twice, " + replay)
                    .isZero();
            assertThat(counts.get("parentOutputWrong"))
                    .as("parents with a wrong sum, " + replay)
                    .isZero();
            assertThat(counts.get("partTwiceUnexcused"))
                    .as("child side effects repeated with no fault on a process that ran them, " + replay)
                    .isZero();
            assertThat(counts.get("doneTwiceUnexcused"))
                    .as("parents' post-wait side effects repeated with no fault, " + replay)
                    .isZero();
            assertThat(counts.get("stepEndTwiceUnexcused"))
                    .as("chain steps ended twice with no fault, " + replay)
                    .isZero();
            assertThat(counts.get("stepBeforePredecessorEnded"))
                    .as("chain steps begun before the step before them ended, " + replay)
                    .isZero();
            assertThat(counts.get("stepAfterFailure"))
                    .as("chain steps begun after a step before them failed, " + replay)
                    .isZero();
            assertThat(counts.get("chainStatusWrong"))
                    .as("chains in a wrong end state, " + replay)
                    .isZero();
        }
    }

    // ------------------------------------------------------------------ a parent stopped between dispatching and its
    // checkpoint

    /**
     * A graceful shutdown (the manager closed, as on SIGTERM) while the parent is between
     * dispatching its children and its checkpoint. Saving its fields as they are (children not
     * yet recorded) under a new state generation made the resumed run dispatch every child again
     * under new keys: 70 children for 50 (found by this test). A run that dispatched children
     * since its last save now keeps that save when it stops, and dispatches them again under the
     * same keys.
     */
    @Test
    void aParentStoppedByAShutdownWhileDispatchingMakesEachChildOnce() throws Exception {
        Path db = dir.resolve("shutdown.db");
        Path side = dir.resolve("shutdown.txt");
        Path gate = dir.resolve("shutdown.gate");
        Proc first = start(procs, "parent", db, 1, side.toString(), "50", "20", gate.toString(), "0", "-");
        UUID parent = UUID.fromString(first.await(l -> l.startsWith("parent ")).substring("parent ".length()));
        first.await("dispatched 20"::equals);
        first.stop(); // the manager closes: the parent, at an interrupt point, is stopped with its state saved
        assertThat(childRows(db, parent)).hasSize(20);
        Files.createFile(gate);
        Proc second = start(procs, "work", db, 4);
        try (JobManager client = client(db)) {
            await("the parent ends", () -> client.info(parent).status().isTerminal());
            List<String> keys = childRows(db, parent);
            assertThat(keys).as("child keys of the parent").hasSize(50).doesNotHaveDuplicates();
            assertThat(client.info(parent).output()).contains(Long.toString(FamParentJob.expected(50)));
        } finally {
            second.stop();
        }
    }

    /** The same with a pause from a client (another process) instead of a shutdown. */
    @Test
    void aParentPausedWhileDispatchingMakesEachChildOnce() throws Exception {
        Path db = dir.resolve("pause.db");
        Path side = dir.resolve("pause.txt");
        Path gate = dir.resolve("pause.gate");
        Proc first = start(procs, "parent", db, 1, side.toString(), "50", "20", gate.toString(), "0", "-");
        UUID parent = UUID.fromString(first.await(l -> l.startsWith("parent ")).substring("parent ".length()));
        first.await("dispatched 20"::equals);
        try (JobManager client = client(db)) {
            client.pause(parent);
            await("the parent is paused", () -> client.info(parent).status() == JobStatus.PAUSED);
            assertThat(childRows(db, parent)).hasSize(20);
            Files.createFile(gate);
            client.resume(parent);
            await("the parent ends", () -> client.info(parent).status().isTerminal());
            List<String> keys = childRows(db, parent);
            assertThat(keys).as("child keys of the parent").hasSize(50).doesNotHaveDuplicates();
            assertThat(client.info(parent).output()).contains(Long.toString(FamParentJob.expected(50)));
        } finally {
            first.stop();
        }
    }

    /**
     * A parent whose attempt failed after dispatching its children, retried with a restart
     * ({@code RetryPolicy.withRestart()}). Counting the restart as a new save made the retry
     * dispatch every child again under new keys, and {@code awaitChildren} returned both sets
     * (found by this test). A restart now runs from generation 0, the state as dispatched, and
     * finds the children of the earlier attempt. Run in this JVM: no process fault is needed.
     */
    @Test
    void aParentRetriedWithARestartMakesEachChildOnce() throws Exception {
        try (JobManager jobs = JobManager.builder()
                .database(dir.resolve("restart.db"))
                .workers(2)
                .shutdownTimeout(java.time.Duration.ofSeconds(10))
                .build()) {
            JobHandle<Long> parent = jobs.dispatch(
                    new dev.jobs.runtime.testjobs.SplitJob(6, null).failAfterDispatch(),
                    DispatchOptions.defaults()
                            .retry(dev.jobs.RetryPolicy.attempts(2)
                                    .withBackoff(java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(10), 1.0)
                                    .withJitter(0)
                                    .withRestart()));
            Long sum = parent.result().get(30, TimeUnit.SECONDS);
            assertThat(jobs.children(parent.id())).as("children of the parent").hasSize(6);
            assertThat(sum).isEqualTo(FamParentJob.expected(6));
        }
    }

    private static boolean allEnded(JobManager client, List<UUID> parents, List<ChainCase> chains) {
        return parents.stream().allMatch(p -> client.info(p).status().isTerminal())
                && chains.stream()
                        .allMatch(c -> client.findChain(c.id()).orElseThrow().steps().stream()
                                .allMatch(s -> s.status().isTerminal()));
    }

    /** The lines of the side file by kind and job id (the id is the third word). */
    private static final class Side {
        final List<String> lines;
        /** Indexes of lines of a kind ("part", "start", "run", "done", "begin", "end") per job id. */
        final Map<String, Map<UUID, List<Integer>>> byKind = new HashMap<>();
        /**
         * The faults per pid, as intervals of line indexes: a kill is its line; a freeze runs from its
         * "fault stop" line to its "fault cont" line (the victim may write a line between the
         * "fault stop" line and the signal: it is frozen right after it).
         */
        final Map<Long, List<int[]>> faults = new HashMap<>();

        Side(Path file) throws Exception {
            lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String[] w = lines.get(i).split(" ");
                switch (w[0]) {
                    case "fault" -> {
                        List<int[]> of = faults.computeIfAbsent(Long.parseLong(w[2]), k -> new ArrayList<>());
                        if (w[1].equals("cont")) {
                            of.get(of.size() - 1)[1] = i;
                        } else {
                            of.add(new int[] {i, w[1].equals("stop") ? Integer.MAX_VALUE : i});
                        }
                    }
                    case "part", "start", "begin", "end", "fail" -> add(w[0], UUID.fromString(w[2]), i);
                    case "step" -> add(w[0], UUID.fromString(w[3]), i);
                    case "run", "done", "dispatched" -> add(w[0], UUID.fromString(w[1]), i);
                    case "pause" -> {}
                    default -> throw new IllegalStateException("line " + i + ": " + lines.get(i));
                }
            }
        }

        private void add(String kind, UUID id, int line) {
            byKind.computeIfAbsent(kind, k -> new HashMap<>())
                    .computeIfAbsent(id, k -> new ArrayList<>())
                    .add(line);
        }

        List<Integer> of(String kind, UUID id) {
            return byKind.getOrDefault(kind, Map.of()).getOrDefault(id, List.of());
        }

        long pid(int line) {
            String[] w = lines.get(line).split(" ");
            return Long.parseLong(w[w[0].equals("run") || w[0].equals("done") ? 2 : w[0].equals("step") ? 4 : 3]);
        }

        /**
         * Repeats of a side effect ({@code effects}, lines of one job) that no fault explains: a
         * repeat is explained by a kill or freeze of a process that wrote one of the job's effect
         * lines up to it, at a time between the job's first start and the repeat.
         */
        long[] repeats(List<Integer> effects, int firstStart) {
            long excused = 0;
            long unexcused = 0;
            for (int j = 1; j < effects.size(); j++) {
                int at = effects.get(j);
                Set<Long> pids = new HashSet<>();
                for (int i = 0; i <= j; i++) {
                    pids.add(pid(effects.get(i)));
                }
                boolean explained = pids.stream()
                        .anyMatch(pid -> faults.getOrDefault(pid, List.of()).stream()
                                .anyMatch(f -> f[0] < at && f[1] > firstStart));
                if (explained) {
                    excused++;
                } else {
                    unexcused++;
                }
            }
            return new long[] {excused, unexcused};
        }
    }

    private static Map<String, Long> count(
            JobManager client, Path db, Path sideFile, List<UUID> parents, List<ChainCase> chains) throws Exception {
        Side side = new Side(sideFile);
        Map<String, Long> c = new TreeMap<>();
        for (String k : List.of(
                "notEnded",
                "lostWakeups",
                "childRowsWrong",
                "parentOutputWrong",
                "partTwiceExcused",
                "partTwiceUnexcused",
                "doneTwiceExcused",
                "doneTwiceUnexcused",
                "stepEndTwiceExcused",
                "stepEndTwiceUnexcused",
                "stepBeforePredecessorEnded",
                "stepAfterFailure",
                "chainStatusWrong")) {
            c.put(k, 0L);
        }
        for (UUID parent : parents) {
            JobInfo info = client.info(parent);
            List<JobInfo> children = client.children(parent);
            if (!info.status().isTerminal()) {
                c.merge("notEnded", 1L, Long::sum);
                if (info.status() == JobStatus.WAITING
                        && children.stream().allMatch(ch -> ch.status().isTerminal())) {
                    c.merge("lostWakeups", 1L, Long::sum);
                    System.out.println("lost wake-up: parent " + parent);
                }
            }
            List<String> keys = childRows(db, parent);
            if (keys.size() != PARTS || new HashSet<>(keys).size() != PARTS) {
                c.merge("childRowsWrong", 1L, Long::sum);
                System.out.println("parent " + parent + " has child keys " + keys);
            }
            if (info.status() != JobStatus.COMPLETED
                    || !info.output().orElse("").equals(Long.toString(FamParentJob.expected(PARTS)))) {
                c.merge("parentOutputWrong", 1L, Long::sum);
                System.out.println(
                        "parent " + parent + " ended " + info.status() + " with " + info.output() + " " + info.error());
            }
            int firstRun = side.of("run", parent).stream().findFirst().orElse(-1);
            long[] done = side.repeats(side.of("done", parent), firstRun);
            c.merge("doneTwiceExcused", done[0], Long::sum);
            c.merge("doneTwiceUnexcused", done[1], Long::sum);
            report(side, "done", parent, done);
            for (JobInfo child : children) {
                int firstStart =
                        side.of("start", child.id()).stream().findFirst().orElse(-1);
                long[] parts = side.repeats(side.of("part", child.id()), firstStart);
                c.merge("partTwiceExcused", parts[0], Long::sum);
                c.merge("partTwiceUnexcused", parts[1], Long::sum);
                report(side, "part", child.id(), parts);
            }
        }
        for (ChainCase chain : chains) {
            ChainInfo info = client.findChain(chain.id()).orElseThrow().info();
            List<JobInfo> steps = info.steps();
            List<JobStatus> expected = chain.failing()
                    ? List.of(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)
                    : List.of(JobStatus.COMPLETED, JobStatus.COMPLETED, JobStatus.COMPLETED);
            if (!steps.stream().map(JobInfo::status).toList().equals(expected)) {
                c.merge("chainStatusWrong", 1L, Long::sum);
                System.out.println("chain " + chain.id() + " ended "
                        + steps.stream().map(JobInfo::status).toList());
            }
            boolean failedBefore = false;
            for (int k = 0; k < steps.size(); k++) {
                UUID id = steps.get(k).id();
                List<Integer> begins = side.of("begin", id);
                if (failedBefore && !begins.isEmpty()) {
                    c.merge("stepAfterFailure", 1L, Long::sum);
                    System.out.println("chain " + chain.id() + ": step " + k + " began after a failed step");
                }
                if (k > 0 && !begins.isEmpty()) {
                    List<Integer> before =
                            new ArrayList<>(side.of("end", steps.get(k - 1).id()));
                    before.addAll(side.of("done", steps.get(k - 1).id())); // a parent's end
                    java.util.Collections.sort(before);
                    if (before.isEmpty() || before.get(0) > begins.get(0)) {
                        c.merge("stepBeforePredecessorEnded", 1L, Long::sum);
                        System.out.println(
                                "chain " + chain.id() + ": step " + k + " began before step " + (k - 1) + " ended");
                    }
                }
                long[] ends = side.repeats(side.of("end", id), begins.isEmpty() ? -1 : begins.get(0));
                c.merge("stepEndTwiceExcused", ends[0], Long::sum);
                c.merge("stepEndTwiceUnexcused", ends[1], Long::sum);
                report(side, "end", id, ends);
                failedBefore |= steps.get(k).status() == JobStatus.FAILED;
            }
        }
        return c;
    }

    private static void report(Side side, String kind, UUID id, long[] repeats) {
        if (repeats[1] > 0) {
            System.out.println("unexplained repeat of '" + kind + "' of " + id + ": lines "
                    + side.of(kind, id).stream().map(side.lines::get).toList());
        }
    }
}
