package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.testjobs.FamParentJob;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Child jobs and chains across real JVMs ({@link FamilyChild}) killed with SIGKILL: a chain whose
 * middle step is killed mid-run, a parent killed while dispatching its children and while waiting
 * for them, and a cancel of a parent that reaches children running in another process. The jobs
 * ({@code testjobs/Fam*}) append a line to a side file for each side effect; the tests count them.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FamilyProcessTest {

    private static final int PARTS = 50;

    @TempDir
    Path dir;

    private final List<Proc> procs = new ArrayList<>();

    @AfterEach
    void killChildren() {
        for (Proc p : procs) {
            p.process.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------ (a) a chain

    @Test
    void aChainWhoseMiddleStepIsKilledMidRunIsFinishedByAnotherProcess() throws Exception {
        Path db = dir.resolve("chain.db");
        Path side = dir.resolve("chain.txt");
        Path gate = dir.resolve("chain.gate");
        Proc first = start(procs, "chain", db, 2, side.toString(), gate.toString());
        UUID chainId = UUID.fromString(first.await(l -> l.startsWith("chain ")).substring("chain ".length()));
        first.await("checkpointed b 1"::equals); // b's first step is committed; b now waits for the gate
        first.kill();

        Files.createFile(gate);
        Proc second = start(procs, "work", db, 2);
        try (JobManager client = client(db)) {
            await(
                    "the chain completes",
                    () -> client.findChain(chainId).orElseThrow().info().status() == JobStatus.COMPLETED);
            ChainInfo info = client.findChain(chainId).orElseThrow().info();
            assertThat(info.steps()).extracting(JobInfo::status).containsOnly(JobStatus.COMPLETED);
            assertThat(info.steps())
                    .extracting(s -> s.output().orElseThrow())
                    .containsExactly("\"a\"", "\"ab\"", "\"abc\"");
            for (int i = 1; i < 3; i++) {
                assertThat(info.steps().get(i).startedAt().orElseThrow())
                        .isAfterOrEqualTo(info.steps().get(i - 1).completedAt().orElseThrow());
            }
        }
        second.stop();

        List<String> lines = Files.readAllLines(side);
        assertThat(count(lines, "begin a ")).as("runs of the first step").isEqualTo(1);
        assertThat(count(lines, "end a ")).isEqualTo(1);
        assertThat(count(lines, "begin b "))
                .as("runs of the middle step: killed, resumed")
                .isEqualTo(2);
        assertThat(count(lines, "step b 0 "))
                .as("its checkpointed step, not run again")
                .isEqualTo(1);
        assertThat(count(lines, "step b 1 ")).isEqualTo(1);
        assertThat(count(lines, "step b 2 ")).isEqualTo(1);
        assertThat(count(lines, "end b ")).isEqualTo(1);
        assertThat(lines.stream()
                        .filter(l -> l.startsWith("step b 1 "))
                        .findFirst()
                        .orElseThrow())
                .as("the resumed part ran in the second process")
                .endsWith(" " + second.pid);
        assertThat(count(lines, "begin c ")).as("runs of the third step").isEqualTo(1);
        assertThat(count(lines, "end c ")).isEqualTo(1);
        assertThat(lines.indexOf(lines.stream()
                        .filter(l -> l.startsWith("begin c "))
                        .findFirst()
                        .orElseThrow()))
                .as("the third step began after the middle one ended")
                .isGreaterThan(lines.indexOf(lines.stream()
                        .filter(l -> l.startsWith("end b "))
                        .findFirst()
                        .orElseThrow()));
    }

    // ------------------------------------------------------------------ (b) killed while dispatching

    @Test
    void aParentKilledBetweenDispatchingAndItsCheckpointMakesEachChildOnce() throws Exception {
        Path db = dir.resolve("dispatch.db");
        Path side = dir.resolve("dispatch.txt");
        Path gate = dir.resolve("dispatch.gate");
        // one worker: it runs the parent, so no child runs in this process before the kill
        Proc first = start(procs, "parent", db, 1, side.toString(), "" + PARTS, "20", gate.toString(), "0", "-");
        UUID parent = UUID.fromString(first.await(l -> l.startsWith("parent ")).substring("parent ".length()));
        first.await("dispatched 20"::equals);
        first.kill();
        assertThat(childRows(db, parent)).as("children stored before the kill").hasSize(20);

        Files.createFile(gate);
        Proc second = start(procs, "work", db, 4);
        try (JobManager client = client(db)) {
            await("the parent completes", () -> client.info(parent).status() == JobStatus.COMPLETED);
            assertThat(client.info(parent).output()).contains(Long.toString(FamParentJob.expected(PARTS)));
            assertThat(client.children(parent))
                    .hasSize(PARTS)
                    .allSatisfy(c -> assertThat(c.status()).isEqualTo(JobStatus.COMPLETED));
        }
        second.stop();

        List<String> keys = childRows(db, parent);
        assertThat(keys)
                .as("one child per key, none lost")
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, PARTS).mapToObj(i -> "0." + i).toList());
        assertThat(Support.count(db, "SELECT count(*) FROM jobs WHERE name = 'test.fam.part'"))
                .isEqualTo(PARTS);
        List<String> lines = Files.readAllLines(side);
        assertEachPartOnce(lines);
        assertThat(count(lines, "done " + parent))
                .as("post-wait runs of the parent")
                .isEqualTo(1);
        assertThat(lines)
                .contains("done " + parent + " " + second.pid + " " + PARTS + " " + FamParentJob.expected(PARTS));
        assertThat(count(lines, "dispatched " + parent)).isEqualTo(1);
        assertThat(lines.stream().filter(l -> l.startsWith("run " + parent)).map(l -> l.endsWith(" " + first.pid)))
                .as(
                        "runs of the parent: the killed one, the one that dispatched and maybe waited, the one after the wait")
                .hasSizeBetween(2, 3)
                .first()
                .isEqualTo(true);
    }

    // ------------------------------------------------------------------ (c) killed while waiting

    @Test
    void aParentKilledWhileWaitingResumesOnceWithEveryOutcome() throws Exception {
        Path db = dir.resolve("wait.db");
        Path side = dir.resolve("wait.txt");
        Path gate = dir.resolve("wait.gate");
        // parts 0-9 complete in the first process; 10 and up wait for the gate (4 of them running)
        Proc first = start(procs, "parent", db, 4, side.toString(), "" + PARTS, "0", "-", "10", gate.toString());
        UUID parent = UUID.fromString(first.await(l -> l.startsWith("parent ")).substring("parent ".length()));
        try (JobManager client = client(db)) {
            await("the parent waits, parts 0-9 completed, 4 gated parts running in the first process", () -> {
                List<JobInfo> children = client.children(parent);
                return client.info(parent).status() == JobStatus.WAITING
                        && children.stream()
                                        .filter(c -> c.status() == JobStatus.COMPLETED)
                                        .count()
                                == 10
                        && Files.exists(side)
                        && Files.readAllLines(side).stream()
                                        .filter(l -> l.startsWith("start ") && l.endsWith(" " + first.pid))
                                        .count()
                                >= 14;
            });
            first.kill();
            assertThat(client.info(parent).status()).isEqualTo(JobStatus.WAITING);

            Files.createFile(gate);
            Proc second = start(procs, "work", db, 4);
            await("the parent completes", () -> client.info(parent).status() == JobStatus.COMPLETED);
            assertThat(client.info(parent).output()).contains(Long.toString(FamParentJob.expected(PARTS)));
            assertThat(client.children(parent))
                    .hasSize(PARTS)
                    .allSatisfy(c -> assertThat(c.status()).isEqualTo(JobStatus.COMPLETED));
            second.stop();
        }
        assertThat(childRows(db, parent)).hasSize(PARTS).doesNotHaveDuplicates();
        List<String> lines = Files.readAllLines(side);
        assertEachPartOnce(lines);
        for (int n = 0; n < 10; n++) {
            assertThat(count(lines, "start " + n + " "))
                    .as("runs of part %d, completed before the kill", n)
                    .isEqualTo(1);
        }
        assertThat(count(lines, "run " + parent))
                .as("runs of the parent: before and after its wait")
                .isEqualTo(2);
        assertThat(count(lines, "done " + parent))
                .as("post-wait runs of the parent")
                .isEqualTo(1);
        assertThat(lines.stream()
                        .filter(l -> l.startsWith("done " + parent))
                        .findFirst()
                        .orElseThrow())
                .endsWith(" " + PARTS + " " + FamParentJob.expected(PARTS));
    }

    // ------------------------------------------------------------------ (d) cancel across processes

    @Test
    void cancellingAWaitingParentCancelsItsChildrenRunningInAnotherProcess() throws Exception {
        Path db = dir.resolve("cancel.db");
        Path side = dir.resolve("cancel.txt");
        Path gate = dir.resolve("cancel.gate"); // never made: every part waits until cancelled
        Proc a = start(procs, "parent", db, 1, side.toString(), "" + PARTS, "0", "-", "0", gate.toString());
        UUID parent = UUID.fromString(a.await(l -> l.startsWith("parent ")).substring("parent ".length()));
        try (JobManager client = client(db)) {
            await("the parent waits", () -> client.info(parent).status() == JobStatus.WAITING);
            Proc b = start(procs, "work", db, 4);
            await("4 parts running in process B", () -> startedBy(side, b.pid).size() >= 4);
            Set<UUID> inB = startedBy(side, b.pid);

            client.cancel(parent);
            assertThat(client.info(parent).status()).isEqualTo(JobStatus.CANCELLED);
            await(
                    "every child cancelled",
                    () -> client.children(parent).stream().allMatch(c -> c.status() == JobStatus.CANCELLED));
            List<JobInfo> children = client.children(parent);
            assertThat(children).hasSize(PARTS);
            assertThat(children.stream().filter(c -> inB.contains(c.id())))
                    .as("the children that were running in process B")
                    .hasSize(inB.size())
                    .allSatisfy(c -> assertThat(c.status()).isEqualTo(JobStatus.CANCELLED));
            Set<UUID> ran = startedBy(side, -1);
            assertThat(children.stream().filter(c -> !ran.contains(c.id())))
                    .as("the children that never ran were cancelled by the parent's cancel")
                    .isNotEmpty()
                    .allSatisfy(c -> assertThat(c.error().orElseThrow()).contains("its parent " + parent));
            a.stop();
            b.stop();
        }
        assertThat(Files.readAllLines(side).stream().filter(l -> l.startsWith("part ")))
                .as("side effects of cancelled children")
                .isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static void assertEachPartOnce(List<String> lines) {
        for (int n = 0; n < PARTS; n++) {
            assertThat(count(lines, "part " + n + " "))
                    .as("side effects of part %d", n)
                    .isEqualTo(1);
        }
    }

    /** The ids of the parts that started in process {@code pid} (any process for -1). */
    static Set<UUID> startedBy(Path side, long pid) throws IOException {
        if (!Files.exists(side)) {
            return Set.of();
        }
        return Files.readAllLines(side).stream()
                .filter(l -> l.startsWith("start ") && (pid < 0 || l.endsWith(" " + pid)))
                .map(l -> UUID.fromString(l.split(" ")[2]))
                .collect(Collectors.toSet());
    }

    static long count(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).count();
    }

    /** The child keys of {@code parent}'s rows, read from the file with JDBC. */
    static List<String> childRows(Path db, UUID parent) throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement s = c.prepareStatement("SELECT child_key FROM jobs WHERE parent_id = ?")) {
            s.setString(1, parent.toString());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    static JobManager client(Path db) {
        return JobManager.builder().database(db).client().build();
    }

    /** Reads the store (or a file) until {@code condition} holds: another process's progress announces nothing here. */
    static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    static Proc start(List<Proc> procs, String mode, Path db, int workers, String... more)
            throws IOException, InterruptedException {
        return start(procs, 2000, mode, db, workers, more);
    }

    /** Starts a {@link FamilyChild} with a lease of {@code leaseMillis} and waits for its "ready". */
    static Proc start(List<Proc> procs, int leaseMillis, String mode, Path db, int workers, String... more)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dfam.lease=" + leaseMillis,
                FamilyChild.class.getName(),
                mode,
                db.toString(),
                Integer.toString(workers)));
        command.addAll(List.of(more));
        Proc p = new Proc(new ProcessBuilder(command).redirectErrorStream(true).start());
        procs.add(p);
        p.await(l -> l.startsWith("ready "));
        return p;
    }

    /** A {@link FamilyChild} JVM: its output read on a daemon thread, so that a test awaits lines with a deadline. */
    static final class Proc {
        final Process process;
        final long pid;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean ended;

        Proc(Process process) {
            this.process = process;
            this.pid = process.pid();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader out = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            for (String line; (line = out.readLine()) != null; ) {
                                lines.add(line);
                                synchronized (this) {
                                    notifyAll();
                                }
                            }
                        } catch (IOException e) {
                            // the process was killed
                        }
                        ended = true;
                        synchronized (this) {
                            notifyAll();
                        }
                    },
                    "family-child-" + process.pid());
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line matching {@code match}, waiting up to 60 s for it. */
        String await(Predicate<String> match) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (this) {
                while (true) {
                    synchronized (lines) {
                        for (String l : lines) {
                            if (match.test(l)) {
                                return l;
                            }
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (ended || left <= 0) {
                        throw new AssertionError(
                                "process " + pid + (ended ? " ended" : " timed out") + "; its output: " + output());
                    }
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** SIGKILL: no shutdown hooks, no close(). */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        /** kill -STOP / -CONT. */
        void signal(String signal) throws IOException, InterruptedException {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor();
        }

        /** Closes its stdin: its manager closes, and it prints "closed". */
        void stop() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("process " + pid + " did not close; its output: " + output());
            }
            assertThat(output()).as("output of process %d", pid).contains("closed");
        }
    }
}
