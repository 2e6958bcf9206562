package dev.jobs.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobHandler;
import dev.jobs.JobStatus;
import dev.jobs.postgres.testjobs.PgBlockJob;
import dev.jobs.postgres.testjobs.PgCountJob;
import dev.jobs.postgres.testjobs.PgStepJob;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults with real processes and a real PostgreSQL: node JVMs ({@link PgNode}) on one schema,
 * killed with SIGKILL, frozen with SIGSTOP past their lease, the server restarted or stopped under
 * them. The jobs append a side record of each run (testjobs: "S" start, "C" accepted checkpoint,
 * "X" failed checkpoint, "L" lost claim, "E" end), which is counted against what the store's
 * guarantees allow.
 *
 * <p>{@code -Djobs.postgres.faults.jobs=10000} sets the number of jobs of the kill test (default
 * 3000; 10,000 is the documented profile run, see docs/postgresql.md).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PostgresFaultTest {

    static final int KILL_JOBS = Integer.getInteger("jobs.postgres.faults.jobs", 3000);

    /** Workers and unwritten completions of each node: a node killed -9 re-runs at most their sum. */
    static final int WORKERS = 4;

    static final int UNWRITTEN = 8;

    @TempDir
    static Path serverDir;

    static RestartableDatabase database;

    @TempDir
    Path dir;

    String schema;
    Path side;
    final List<NodeProcess> nodes = new ArrayList<>();

    @BeforeAll
    static void startDatabase() {
        database = RestartableDatabase.start(serverDir.resolve("pgdata"));
    }

    @AfterAll
    static void stopDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void freshSchema() {
        schema = EmbeddedDatabase.freshSchema();
        side = dir.resolve("side.txt");
    }

    @AfterEach
    void killNodes() {
        for (NodeProcess node : nodes) {
            node.close();
        }
        database.start(); // a test that failed while the server was down leaves it up for the next
    }

    // ------------------------------------------------------------------ the scenarios

    /**
     * Three nodes run short jobs; one is killed -9 in the middle. Every job completes, and only
     * jobs the killed node ran (in flight, or run to their end with the completion not yet
     * committed) run again: at most its workers plus its unwritten completions.
     */
    @Test
    void aNodeKilledMidRunReRunsAtMostItsRunsInFlight() throws Exception {
        for (int i = 0; i < 3; i++) {
            nodes.add(node("n" + i, WORKERS, 2000, 200));
        }
        List<JobHandler<?>> jobs = new ArrayList<>();
        for (int i = 0; i < KILL_JOBS; i++) {
            jobs.add(new PgCountJob(side, 1));
        }
        try (JobManager client = client(Duration.ofMillis(200))) {
            client.dispatchAll(jobs);
        }
        NodeProcess victim = nodes.get(0);
        await("a third of the jobs ran, some on the victim", 300, () -> {
            List<String[]> lines = sideLines();
            return lines.stream().filter(l -> l[0].equals("E")).count() >= KILL_JOBS / 3
                    && lines.stream().anyMatch(l -> l[0].equals("S") && l[2].equals(Long.toString(victim.pid)));
        });
        victim.kill();
        int atKill = sideLines().size();
        System.out.println("killed node " + victim.pid + " after " + atKill + " side lines");
        awaitAllFinished(Math.max(180, KILL_JOBS / 25));
        assertThat(statusCounts()).as("every job completed").isEqualTo(Map.of("COMPLETED", (long) KILL_JOBS));

        Map<String, List<String[]>> byJob = byJob(sideLines());
        assertThat(byJob).hasSize(KILL_JOBS);
        long ranTwice = 0;
        for (Map.Entry<String, List<String[]>> e : byJob.entrySet()) {
            List<String[]> starts =
                    e.getValue().stream().filter(l -> l[0].equals("S")).toList();
            long ends = e.getValue().stream().filter(l -> l[0].equals("E")).count();
            assertThat(ends).as("runs to the end of job " + e.getKey()).isGreaterThanOrEqualTo(1);
            if (starts.size() > 1) {
                ranTwice++;
                for (String[] start : starts.subList(0, starts.size() - 1)) {
                    assertThat(start[2])
                            .as("a run of job " + e.getKey() + " that was not the last is the killed node's")
                            .isEqualTo(Long.toString(victim.pid));
                }
            }
        }
        System.out.println("jobs " + KILL_JOBS + ", started more than once " + ranTwice + " (bound "
                + (WORKERS + UNWRITTEN) + ")");
        assertThat(ranTwice)
                .as("jobs run twice: at most the killed node's runs in flight and unwritten completions")
                .isLessThanOrEqualTo(WORKERS + UNWRITTEN);
    }

    /**
     * A node is frozen with SIGSTOP until the others took over its runs, then continued: the
     * checkpoints of its frozen runs are refused (each sees its claim lost, none is accepted), and
     * every job ends once, with the result of all its steps.
     */
    @Test
    void aNodeFrozenPastItsLeaseHasItsCheckpointsRefused() throws Exception {
        for (int i = 0; i < 3; i++) {
            nodes.add(node("n" + i, 2, 1500, 200));
        }
        int steps = 12;
        List<JobHandler<?>> jobs = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            jobs.add(new PgStepJob(steps, 100, side));
        }
        try (JobManager client = client(Duration.ofMillis(200))) {
            client.dispatchAll(jobs);
        }
        NodeProcess frozen = nodes.get(0);
        String pid = Long.toString(frozen.pid);
        await(
                "the node to freeze checkpointed",
                120,
                () -> sideLines().stream()
                                .filter(l -> l[0].equals("C") && l[2].equals(pid))
                                .count()
                        >= 2);
        frozen.freeze();
        List<String[]> before = sideLines();
        int mark = before.size();
        List<String> inFlight = new ArrayList<>();
        // frozen right after its last checkpoint: its end (no write of the job's own) may repeat
        // on the node that takes it over, as the step in flight of any run may
        List<String> ending = new ArrayList<>();
        byJob(before).forEach((id, lines) -> {
            String[] last = lines.get(lines.size() - 1);
            if (last[2].equals(pid) && last[0].equals("C") && last[3].equals(Integer.toString(steps - 1))) {
                ending.add(id);
            } else if (last[2].equals(pid) && (last[0].equals("S") || last[0].equals("C"))) {
                inFlight.add(id);
            }
        });
        assertThat(inFlight).as("runs of the frozen node in flight").isNotEmpty();
        System.out.println("froze node " + pid + " running " + inFlight);
        try {
            await("the other nodes took over the frozen runs", 120, () -> {
                Map<String, List<String[]>> after = byJob(sinceMark(mark));
                return inFlight.stream()
                        .allMatch(id -> after.getOrDefault(id, List.of()).stream()
                                .anyMatch(l -> l[0].equals("S") && !l[2].equals(pid)));
            });
        } finally {
            frozen.thaw();
        }
        // a frozen run learns it lost its claim ("L"), or its checkpoint fails with a store error
        // ("X": frozen inside the writer's transaction, whose session PostgreSQL ended after the
        // idle-in-transaction limit); either way nothing of it is accepted, as checked below
        await("the frozen runs found their claims lost", 120, () -> {
            Map<String, List<String[]>> after = byJob(sinceMark(mark));
            return inFlight.stream()
                    .allMatch(id -> after.getOrDefault(id, List.of()).stream()
                            .anyMatch(l ->
                                    (l[0].equals("L") || l[0].equals("E") || l[0].equals("X")) && l[2].equals(pid)));
        });
        awaitAllFinished(180);
        assertThat(statusCounts()).isEqualTo(Map.of("COMPLETED", (long) jobs.size()));
        List<String[]> all = sideLines();
        Map<String, List<String[]>> after = byJob(all.subList(mark, all.size()));
        for (String id : inFlight) {
            assertThat(after.get(id))
                    .as("no checkpoint or end of the frozen run of " + id + " accepted after the freeze")
                    .noneMatch(l -> (l[0].equals("C") || l[0].equals("E")) && l[2].equals(pid));
        }
        byJob(all)
                .forEach((id, lines) -> assertThat(lines.stream()
                                .filter(l -> l[0].equals("E") && !(ending.contains(id) && l[2].equals(pid)))
                                .count())
                        .as("ends of job " + id + " (besides a frozen end)")
                        .isEqualTo(1));
        assertThat(outputs())
                .allSatisfy((id, output) ->
                        assertThat(output).as("result of " + id).isEqualTo(Long.toString(PgStepJob.expected(steps))));
    }

    /**
     * A pause, a resume and a cancel made on a client reach the node running the job, and the
     * client's {@code result()} of a job that node finished completes, although both watch with a
     * poll interval of ten minutes: only PostgreSQL's notifications can bring them within the
     * test's timeout. (How fast they arrive is measured by the benchmarks, not asserted here.)
     */
    @Test
    void controlsAndResultsCrossNodesByNotification() throws Exception {
        long tenMinutes = Duration.ofMinutes(10).toMillis();
        nodes.add(node("n0", 2, 60_000, tenMinutes));
        try (JobManager client = client(Duration.ofMinutes(10))) {
            Path release = dir.resolve("release");
            JobHandle<Integer> paused = client.dispatch(new PgBlockJob(release));
            awaitStatus(client, paused.id(), JobStatus.RUNNING);
            client.pause(paused.id());
            awaitStatus(client, paused.id(), JobStatus.PAUSED);

            JobHandle<Integer> cancelled = client.dispatch(new PgBlockJob(dir.resolve("never")));
            awaitStatus(client, cancelled.id(), JobStatus.RUNNING);
            client.cancel(cancelled.id());
            awaitStatus(client, cancelled.id(), JobStatus.CANCELLED);

            client.resume(paused.id());
            awaitStatus(client, paused.id(), JobStatus.RUNNING);
            java.util.concurrent.CompletableFuture<Integer> result = paused.result();
            assertThat(result).isNotDone();
            Files.writeString(release, "go");
            assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    /**
     * The server is stopped ({@code pg_ctl stop -m fast}: every connection ends) and started again
     * on the same port and data directory under three nodes running resumable jobs. The nodes
     * carry on, and no committed checkpoint is lost: a run never starts a step before one whose
     * checkpoint was accepted. A job whose checkpoint fell in the outage waits for the database
     * (within its lease) or goes back to the queue: no job is left PAUSED, none needs a hand.
     */
    @Test
    void aServerRestartedUnderRunningNodesLosesNoCheckpoint() throws Exception {
        for (int i = 0; i < 3; i++) {
            nodes.add(node("n" + i, 2, 2000, 200));
        }
        int steps = 10;
        List<JobHandler<?>> jobs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            jobs.add(new PgStepJob(steps, 100, side));
        }
        try (JobManager client = client(Duration.ofMillis(200))) {
            client.dispatchAll(jobs);
        }
        await(
                "a dozen checkpoints",
                120,
                () -> sideLines().stream().filter(l -> l[0].equals("C")).count() >= 12);
        database.stop();
        System.out.println("server stopped after " + sideLines().size() + " side lines");
        database.start();
        System.out.println("server started again");
        awaitAllFinished(180);
        System.out.println("after the restart: " + statusCounts());
        assertThat(pausedErrors()).as("jobs paused by the restart").isEmpty();
        assertThat(statusCounts()).isEqualTo(Map.of("COMPLETED", (long) jobs.size()));
        assertNoCheckpointLost(sideLines());
        byJob(sideLines())
                .forEach((id, lines) -> assertThat(
                                lines.stream().filter(l -> l[0].equals("E")).count())
                        .as("ends of job " + id)
                        .isEqualTo(1));
        assertThat(outputs())
                .allSatisfy((id, output) ->
                        assertThat(output).as("result of " + id).isEqualTo(Long.toString(PgStepJob.expected(steps))));
    }

    /**
     * The database goes away under a node for longer than its lease, then comes back. The node
     * says so once (one WARN naming the database, no warning per attempt, one INFO when it is
     * back); a checkpoint meanwhile waits while the lease holds, then fails with a store error
     * saying the database is unreachable and its job goes back to the queue keeping its last
     * checkpoint; the node claims again afterwards: those jobs and a job dispatched after the
     * outage complete, none left PAUSED.
     */
    @Test
    void aNodeWhoseDatabaseGoesAwaySaysSoOnceAndCarriesOn() throws Exception {
        NodeProcess node = node("n0", 2, 1500, 200);
        nodes.add(node);
        int steps = 400;
        List<JobHandler<?>> jobs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            jobs.add(new PgStepJob(steps, 25, side));
        }
        try (JobManager client = client(Duration.ofMillis(200))) {
            client.dispatchAll(jobs);
        }
        await(
                "both jobs checkpointed",
                60,
                () -> sideLines().stream()
                                .filter(l -> l[0].equals("C"))
                                .map(l -> l[1])
                                .distinct()
                                .count()
                        == 2);
        int logMark = node.lines().size();
        database.stop();
        long stoppedAt = System.nanoTime();
        node.await("the WARN of the outage", 60, l -> l.contains("WARN") && l.contains("is unreachable"));
        await(
                "both jobs' checkpoints failed",
                60,
                () -> sideLines().stream().filter(l -> l[0].equals("X")).count() == 2);
        // the outage lasts three leases: renewals, sweeps, claims and the watcher keep failing meanwhile
        long left = TimeUnit.MILLISECONDS.toNanos(4500) - (System.nanoTime() - stoppedAt);
        if (left > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left));
        }
        int backMark = node.lines().size();
        database.start();
        node.await("the INFO of the return", 60, l -> l.contains("INFO") && l.contains("reachable again"));

        List<String> outage = node.lines().subList(logMark, backMark);
        System.out.println("the node's log during the outage:\n" + String.join("\n", outage));
        assertThat(outage.stream().filter(l -> l.contains(" WARN ")).toList())
                .as("warnings while the database was down")
                .singleElement()
                .satisfies(l -> assertThat(l)
                        .contains("is unreachable")
                        .contains(schema)
                        .contains(database.url().replaceAll("\\?.*", "")));
        assertThat(node.lines().stream()
                        .filter(l -> l.contains("reachable again"))
                        .count())
                .isEqualTo(1);
        assertThat(sideLines().stream().filter(l -> l[0].equals("X")).toList())
                .allSatisfy(
                        l -> assertThat(l[4]).contains("could not be written").contains("the database is unreachable"));

        assertThat(pausedErrors()).as("jobs paused by the outage").isEmpty();
        try (JobManager client = client(Duration.ofMillis(200))) {
            JobHandle<Integer> after = client.dispatch(new PgCountJob(side, 0));
            assertThat(after.result().get(60, TimeUnit.SECONDS)).isEqualTo(1);
        }
        awaitAllFinished(120);
        assertThat(statusCounts()).isEqualTo(Map.of("COMPLETED", 3L));
        assertNoCheckpointLost(sideLines());
        node.stop();
    }

    // ------------------------------------------------------------------ helpers

    NodeProcess node(String name, int workers, long leaseMillis, long pollMillis) throws Exception {
        return NodeProcess.start(name, dir, database.url(), schema, workers, leaseMillis, UNWRITTEN, pollMillis);
    }

    JobManager client(Duration poll) {
        return JobManager.builder()
                .store(PostgresStore.of(database.dataSource()).schema(schema))
                .dataDirectory(dir.resolve("client"))
                .client()
                .changePollInterval(poll)
                .build();
    }

    /** Every run starts after the last step whose checkpoint was accepted before it: none went back. */
    static void assertNoCheckpointLost(List<String[]> lines) {
        Map<String, Integer> committed = new HashMap<>();
        for (String[] l : lines) {
            if (l[0].equals("C")) {
                committed.merge(l[1], Integer.parseInt(l[3]), Math::max);
            } else if (l[0].equals("S") && l.length > 3) { // a step job's start
                int last = committed.getOrDefault(l[1], -1);
                assertThat(Integer.parseInt(l[3]))
                        .as("step started by " + l[2] + " of job " + l[1] + " after step " + last + " was checkpointed")
                        .isGreaterThan(last);
            }
        }
    }

    /** The PAUSED jobs and their error messages. */
    Map<String, String> pausedErrors() throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT id, error_message FROM \"" + schema + "\".jobs WHERE status = 'PAUSED'")) {
            while (rs.next()) {
                out.put(rs.getString(1), String.valueOf(rs.getString(2)));
            }
        }
        return out;
    }

    static void await(String what, int seconds, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    void awaitStatus(JobManager client, UUID id, JobStatus status) throws Exception {
        await("job " + id + " is " + status, 60, () -> client.handle(id).status() == status);
    }

    /** Waits until no job is QUEUED, RUNNING or WAITING (reading the store; failures while it is down are retried). */
    void awaitAllFinished(int seconds) throws Exception {
        await("every job finished: " + safeCounts(), seconds, () -> {
            Map<String, Long> counts = safeCounts();
            return counts != null
                    && !counts.containsKey("QUEUED")
                    && !counts.containsKey("RUNNING")
                    && !counts.containsKey("WAITING");
        });
    }

    private Map<String, Long> safeCounts() {
        try {
            return statusCounts();
        } catch (Exception e) {
            return null;
        }
    }

    Map<String, Long> statusCounts() throws Exception {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT status, count(*) FROM \"" + schema + "\".jobs GROUP BY status")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    Map<String, String> outputs() throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, output FROM \"" + schema + "\".jobs")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    /** The side file's lines, split at spaces (the first five fields; an "X" line keeps its message in the sixth). */
    List<String[]> sideLines() throws Exception {
        if (!Files.exists(side)) {
            return List.of();
        }
        List<String[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(side, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                lines.add(line.split(" ", 5));
            }
        }
        return lines;
    }

    /** The side file's lines after the first {@code mark} (read once: the file grows meanwhile). */
    List<String[]> sinceMark(int mark) throws Exception {
        List<String[]> lines = sideLines();
        return lines.subList(mark, lines.size());
    }

    static Map<String, List<String[]>> byJob(List<String[]> lines) {
        Map<String, List<String[]>> byJob = new HashMap<>();
        for (String[] l : lines) {
            byJob.computeIfAbsent(l[1], k -> new ArrayList<>()).add(l);
        }
        return byJob;
    }
}
