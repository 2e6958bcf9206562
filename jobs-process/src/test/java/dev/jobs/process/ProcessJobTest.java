package dev.jobs.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.LogLevel;
import dev.jobs.Progress;
import dev.jobs.runtime.JobCancelledException;
import dev.jobs.runtime.JobFailedException;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.LogLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Real commands run as jobs: output, exit codes, the stop ladder, caps and progress. */
@EnabledOnOs(OS.LINUX)
class ProcessJobTest {

    @TempDir
    Path dir;

    JobManager jobs;

    @BeforeEach
    void open() {
        jobs = JobManager.builder().database(dir.resolve("jobs.db")).workers(2).build();
    }

    @AfterEach
    void close() {
        jobs.close();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(20);
        }
    }

    private List<LogLine> logs(JobHandle<?> handle) {
        return jobs.logs(handle.id(), 0, 100_000);
    }

    private static String params(String json) {
        return json;
    }

    @Test
    void completesWithTheExitCodeAndLogsBothStreams() throws Exception {
        Path script = Scripts.script(dir, "ok.sh", "echo 'to stdout'; echo 'to stderr' >&2; echo 'last line'");
        JobHandle<?> handle = jobs.dispatchByName("process", "{\"command\":[\"" + script + "\"]}");

        CommandResult result = (CommandResult) handle.result().get(60, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isZero();
        assertThat(result.lastLines()).containsExactly("to stdout", "last line");
        assertThat(result.lastErrorLines()).containsExactly("to stderr");
        List<LogLine> log = logs(handle);
        assertThat(log).anySatisfy(l -> {
            assertThat(l.message()).isEqualTo("to stdout");
            assertThat(l.level()).isEqualTo(LogLevel.INFO);
        });
        assertThat(log).anySatisfy(l -> {
            assertThat(l.message()).isEqualTo("to stderr");
            assertThat(l.level()).isEqualTo(LogLevel.WARN);
        });
        try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("jobs.db.data"))) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(f -> f.getFileName().toString()))
                    .as("the command's output files are deleted when it ends (its exit code file is kept)")
                    .containsOnly("exit");
        }
    }

    @Test
    void argumentsArePassedAsTheyAreWithoutAShell() throws Exception {
        Path script = Scripts.script(dir, "args.sh", "for a in \"$@\"; do echo \"[$a]\"; done");
        JobHandle<?> handle =
                jobs.dispatchByName("process", "{\"command\":[\"" + script + "\", \"two words\", \"$HOME\", \"a;b\"]}");

        CommandResult result = (CommandResult) handle.result().get(60, TimeUnit.SECONDS);

        assertThat(result.lastLines()).containsSubsequence("[two words]", "[$HOME]", "[a;b]");
    }

    @Test
    void aNonZeroExitFailsWithTheCodeAndTheTailOfStandardError() throws Exception {
        Path script = Scripts.script(dir, "fail.sh", "echo 'working'; echo 'disk quota exceeded' >&2; exit 3");
        JobHandle<?> handle = jobs.dispatchByName("process", "{\"command\":[\"" + script + "\"]}");

        assertThatThrownBy(() -> handle.result().get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(JobFailedException.class);
        assertThat(jobs.info(handle.id()).status()).isEqualTo(JobStatus.FAILED);
        assertThat(jobs.info(handle.id()).error().orElseThrow())
                .contains("fail.sh exited with 3", "disk quota exceeded")
                .doesNotContain("working");
    }

    @Test
    void aSuccessCodeOtherThanZeroCompletes() throws Exception {
        Path script = Scripts.script(dir, "vanished.sh", "echo 'some files vanished' >&2; exit 24");
        JobHandle<?> handle =
                jobs.dispatchByName("process", "{\"command\":[\"" + script + "\"],\"successCodes\":[0,24]}");

        CommandResult result = (CommandResult) handle.result().get(60, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isEqualTo(24);
    }

    @Test
    void aProgramThatDoesNotExistFailsSayingSo() throws Exception {
        JobHandle<?> handle = jobs.dispatchByName("process", "{\"command\":[\"" + dir.resolve("no-such-tool") + "\"]}");

        assertThatThrownBy(() -> handle.result().get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(jobs.info(handle.id()).error().orElseThrow())
                .contains("exited with 127 (command not found, or not executable)", "no-such-tool");
    }

    @Test
    void cancelStopsTheWholeTreeIncludingGrandchildrenThatIgnoreSigint() throws Exception {
        Path pids = dir.resolve("pids");
        // the script and two grandchildren ignore SIGINT; one grandchild also ignores SIGTERM
        Path script = Scripts.script(
                dir,
                "tree.sh",
                "trap '' INT\n"
                        + "sh -c 'trap \"\" INT; echo $$ >> " + pids + "; exec sleep 1000' &\n"
                        + "sh -c 'trap \"\" INT TERM; echo $$ >> " + pids + "; while true; do sleep 1; done' &\n"
                        + "echo $$ >> " + pids + "\n"
                        + "wait");
        JobHandle<?> handle = jobs.dispatch(new ScriptJob(List.of(script.toString())));
        await("the tree to start", () -> Files.exists(pids) && lines(pids) == 3);
        List<Long> tree = Scripts.pids(pids);

        handle.cancel();

        assertThatThrownBy(() -> handle.result().get(60, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(JobCancelledException.class);
        assertThat(tree)
                .as("no process of the tree is left when the job is CANCELLED")
                .noneMatch(Scripts::alive);
        assertThat(logs(handle))
                .anySatisfy(l -> assertThat(l.message()).contains("SIGINT, then SIGTERM, then SIGKILL"));
    }

    private static int lines(Path file) {
        try {
            return (int)
                    Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void aCommandThatStopsOnTheFirstSignalIsNotSentTheOthers() throws Exception {
        Path started = dir.resolve("started");
        Path script = Scripts.script(
                dir,
                "polite.sh",
                "trap 'echo stopping; exit 130' TERM\ntouch " + started + "\nwhile true; do sleep 0.05; done");
        ScriptJob job = new ScriptJob(List.of(script.toString()));
        job.graceMillis = 3_000;
        JobHandle<?> handle = jobs.dispatch(job);
        await("the script to start", () -> Files.exists(started));

        handle.cancel();

        assertThatThrownBy(() -> handle.result().get(60, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(JobCancelledException.class);
        // SIGINT may be ignored when the test JVM was started in the background; SIGTERM is not
        assertThat(logs(handle))
                .anySatisfy(l -> assertThat(l.message()).matches("stopped polite.sh \\(SIGINT(, then SIGTERM)?\\)"));
        assertThat(logs(handle)).noneSatisfy(l -> assertThat(l.message()).contains("SIGKILL"));
    }

    @Test
    void aCommandPastItsTimeoutIsStoppedAndTheJobFails() throws Exception {
        Path script = Scripts.script(dir, "slow.sh", "exec sleep 1000");
        ScriptJob job = new ScriptJob(List.of(script.toString()));
        job.timeoutMillis = 300L;
        JobHandle<?> handle = jobs.dispatch(job);

        assertThatThrownBy(() -> handle.result().get(60, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(JobFailedException.class);
        assertThat(jobs.info(handle.id()).error().orElseThrow())
                .contains("slow.sh ran longer than its timeout of PT0.3S");
    }

    @Test
    void largeOutputOnBothStreamsNeverBlocksTheCommandAndTheLogStaysWithinItsCap() throws Exception {
        // 50 MB on each stream at once, 100-byte lines
        Path script = Scripts.script(
                dir,
                "flood.sh",
                "{ head -c 49999950 /dev/zero | tr '\\0' 'o' | fold -w 99; echo; } &\n"
                        + "{ head -c 49999950 /dev/zero | tr '\\0' 'e' | fold -w 99; echo; } >&2\n"
                        + "wait\necho 'the end'");
        ScriptJob job = new ScriptJob(List.of(script.toString()));
        job.maxLoggedBytes = 100_000;
        job.tailLines = 5;
        JobHandle<?> handle = jobs.dispatch(job);

        CommandResult result = (CommandResult) handle.result().get(300, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isZero();
        assertThat(result.lastLines()).last().isEqualTo("the end");
        List<LogLine> log = logs(handle);
        long loggedOutput = log.stream()
                .filter(l -> l.message().matches("[oe]+"))
                .mapToLong(l -> l.message().length() + 1)
                .sum();
        assertThat(loggedOutput).isLessThanOrEqualTo(100_000 + 2 * 5 * 100); // the budget, then each tail
        assertThat(log).anySatisfy(l -> assertThat(l.message()).contains("lines of output were not logged"));
        assertThat(log.get(log.size() - 1).message())
                .as("standard output's tail is logged last")
                .isEqualTo("the end");
    }

    @Test
    void aVeryLongLineIsCutWithAMarker() throws Exception {
        Path script = Scripts.script(dir, "long.sh", "head -c 10000 /dev/zero | tr '\\0' 'x'; echo");
        JobHandle<?> handle = jobs.dispatchByName("process", "{\"command\":[\"" + script + "\"]}");
        handle.result().get(60, TimeUnit.SECONDS);

        assertThat(logs(handle)).anySatisfy(l -> assertThat(l.message()).endsWith("x [... 5904 more characters]"));
    }

    @Test
    void progressIsReadFromCarriageReturnUpdatesInRsyncsFormat() throws Exception {
        Path script = Scripts.script(
                dir,
                "meter.sh",
                "printf '        100,000  10%%    1.00MB/s    0:00:09 (xfr#1, to-chk=9/10)\\r'\n"
                        + "printf '        500,000  50%%    1.00MB/s    0:00:05 (xfr#5, to-chk=5/10)\\r'\n"
                        + "printf '      1,000,000 100%%    1.00MB/s    0:00:01 (xfr#10, to-chk=0/10)\\n'\n"
                        + "echo done");
        JobHandle<?> handle =
                jobs.dispatchByName("process", "{\"command\":[\"" + script + "\"],\"progress\":\"rsync\"}");
        handle.result().get(60, TimeUnit.SECONDS);

        Progress progress = jobs.info(handle.id()).progress().orElseThrow();
        assertThat(progress.fraction().orElseThrow()).isEqualTo(1.0);
        assertThat(((Progress.Count) progress).message()).contains("1,000,000 bytes", "1.00MB/s");
        assertThat(logs(handle))
                .as("a redrawn progress line is not logged")
                .noneSatisfy(l -> assertThat(l.message()).contains("50%"));
    }

    @Test
    void progressIsReadFromARealRsync() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/rsync")), "rsync is not installed (.ci/run installs it)");
        Path source = Files.createDirectories(dir.resolve("src"));
        for (int i = 0; i < 20; i++) {
            Files.write(source.resolve("f" + i), new byte[200_000]);
        }
        JobHandle<?> handle = jobs.dispatchByName(
                "process",
                "{\"command\":[\"rsync\",\"-a\",\"--info=progress2\",\"" + source + "/\",\"" + dir.resolve("dst")
                        + "/\"],\"progress\":\"rsync\"}");

        CommandResult result = (CommandResult) handle.result().get(60, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isZero();
        assertThat(jobs.info(handle.id()).progress().orElseThrow().fraction().orElseThrow())
                .isEqualTo(1.0);
        assertThat(dir.resolve("dst/f19")).hasSize(200_000);
    }

    @Test
    void aPausedCommandIsStoppedAndRunsAgainWhenResumed() throws Exception {
        Path runs = dir.resolve("runs");
        Path go = dir.resolve("go");
        Path script = Scripts.script(
                dir,
                "twice.sh",
                "echo run >> " + runs + "\nwhile [ ! -e " + go + " ]; do sleep 0.05; done\necho finished");
        JobHandle<?> handle = jobs.dispatch(new ScriptJob(List.of(script.toString())));
        await("the first run", () -> lines(runs) == 1);

        handle.pause();
        await("the pause", () -> jobs.info(handle.id()).status() == JobStatus.PAUSED);
        assertThat(lines(runs)).isEqualTo(1);
        handle.resume();
        await("the second run", () -> lines(runs) == 2);
        Files.createFile(go);

        CommandResult result = (CommandResult) handle.result().get(60, TimeUnit.SECONDS);
        assertThat(result.lastLines()).contains("finished");
    }

    @Test
    void aRecordedProcessIdNowUsedByAnotherProcessIsNeverSignalled() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "1000").start();
        try {
            long realStart = stranger.info().startInstant().orElseThrow().toEpochMilli();
            Path old = Files.createDirectories(dir.resolve("old-launch"));
            Path script = Scripts.script(dir, "fresh.sh", "echo fresh");
            ScriptJob job = new ScriptJob(List.of(script.toString()));
            job.run = CommandRun.recorded(old, stranger.pid(), realStart - 60_000); // another start time

            JobHandle<?> handle = jobs.dispatch(job);
            CommandResult result = (CommandResult) handle.result().get(60, TimeUnit.SECONDS);

            assertThat(result.lastLines()).contains("fresh");
            assertThat(stranger.isAlive())
                    .as("the process that got the recorded id")
                    .isTrue();
            assertThat(logs(handle))
                    .anySatisfy(l -> assertThat(l.message())
                            .isEqualTo("process id " + stranger.pid()
                                    + " now belongs to another process; it is left alone"));
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void aFailedCommandIsRunAfreshByTheRetry() throws Exception {
        Path marker = dir.resolve("failed-once");
        Path script = Scripts.script(
                dir, "flaky.sh", "if [ -e " + marker + " ]; then echo second; else touch " + marker + "; exit 9; fi");
        JobHandle<?> handle = jobs.dispatch(new FlakyCommandJob(script.toString()));

        CommandResult result = (CommandResult) handle.result().get(60, TimeUnit.SECONDS);

        assertThat(result.lastLines()).containsExactly("second");
        assertThat(jobs.info(handle.id()).failures()).hasSize(1);
        assertThat(logs(handle))
                .as("the retry starts the command without looking for the failed one")
                .noneSatisfy(l -> assertThat(l.message()).contains("gone without an exit code"));
    }

    @Test
    void aCommandStartedOnAnotherMachineIsNotLookedForHere() throws Exception {
        Process local = new ProcessBuilder("sleep", "1000").start();
        try {
            long start = local.info().startInstant().orElseThrow().toEpochMilli();
            Path old = Files.createDirectories(dir.resolve("elsewhere"));
            Path script = Scripts.script(dir, "here.sh", "echo here");
            ScriptJob job = new ScriptJob(List.of(script.toString()));
            // the same pid and start time as a live process here, but recorded by another machine
            job.run = CommandRun.recordedOn("node-2 boot 0000", old, local.pid(), start);

            JobHandle<?> handle = jobs.dispatch(job);
            CommandResult result = (CommandResult) handle.result().get(60, TimeUnit.SECONDS);

            assertThat(result.lastLines()).contains("here");
            assertThat(local.isAlive()).isTrue();
            assertThat(logs(handle))
                    .anySatisfy(l -> assertThat(l.message()).contains("started on another machine or before a reboot"));
        } finally {
            local.destroyForcibly();
        }
    }

    @Test
    void aProcessLeftWritingAfterTheCommandExitedIsStoppedAndTheJobEnds() throws Exception {
        Path pid = dir.resolve("writer.pid");
        // the command exits at once, leaving a process of its group that makes its standard output
        // grow faster than any reader (sparse: no disk space used) until it is stopped
        Path script = Scripts.script(
                dir,
                "leaves-a-writer.sh",
                "sh -c 'echo $$ > " + pid + ".tmp; mv " + pid + ".tmp " + pid
                        + "; while :; do truncate -s +64M /proc/self/fd/1; sleep 0.01; done' &\n"
                        + "while [ ! -e " + pid + " ]; do sleep 0.01; done\n"
                        + "echo started");
        ScriptJob job = new ScriptJob(List.of(script.toString()));
        job.maxLoggedBytes = 0;
        job.tailLines = 0;
        JobHandle<?> handle = jobs.dispatch(job);

        CommandResult result = (CommandResult) handle.result().get(120, TimeUnit.SECONDS);

        assertThat(result.exitCode()).isZero();
        assertThat(Scripts.alive(Scripts.pids(pid).get(0)))
                .as("the process left behind is stopped")
                .isFalse();
        assertThat(logs(handle))
                .anySatisfy(l -> assertThat(l.message()).contains("were still running after it exited"));
    }

    @Test
    void badParametersOfTheProcessJobFailWithAnErrorNamingTheParameterAndTheValue() throws Exception {
        String program = "\"command\":[\"true\"]";
        JobHandle<?> signal = jobs.dispatchByName("process", "{" + program + ",\"firstSignal\":\"QUIT\"}");
        JobHandle<?> orphans = jobs.dispatchByName("process", "{" + program + ",\"orphans\":\"sometimes\"}");
        JobHandle<?> progress = jobs.dispatchByName("process", "{" + program + ",\"progress\":\"rsynk\"}");
        JobHandle<?> empty = jobs.dispatchByName("process", "{\"command\":[]}");

        for (JobHandle<?> h : List.of(signal, orphans, progress, empty)) {
            assertThatThrownBy(() -> h.result().get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        assertThat(jobs.info(signal.id()).error().orElseThrow()).contains("firstSignal", "'QUIT'", "INT", "TERM");
        assertThat(jobs.info(orphans.id()).error().orElseThrow())
                .contains("orphans", "'sometimes'", "REATTACH", "KILL");
        assertThat(jobs.info(progress.id()).error().orElseThrow()).contains("progress", "'rsynk'", "rsync", "percent");
        assertThat(jobs.info(empty.id()).error().orElseThrow()).contains("command", "empty");
    }

    @Test
    void aJobFailingWhileItsCommandRunsStopsTheCommand() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = Scripts.script(
                dir, "runs-on.sh", "sleep 1000 &\necho $! >> " + pids + "\necho $$ >> " + pids + "\necho boom\nwait");
        JobHandle<?> handle = jobs.dispatch(new FailingProgressJob(script.toString()));

        assertThatThrownBy(() -> handle.result().get(60, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(JobFailedException.class);
        assertThat(jobs.info(handle.id()).error().orElseThrow()).contains("the parser cannot read 'boom'");
        assertThat(Scripts.pids(pids))
                .as("no process of the command is left when the job is FAILED")
                .hasSize(2)
                .noneMatch(Scripts::alive);
    }

    @Test
    void aCommandRunUsedForManyCommandsKeepsOnlyTheLastExitCodeFile() throws Exception {
        Path script = Scripts.script(dir, "quick.sh", "echo run");
        ScriptJob job = new ScriptJob(List.of(script.toString()));
        job.runs = 3;
        JobHandle<?> handle = jobs.dispatch(job);

        handle.result().get(60, TimeUnit.SECONDS);

        try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("jobs.db.data"))) {
            assertThat(files.filter(Files::isRegularFile)
                            .map(f -> f.getFileName().toString()))
                    .containsExactly("exit");
        }
    }

    @Test
    void aMissingWorkingDirectoryOrStandardInputFileFailsSayingWhichIsMissing() throws Exception {
        Path missing = dir.resolve("no-such-dir");
        JobHandle<?> cwd = jobs.dispatchByName("process", "{\"command\":[\"true\"],\"cwd\":\"" + missing + "\"}");
        JobHandle<?> stdin = jobs.dispatchByName(
                "process", "{\"command\":[\"cat\"],\"stdin\":\"" + missing.resolve("input") + "\"}");

        for (JobHandle<?> h : List.of(cwd, stdin)) {
            assertThatThrownBy(() -> h.result().get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        assertThat(jobs.info(cwd.id()).error().orElseThrow())
                .contains("working directory", missing.toString())
                .doesNotContain("setsid");
        assertThat(jobs.info(stdin.id()).error().orElseThrow())
                .contains("standard input", missing.resolve("input").toString())
                .doesNotContain("setsid");
    }

    /** The error a process job with these parameters ends with, or its dispatch is refused with. */
    private String errorOf(String parameters) throws Exception {
        JobHandle<?> handle;
        try {
            handle = jobs.dispatchByName("process", parameters);
        } catch (RuntimeException refused) {
            return refused.getMessage();
        }
        assertThatThrownBy(() -> handle.result().get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        return jobs.info(handle.id()).error().orElseThrow();
    }

    @Test
    void aNullArgumentOrEnvironmentValueIsAnErrorThatSaysWhere() throws Exception {
        assertThat(errorOf("{\"command\":[\"echo\", \"a\", null]}")).contains("command", "null", "2");
        assertThatThrownBy(() -> Command.of("true").env(java.util.Collections.singletonMap("BACKUP_TARGET", null)))
                .hasMessageContaining("BACKUP_TARGET")
                .hasMessageContaining("null");
    }

    @Test
    void aStoppedCommandStillGetsTheFirstSignalAndStopsCleanly() throws Exception {
        Path ready = dir.resolve("ready");
        Path stoppedCleanly = dir.resolve("stopped-cleanly");
        // the command stops itself (as SIGSTOP from an operator, or SIGTSTP, would): a signal it
        // handles stays pending until it is continued
        Path script = Scripts.script(
                dir,
                "stops-itself.sh",
                "trap 'touch " + stoppedCleanly + "; exit 0' INT TERM\n" + "touch " + ready
                        + "\nkill -STOP $$\nwhile :; do sleep 0.05; done");
        ScriptJob job = new ScriptJob(List.of(script.toString()));
        job.graceMillis = 2_000;
        JobHandle<?> handle = jobs.dispatch(job);
        await("the command to stop itself", () -> Files.exists(ready) && stoppedState(handle));

        handle.cancel();

        assertThatThrownBy(() -> handle.result().get(60, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(JobCancelledException.class);
        assertThat(stoppedCleanly).as("the command handled the signal").exists();
        assertThat(logs(handle)).noneSatisfy(l -> assertThat(l.message()).contains("SIGKILL"));
    }

    /** Whether a process of the job's command is in the stopped state (T). */
    private boolean stoppedState(JobHandle<?> handle) {
        try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    return stat.contains("(stops-itself.s")
                            && stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
                } catch (java.io.IOException | RuntimeException e) {
                    return false;
                }
            });
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void twoCommandRunsOfOneJobKeepTheirFilesApart() throws Exception {
        JobHandle<List<String>> handle = jobs.dispatch(new TwoCommandsJob());

        assertThat(handle.result().get(60, TimeUnit.SECONDS)).containsExactly("one", "two");
        try (var jobDirs = Files.list(dir.resolve("jobs.db.data"))) {
            Path jobDir = jobDirs.findFirst().orElseThrow();
            try (var launches = Files.list(jobDir)) {
                assertThat(launches.map(p -> p.getFileName().toString()).toList())
                        .as("each CommandRun keeps its last exit code in a directory of its own")
                        .hasSize(2)
                        .allMatch(name -> name.matches("command-[0-9a-f]{8}-1"));
            }
        }
    }
}
