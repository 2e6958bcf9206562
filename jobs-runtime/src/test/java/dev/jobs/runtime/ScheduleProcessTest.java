package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One recurring schedule ticked by several real JVMs ({@link ScheduleChild}) on one database file,
 * on an accelerated clock they all agree on: each tick of the schedule must become exactly one job,
 * however the processes race, and whichever of them is killed ({@code kill -9}) or frozen
 * ({@code SIGSTOP}) meanwhile.
 *
 * <p>{@code -Djobs.scheduleTicks=N} sets how many ticks a test covers at least (200 by default),
 * {@code -Djobs.scheduleSpeed=S} how much faster than real time the children's clock runs (10 by
 * default: 200 one-second ticks in 20 s), {@code -Djobs.test.seed} replays the kills of a run.
 */
@org.junit.jupiter.api.Timeout(value = 10, unit = TimeUnit.MINUTES) // child JVMs, restarts, N ticks
class ScheduleProcessTest {

    private static final int TICKS = Integer.getInteger("jobs.scheduleTicks", 200);
    private static final int SPEED = Integer.getInteger("jobs.scheduleSpeed", 10);
    private static final long INTERVAL = 1_000;

    @TempDir
    Path dir;

    private Path db;
    private Path side;
    private long t0;
    private ScheduleChild.AcceleratedClock clock;

    /** A running {@link ScheduleChild}; its output is read (and echoed) by a thread of its own. */
    private final class Child {
        final String label;
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Long> ready = new CompletableFuture<>();
        final CompletableFuture<Void> eof = new CompletableFuture<>();

        Child(String label) throws IOException {
            this.label = label;
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    ScheduleChild.class.getName(),
                    db.toString(),
                    side.toString(),
                    Long.toString(t0),
                    Integer.toString(SPEED),
                    "2");
            this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(this::read, "read " + label);
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                    if (line.startsWith("ready ")) {
                        ready.complete(Long.parseLong(line.substring(6).trim()));
                    } else if (!line.startsWith("created ")) {
                        System.out.println("[" + label + " pid " + process.pid() + "] " + line);
                    }
                }
            } catch (IOException e) {
                // the process was killed
            } finally {
                ready.completeExceptionally(new AssertionError(label + " ended before it was ready: " + lines));
                eof.complete(null);
            }
        }

        Child awaitReady() throws Exception {
            assertThat(ready.get(60, TimeUnit.SECONDS)).isEqualTo(process.pid());
            return this;
        }

        /** The jobs its own ticker created. */
        List<UUID> created() {
            synchronized (lines) {
                return lines.stream()
                        .filter(l -> l.startsWith("created "))
                        .map(l -> UUID.fromString(l.substring(8).trim()))
                        .toList();
            }
        }

        /** Closes its stdin: it closes its manager and exits 0. */
        void stop() throws Exception {
            process.getOutputStream().close();
            assertThat(process.waitFor(60, TimeUnit.SECONDS))
                    .as("%s exits", label)
                    .isTrue();
            eof.get(10, TimeUnit.SECONDS);
            assertThat(process.exitValue())
                    .as("%s exit value, output %s", label, lines)
                    .isZero();
            assertThat(lines).contains("closed");
        }

        /** kill -9. */
        void kill() throws Exception {
            process.destroyForcibly(); // SIGKILL on Linux: checked by the exit value 128 + 9
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("%s killed by SIGKILL", label).isEqualTo(137);
            eof.get(10, TimeUnit.SECONDS);
        }

        void signal(String name) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .inheritIO()
                    .start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();
        }

        /** Ends it whatever its state (a frozen process too); for the end of a test. */
        void destroy() {
            if (process.isAlive()) {
                try {
                    signal("CONT");
                } catch (Exception | AssertionError e) {
                    // it ended meanwhile
                }
                process.destroyForcibly();
            }
        }
    }

    private void setUp() throws Exception {
        db = dir.resolve("shared.db");
        side = dir.resolve("ticks.txt");
        t0 = System.currentTimeMillis();
        clock = new ScheduleChild.AcceleratedClock(t0, SPEED);
        try (JobManager init = JobManager.builder().database(db).client().build()) {
            assertThat(init.isClient()).isTrue(); // creates the schema before the children start
        }
    }

    private long anchor() throws SQLException {
        return longs("SELECT anchor FROM job_schedules WHERE name = ?", ScheduleChild.SCHEDULE)
                .get(0);
    }

    /** The last tick that must have a job: TICKS ticks from the anchor. */
    private long target() throws SQLException {
        return anchor() + (TICKS - 1) * INTERVAL;
    }

    /** Sleeps the real time the accelerated clock needs to reach {@code clockMillis}. */
    private void sleepUntilClock(long clockMillis) throws InterruptedException {
        long left = clockMillis - clock.millis();
        if (left > 0) {
            Thread.sleep(left / SPEED + 1);
        }
    }

    /**
     * Waits until the schedule handled its tick {@code target}, pauses it (its version moves, so no
     * look begun before can commit a tick afterwards), and waits for every job it created to end.
     */
    private void pauseAfter(JobManager client, long target) throws Exception {
        sleepUntilClock(target);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (client.schedules()
                        .find(ScheduleChild.SCHEDULE)
                        .orElseThrow()
                        .lastTick()
                        .map(Instant::toEpochMilli)
                        .orElse(Long.MIN_VALUE)
                < target) {
            assertThat(System.nanoTime())
                    .as("the schedule reaches its tick %d", target)
                    .isLessThan(deadline);
            Thread.sleep(20); // a condition with a deadline: the ticker wakes on its own schedule
        }
        client.schedules().pause(ScheduleChild.SCHEDULE);
        for (String id :
                strings("SELECT id FROM jobs WHERE schedule = ? AND status <> 'COMPLETED'", ScheduleChild.SCHEDULE)) {
            client.handle(UUID.fromString(id)).result().get(120, TimeUnit.SECONDS);
        }
    }

    /** What every test asserts of the job rows: one COMPLETED job per tick, a contiguous run of ticks. */
    private List<Long> assertOneJobPerTick(long anchor, long target) throws SQLException {
        Map<Long, Long> perTick = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement s = c.prepareStatement(
                        "SELECT scheduled_for, count(*) FROM jobs WHERE schedule = ? GROUP BY scheduled_for")) {
            s.setString(1, ScheduleChild.SCHEDULE);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    perTick.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        assertThat(perTick.entrySet().stream().filter(e -> e.getValue() != 1).toList())
                .as("ticks with more than one job")
                .isEmpty();
        List<Long> ticks = List.copyOf(perTick.keySet());
        long last = ticks.get(ticks.size() - 1);
        assertThat(last).as("the newest tick").isGreaterThanOrEqualTo(target);
        List<Long> expected = new ArrayList<>();
        for (long t = anchor; t <= last; t += INTERVAL) {
            expected.add(t);
        }
        assertThat(ticks)
                .as("one job per tick from the anchor on, none missing")
                .isEqualTo(expected);
        assertThat(ticks.size()).isGreaterThanOrEqualTo(TICKS);
        assertThat(longs(
                        "SELECT count(*) FROM jobs WHERE schedule = ? AND status <> 'COMPLETED'",
                        ScheduleChild.SCHEDULE))
                .containsExactly(0L);
        return ticks;
    }

    /** Side file lines "tick pid", counted per tick. */
    private Map<Long, Long> runsPerTick() throws IOException {
        return Files.readAllLines(side).stream()
                .collect(Collectors.groupingBy(
                        l -> Long.parseLong(l.split(" ")[0]), TreeMap::new, Collectors.counting()));
    }

    private Map<String, Long> runsPerPid() throws IOException {
        return Files.readAllLines(side).stream()
                .collect(Collectors.groupingBy(l -> l.split(" ")[1], TreeMap::new, Collectors.counting()));
    }

    /** How late each tick's job was created, in clock millis, and how many jobs one look created. */
    private String lateness() throws SQLException {
        List<Long> late = longs(
                "SELECT created_at - scheduled_for FROM jobs WHERE schedule = ? ORDER BY scheduled_for",
                ScheduleChild.SCHEDULE);
        List<Long> perLook =
                longs("SELECT count(*) FROM jobs WHERE schedule = ? GROUP BY created_at", ScheduleChild.SCHEDULE);
        long max = Collections.max(late);
        double mean = late.stream().mapToLong(Long::longValue).average().orElse(0);
        return String.format(
                "lateness (clock ms, speed %d): mean %.0f, max %d (real %d ms); looks that created jobs: %d,"
                        + " most jobs in one look: %d",
                SPEED, mean, max, max / SPEED, perLook.size(), Collections.max(perLook));
    }

    private List<Long> longs(String sql, String arg) throws SQLException {
        return query(sql, arg, rs -> {
            try {
                return rs.getLong(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private List<String> strings(String sql, String arg) throws SQLException {
        return query(sql, arg, rs -> {
            try {
                return rs.getString(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private <T> List<T> query(String sql, String arg, Function<ResultSet, T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(row.apply(rs));
                }
            }
        }
        return out;
    }

    private JobManager client() {
        return JobManager.builder()
                .database(db)
                .client()
                .clock(clock)
                .changePollInterval(Duration.ofMillis(50))
                .build();
    }

    @Test
    void twoProcessesWithTheSameScheduleCreateEachTickOnce() throws Exception {
        setUp();
        long started = System.nanoTime();
        Child a = new Child("A");
        Child b = new Child("B");
        try {
            a.awaitReady();
            b.awaitReady();
            long anchor = anchor();
            long target = target();
            try (JobManager client = client()) {
                pauseAfter(client, target);
            }
            a.stop();
            b.stop();

            List<Long> ticks = assertOneJobPerTick(anchor, target);
            Map<Long, Long> runs = runsPerTick();
            assertThat(runs.keySet()).as("each tick ran").containsExactlyElementsOf(ticks);
            assertThat(runs.entrySet().stream().filter(e -> e.getValue() != 1).toList())
                    .as("ticks run more than once (no process died)")
                    .isEmpty();
            System.out.printf(
                    "twoProcesses: %d ticks in %d s real; created by A %d, by B %d; runs per pid %s; %s%n",
                    ticks.size(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                    a.created().size(),
                    b.created().size(),
                    runsPerPid(),
                    lateness());
            assertThat(a.created().size() + b.created().size()).isEqualTo(ticks.size());
            // each wakes when the other commits, so both tick and both run jobs
            assertThat(a.created()).as("ticks created by A").isNotEmpty();
            assertThat(b.created()).as("ticks created by B").isNotEmpty();
            assertThat(runsPerPid()).as("runs per pid").hasSize(2);
        } finally {
            a.destroy();
            b.destroy();
        }
    }

    @Test
    void aProcessKilledWhileTickingLosesAndDoublesNoTick() throws Exception {
        long seed = Support.seed("aProcessKilledWhileTickingLosesAndDoublesNoTick");
        try {
            killAndFreeze(new Random(seed));
        } catch (AssertionError e) {
            throw Support.withSeed(e, seed);
        }
    }

    private void killAndFreeze(Random random) throws Exception {
        setUp();
        long started = System.nanoTime();
        Child[] children = {new Child("A0"), new Child("B0")};
        List<Child> all = new ArrayList<>(List.of(children));
        int kills = 0;
        int freezes = 0;
        try {
            children[0].awaitReady();
            children[1].awaitReady();
            long anchor = anchor();
            long target = target();
            try (JobManager client = client()) {
                // kills and freezes until the last 10 % of the run, so both children end it alive
                long stopAt = anchor + (long) (TICKS * 0.9) * INTERVAL;
                while (clock.millis() < stopAt) {
                    Thread.sleep(100 + random.nextInt(900)); // a random moment, real time
                    int i = random.nextInt(2);
                    Child victim = children[i];
                    // the second action always freezes one (so each run has a freeze), later ones at random
                    if (kills + freezes == 1 ? freezes == 0 : random.nextInt(5) == 0) {
                        // freeze one for 2-4 s (real): the other must keep ticking meanwhile
                        long before = lastTick(client);
                        victim.signal("STOP");
                        freezes++;
                        long frozenFor = 2_000 + random.nextInt(2_000);
                        Thread.sleep(frozenFor);
                        long during = lastTick(client);
                        // a process frozen in the middle of a commit holds SQLite's write lock: every
                        // writer waits for it (operations.md, "Faults"), so the other cannot tick then
                        boolean lockHeld = writeLockHeld();
                        victim.signal("CONT");
                        System.out.printf(
                                "froze %s for %d ms: the schedule's last tick moved from %d to %d (%d ticks)%s%n",
                                victim.label,
                                frozenFor,
                                before - anchor,
                                during - anchor,
                                (during - before) / INTERVAL,
                                lockHeld ? "; it was frozen holding the write lock" : "");
                        if (!lockHeld) {
                            assertThat(during)
                                    .as("the other process ticks while %s is frozen", victim.label)
                                    .isGreaterThan(before);
                        }
                    } else {
                        victim.kill();
                        kills++;
                        System.out.printf(
                                "killed %s at tick %d (clock %d)%n",
                                victim.label, (clock.millis() - anchor) / INTERVAL, clock.millis() - anchor);
                        children[i] = new Child(victim.label.charAt(0) + Integer.toString(kills));
                        all.add(children[i]);
                        children[i].awaitReady();
                    }
                }
                pauseAfter(client, target);
            }
            children[0].stop();
            children[1].stop();

            List<Long> ticks = assertOneJobPerTick(anchor, target);
            Map<Long, Long> runs = runsPerTick();
            assertThat(runs.keySet())
                    .as("each tick ran at least once (a run may repeat after its process was killed)")
                    .containsExactlyElementsOf(ticks);
            List<Long> twice = runs.entrySet().stream()
                    .filter(e -> e.getValue() > 1)
                    .map(e -> (e.getKey() - anchor) / INTERVAL)
                    .toList();
            // a run repeats only if its process was killed (2 workers each) or frozen past its lease
            assertThat(twice.size()).as("ticks run twice (ticks %s)", twice).isLessThanOrEqualTo(2 * (kills + freezes));
            System.out.printf(
                    "killAndFreeze: %d ticks in %d s real, %d kills, %d freezes; created per process %s;"
                            + " runs per pid %s; ticks run twice %s; %s%n",
                    ticks.size(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                    kills,
                    freezes,
                    all.stream()
                            .collect(Collectors.toMap(
                                    c -> c.label + "/" + c.process.pid(),
                                    c -> c.created().size(),
                                    (x, y) -> x,
                                    TreeMap::new)),
                    runsPerPid(),
                    twice,
                    lateness());
            assertThat(kills).isPositive();
            assertThat(freezes).isPositive();
        } finally {
            for (Child c : all) {
                c.destroy();
            }
        }
    }

    private static long lastTick(JobManager client) {
        return client.schedules()
                .find(ScheduleChild.SCHEDULE)
                .orElseThrow()
                .lastTick()
                .map(Instant::toEpochMilli)
                .orElse(Long.MIN_VALUE);
    }

    /**
     * Whether a process holds the database's write lock for good: ten tries of a write transaction,
     * 50 ms apart, none of which gets it (a live process holds it for a commit at a time).
     */
    private boolean writeLockHeld() throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
                java.sql.Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 0");
            for (int attempt = 0; attempt < 10; attempt++) {
                try {
                    st.execute("BEGIN IMMEDIATE");
                    st.execute("ROLLBACK");
                    return false;
                } catch (java.sql.SQLException busy) {
                    Thread.sleep(50);
                }
            }
            return true;
        }
    }
}
