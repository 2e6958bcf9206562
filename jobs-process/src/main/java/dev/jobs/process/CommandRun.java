package dev.jobs.process;

import dev.jobs.JobContext;
import dev.jobs.JobInterruptedException;
import dev.jobs.LogLevel;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Runs an external {@link Command} from a job, and is the part of the job's state that lets it
 * find the command again after a crash. Keep one in a field of the job (it is checkpointed with
 * the job), one per command the job runs:
 *
 * <pre>{@code
 * @Job(name = "borg_create")
 * public class BorgCreate implements JobHandler<CommandResult> {
 *     @Param String repository;
 *     @Param String archive;
 *     CommandRun borg = new CommandRun();
 *
 *     public CommandResult run(JobContext ctx) throws Exception {
 *         return borg.run(ctx, Command.of("borg", "create", "--log-json", "--progress",
 *                         repository + "::" + archive, "/data")
 *                 .progress(ProgressParsers.jsonLines()));
 *     }
 * }
 * }</pre>
 *
 * <p>What {@link #run} does:
 * <ul>
 *   <li>starts the command in a session and process group of its own, through a small
 *       {@code /bin/sh} wrapper that records its process id and, when it ends, its exit code in
 *       files of the job's {@link JobContext#dataDir()}; standard output and error go to files
 *       there too (never a pipe: the command cannot block on it);
 *   <li>checkpoints the process id and its start time at once, and the read position of the output
 *       every 2 seconds;
 *   <li>logs each output line (standard error at {@link Command#stderrLevel}) within the command's
 *       log limits and reads progress from it with the command's {@link ProgressParser};
 *   <li>on a pause, cancel or shutdown, stops the whole group with the stop ladder (first
 *       signal, TERM, KILL, {@link Command#grace} apart) and returns only once no process of the
 *       group is left; a paused job runs the command again from the start when it is resumed;
 *   <li>returns a {@link CommandResult} for a success code, throws {@link CommandFailedException}
 *       for any other, a timeout or a kill, with the tail of standard error in its message;
 *   <li>after the job's own process died, finds the command by its process id <em>and</em> start
 *       time: re-attaches to it or stops it, per the {@link OrphanPolicy}; takes the exit code of a
 *       command that ended meanwhile from its file; never signals a process id that the system
 *       has given to another process.
 * </ul>
 */
public final class CommandRun {

    private static final long CHECKPOINT_EVERY_MS = 2_000;
    private static final String TIMED_OUT = "timed-out";
    private static final String WRAPPER = "echo $$ > \"$0/pid\"; \"$@\"; c=$?;"
            + " echo $c > \"$0/exit.tmp\" && mv -f \"$0/exit.tmp\" \"$0/exit\"; exit $c";

    // ---- the persisted state (fields, so that the job's codec saves them with the job)
    private String directory;
    private String machine;
    private long pid;
    private long processStart;
    private long launchedAt;
    private long firstLaunchedAt;
    private long stdoutOffset;
    private long stderrOffset;
    private int launches;
    /** Names this run's launch directories apart from those of another CommandRun of the same job. */
    private String tag;

    private String finished; // the directory a successful launch left its exit code file in
    private int failedInAttempt; // the job's attempt in which the recorded command failed
    long loggedBytes;
    long skippedLines;

    public CommandRun() {}

    /** The state an earlier run left after starting a command (for tests of what a resumed job does). */
    static CommandRun recorded(Path directory, long pid, long processStart) {
        CommandRun run = new CommandRun();
        run.directory = directory.toString();
        run.machine = Machine.id();
        run.pid = pid;
        run.processStart = processStart;
        run.launches = 1;
        run.launchedAt = System.currentTimeMillis();
        run.firstLaunchedAt = run.launchedAt;
        return run;
    }

    /** As {@link #recorded}, by another machine. */
    static CommandRun recordedOn(String machine, Path directory, long pid, long processStart) {
        CommandRun run = recorded(directory, pid, processStart);
        run.machine = machine;
        return run;
    }

    /** The process id of the command while it runs (0 when none is known). */
    public long pid() {
        return pid;
    }

    /** One launch of the command, being followed. */
    private record Attached(ProcessGroup group, Process process, Path dir, OutputFile out, OutputFile err) {}

    /**
     * Runs {@code command} to its end, or finds it again when the job resumes, and returns its
     * result.
     *
     * @throws CommandFailedException when it exits with a code that is not a success code, is
     *     killed, or runs past its timeout
     * @throws JobInterruptedException when the job is paused, cancelled or stopped, once no process
     *     of the command is left
     */
    public CommandResult run(JobContext ctx, Command command) throws Exception {
        OutputLog log = new OutputLog(ctx, command, this);
        if (directory != null && failedInAttempt != 0 && ctx.attempt() > failedInAttempt) {
            // a retry after the recorded command failed: it runs afresh
            end(Path.of(directory));
        } else if (directory != null && failedInAttempt != 0 && Files.exists(Path.of(directory, TIMED_OUT))) {
            // resumed after the job's process died between stopping the command for its timeout
            // and saving the failure: it fails the same way
            String message = Files.readString(Path.of(directory, TIMED_OUT));
            finished = directory;
            failedInAttempt = 0;
            forget();
            throw new CommandFailedException(message, -1);
        }
        failedInAttempt = 0;
        Attached attached = resume(ctx, command);
        if (attached == null) {
            attached = launch(ctx, command);
        }
        return follow(ctx, command, attached, log);
    }

    // ------------------------------------------------------------------ resume after a crash

    private Attached resume(JobContext ctx, Command command) throws IOException {
        if (directory == null) {
            return null;
        }
        Path dir = Path.of(directory);
        String here = Machine.id();
        if (machine != null && !machine.equals(here)) {
            // resumed on another node (a shared database), or after a reboot: the process ids of
            // that machine mean nothing here, so nothing is signalled or waited for
            ctx.log(
                    LogLevel.WARN,
                    "the command was started on another machine or before a reboot (" + machine
                            + "); it cannot be seen from here (" + here + "), so it is started again here");
            forget();
            return null;
        }
        if (pid == 0) {
            adoptFromPidFile(dir);
        }
        ProcessGroup group = new ProcessGroup(pid, ProcessGroup.SETSID.isPresent());
        Optional<Long> startNow = pid == 0 ? Optional.empty() : ProcessGroup.startOf(pid);
        if (startNow.isPresent() && startNow.get() == processStart) {
            if (command.orphanPolicy() == OrphanPolicy.KILL) {
                ctx.log(
                        LogLevel.WARN,
                        "the command started by an earlier run is still running (pid " + pid
                                + "); stopping its process group and starting it again");
                group.stop(command.firstSignal(), command.grace());
                end(dir);
                return null;
            }
            ctx.log(LogLevel.INFO, "re-attaching to the command started by an earlier run (pid " + pid + ")");
            return attach(group, null, dir, command);
        }
        if (startNow.isPresent()) {
            ctx.log(LogLevel.WARN, "process id " + pid + " now belongs to another process; it is left alone");
        } else if (pid != 0 && group.anyAlive()) {
            // the wrapper is gone but processes of its group are left; the group id cannot have
            // been reused while they live, so they are the command's
            ctx.log(
                    LogLevel.WARN,
                    "the command's wrapper (pid " + pid + ") is gone but processes of its group are"
                            + " left; stopping them");
            group.stop(command.firstSignal(), command.grace());
        }
        if (Files.exists(dir.resolve("exit"))) {
            ctx.log(LogLevel.INFO, "the command ended while the job was not running; reading its output and exit code");
            return attach(null, null, dir, command);
        }
        ctx.log(
                LogLevel.WARN,
                "the command's process is gone without an exit code (it died with the job's"
                        + " process, or was killed); starting it again");
        end(dir);
        return null;
    }

    /**
     * The job's process died after starting the command but before checkpointing its process id:
     * the wrapper wrote it to a file; accepted only if that process started before the file was
     * written (so it is not a process that got the same id later).
     */
    private void adoptFromPidFile(Path dir) throws IOException {
        Path file = dir.resolve("pid");
        if (!Files.exists(file)) {
            return;
        }
        long candidate;
        try {
            candidate = Long.parseLong(Files.readString(file).strip());
        } catch (NumberFormatException e) {
            return;
        }
        FileTime written = Files.getLastModifiedTime(file);
        Optional<Long> start = ProcessGroup.startOf(candidate);
        if (start.isPresent()
                && start.get() <= written.toMillis() + 1_000
                && start.get() >= written.toMillis() - 60_000) {
            pid = candidate;
            processStart = start.get();
        } else if (start.isEmpty()) {
            pid = candidate; // gone: its exit file tells how it ended
            processStart = -1;
        }
    }

    // ------------------------------------------------------------------ launch

    private Attached launch(JobContext ctx, Command command) throws Exception {
        launches++;
        if (tag == null) {
            tag = java.util.UUID.randomUUID().toString().substring(0, 8);
        }
        Path dir = ctx.dataDir().resolve("command-" + tag + "-" + launches);
        deleteTree(dir);
        Files.createDirectories(dir);
        directory = dir.toString();
        machine = Machine.id();
        pid = 0;
        processStart = 0;
        stdoutOffset = 0;
        stderrOffset = 0;
        launchedAt = System.currentTimeMillis();
        if (firstLaunchedAt == 0) {
            firstLaunchedAt = launchedAt;
        }
        try {
            ctx.checkpoint(); // where the command will write, before it exists
        } catch (JobInterruptedException e) {
            forget();
            throw e;
        }
        if (finished != null) {
            // the job's state no longer points at the last launch: its exit code is not needed
            deleteTree(Path.of(finished));
            finished = null;
        }
        Optional<String> missing = missingFile(command);
        if (missing.isPresent()) {
            end(dir);
            throw new CommandFailedException("cannot start " + command.programName() + ": " + missing.get(), -1);
        }
        List<String> argv = new ArrayList<>();
        ProcessGroup.SETSID.ifPresent(p -> argv.add(p.toString()));
        argv.addAll(List.of("/bin/sh", "-c", WRAPPER, dir.toString()));
        argv.addAll(command.argv());
        ProcessBuilder builder = new ProcessBuilder(argv);
        command.directory().ifPresent(d -> builder.directory(d.toFile()));
        if (!command.inheritsEnvironment()) {
            String path = builder.environment().get("PATH");
            builder.environment().clear();
            if (path != null) {
                builder.environment().put("PATH", path);
            }
        }
        builder.environment().putAll(command.environment());
        builder.redirectInput(command.stdin()
                .map(p -> ProcessBuilder.Redirect.from(p.toFile()))
                .orElse(ProcessBuilder.Redirect.from(new File("/dev/null"))));
        Files.createFile(dir.resolve("stdout"));
        Files.createFile(dir.resolve("stderr"));
        builder.redirectOutput(
                ProcessBuilder.Redirect.appendTo(dir.resolve("stdout").toFile()));
        builder.redirectError(
                ProcessBuilder.Redirect.appendTo(dir.resolve("stderr").toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            end(dir);
            throw new CommandFailedException("cannot start " + command.programName() + ": " + e.getMessage(), -1);
        }
        pid = process.pid();
        processStart = process.info()
                .startInstant()
                .map(java.time.Instant::toEpochMilli)
                .orElse(-1L);
        ProcessGroup group = new ProcessGroup(pid, ProcessGroup.SETSID.isPresent());
        ctx.log(LogLevel.INFO, "started " + command + " (pid " + pid + ")");
        Attached attached = attach(group, process, dir, command);
        try {
            ctx.checkpoint(); // the process id and start time: a resumed job finds it by them
        } catch (RuntimeException e) { // JobInterruptedException included
            // interrupted, or the checkpoint failed (the store): the command must not run on
            // unrecorded
            stop(ctx, command, group);
            end(dir);
            throw e;
        }
        return attached;
    }

    /**
     * What the launch needs that is not there, said in the command's terms: the JDK's own message
     * would name the wrapper ({@code setsid}) or a bare path.
     */
    private static Optional<String> missingFile(Command command) {
        if (command.directory().isPresent()
                && !Files.isDirectory(command.directory().get())) {
            return Optional.of("its working directory " + command.directory().get() + " is not a directory");
        }
        if (command.stdin().isPresent() && !Files.isReadable(command.stdin().get())) {
            return Optional.of("its standard input " + command.stdin().get() + " is not a readable file");
        }
        return Optional.empty();
    }

    private Attached attach(ProcessGroup group, Process process, Path dir, Command command) {
        return new Attached(
                group,
                process,
                dir,
                new OutputFile(dir.resolve("stdout"), stdoutOffset, command.maxLineLength()),
                new OutputFile(dir.resolve("stderr"), stderrOffset, command.maxLineLength()));
    }

    // ------------------------------------------------------------------ follow to the end

    private CommandResult follow(JobContext ctx, Command command, Attached a, OutputLog log) throws Exception {
        try {
            return followToTheEnd(ctx, command, a, log);
        } catch (RuntimeException | IOException e) {
            // the job fails, or is paused after a failed checkpoint (a progress parser or the job's
            // log threw, the output could not be read, the store failed): its command must not run
            // on without it. An Error is left alone, as the death of the process it stands for
            // (a simulated crash in tests): the command runs on, and a resumed job finds it.
            stopAfterFailure(ctx, command, a, e);
            throw e;
        }
    }

    private static void stopAfterFailure(JobContext ctx, Command command, Attached a, Throwable failure) {
        if (a.group() == null) {
            return;
        }
        try {
            if (!a.group().anyAlive()) {
                return;
            }
            List<Signal> sent = a.group().stop(command.firstSignal(), command.grace());
            ctx.log(
                    LogLevel.WARN,
                    "stopped " + command.programName() + " (" + signals(sent) + ") as the job failed: " + failure);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private CommandResult followToTheEnd(JobContext ctx, Command command, Attached a, OutputLog log) throws Exception {
        long lastCheckpoint = System.currentTimeMillis();
        while (true) {
            boolean ended = ended(a);
            boolean read = drain(a, log, 16);
            if (ended) {
                // processes of the group left behind are stopped before the rest of the output is
                // read: one that keeps writing would otherwise keep the reading going for ever
                if (a.group() != null && a.group().anyAlive()) {
                    ctx.log(
                            LogLevel.WARN,
                            "processes started by " + command.programName()
                                    + " were still running after it exited; stopping them");
                    stop(ctx, command, a.group());
                }
                drainToEnd(a, log);
                a.out().finish(log.stdout());
                a.err().finish(log.stderr());
                break;
            }
            long now = System.currentTimeMillis();
            if (command.timeout().isPresent()
                    && now - launchedAt > command.timeout().get().toMillis()) {
                List<Signal> sent = a.group().stop(command.firstSignal(), command.grace());
                drainToEnd(a, log);
                log.finish();
                String message = command.programName() + " ran longer than its timeout of "
                        + command.timeout().get() + " and was stopped (" + signals(sent) + ")" + errorTail(log);
                Files.writeString(a.dir().resolve(TIMED_OUT), message);
                recordFailure(ctx, a.dir());
                throw new CommandFailedException(message, -1);
            }
            try {
                ctx.checkInterrupt();
                if (now - lastCheckpoint >= CHECKPOINT_EVERY_MS) {
                    stdoutOffset = a.out().consumed();
                    stderrOffset = a.err().consumed();
                    ctx.checkpoint();
                    lastCheckpoint = now;
                }
                if (!read) {
                    pause(a);
                }
            } catch (JobInterruptedException | InterruptedException e) {
                List<Signal> sent = a.group() == null ? List.of() : stop(ctx, command, a.group());
                drainToEnd(a, log);
                log.finish();
                if (sent.isEmpty() && Files.exists(a.dir().resolve("exit"))) {
                    // it had ended on its own, just before the pause, cancel or shutdown came:
                    // kept, so that a resumed job takes its exit code instead of running it again
                    stdoutOffset = a.out().consumed();
                    stderrOffset = a.err().consumed();
                    throw e;
                }
                end(a.dir()); // a resumed job runs the command again, from the start
                throw e;
            }
        }
        int exit = exitCode(a);
        log.finish();
        long duration = System.currentTimeMillis() - firstLaunchedAt;
        firstLaunchedAt = 0;
        if (!command.successCodes().contains(exit)) {
            // Recorded as failed, its exit code and standard error kept: a run of this attempt
            // resumed after a crash fails the same way without running it again; a retry (a
            // later attempt) runs it afresh. The object itself forgets it, for a job that calls
            // run() again after catching the failure.
            recordFailure(ctx, a.dir());
            throw new CommandFailedException(describeExit(command, exit) + errorTail(log), exit);
        }
        // The exit code file stays until the job's state no longer points at it: if the job's
        // process dies before the job records this result (or its next checkpoint), the resumed
        // job finds the command ended with this code instead of running it a second time.
        endKeepingExitCode(a.dir());
        return new CommandResult(command.argv(), exit, duration, log.lastLines(), log.lastErrors());
    }

    /**
     * Checkpoints how the command ended, before the job fails: a run of this attempt resumed
     * after a crash fails the same way without running it again; a retry (a later attempt) starts
     * it afresh. The object itself forgets it, for a job that calls run() again after catching
     * the failure.
     */
    private void recordFailure(JobContext ctx, Path dir) throws IOException, JobInterruptedException {
        Files.deleteIfExists(dir.resolve("stdout"));
        Files.deleteIfExists(dir.resolve("pid"));
        failedInAttempt = ctx.attempt();
        ctx.checkpoint();
        failedInAttempt = 0;
        forget();
        finished = dir.toString();
        loggedBytes = 0;
        skippedLines = 0;
    }

    /** The stop ladder, logged. */
    private static List<Signal> stop(JobContext ctx, Command command, ProcessGroup group) {
        List<Signal> sent = group.stop(command.firstSignal(), command.grace());
        ctx.log(LogLevel.INFO, "stopped " + command.programName() + " (" + signals(sent) + ")");
        return sent;
    }

    private boolean ended(Attached a) {
        if (a.process() != null) {
            return !a.process().isAlive();
        }
        if (a.group() == null) {
            return true; // it had ended before the job resumed
        }
        return ProcessGroup.startOf(pid).filter(s -> s == processStart).isEmpty();
    }

    /** Reads up to {@code rounds} MiB of each stream; returns whether anything was read. */
    private static boolean drain(Attached a, OutputLog log, int rounds) throws IOException {
        boolean any = false;
        for (int i = 0; i < rounds; i++) {
            boolean out = a.out().read(log.stdout());
            boolean err = a.err().read(log.stderr());
            if (!out && !err) {
                break;
            }
            any = true;
        }
        return any;
    }

    /**
     * Reads the output up to where it ends now. Bounded, so that a process that escaped the
     * command's group and writes on cannot keep the job from ending.
     */
    private static void drainToEnd(Attached a, OutputLog log) throws IOException {
        long outEnd = a.out().size();
        long errEnd = a.err().size();
        while (true) {
            boolean out = a.out().read(log.stdout(), outEnd);
            boolean err = a.err().read(log.stderr(), errEnd);
            if (!out && !err) {
                return;
            }
        }
    }

    /** Waits a little for the command to exit or write more. */
    private static void pause(Attached a) throws InterruptedException {
        if (a.process() == null) {
            Thread.sleep(50);
            return;
        }
        try {
            a.process().onExit().get(50, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // still running
        }
    }

    /** The exit code the wrapper recorded, else what the JVM saw, else -1. */
    private int exitCode(Attached a) throws IOException {
        Path file = a.dir().resolve("exit");
        if (Files.exists(file)) {
            try {
                return Integer.parseInt(Files.readString(file).strip());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        if (a.process() != null) {
            return a.process().exitValue();
        }
        return -1;
    }

    private static String describeExit(Command command, int exit) {
        if (exit == -1) {
            return command.programName() + " ended without an exit code (its wrapper was killed)";
        }
        if (exit == 127) {
            return command.programName() + " exited with 127 (command not found, or not executable)";
        }
        if (exit > 128 && exit < 160) {
            return command.programName() + " exited with " + exit + " (killed by signal " + (exit - 128) + ")";
        }
        return command.programName() + " exited with " + exit;
    }

    private static String errorTail(OutputLog log) {
        List<String> tail = log.lastErrors();
        if (tail.isEmpty()) {
            return "";
        }
        List<String> shown = tail.subList(Math.max(0, tail.size() - 10), tail.size());
        return "; the last lines of its standard error:\n" + String.join("\n", shown);
    }

    private static String signals(List<Signal> sent) {
        return sent.isEmpty()
                ? "it had already exited"
                : String.join(", then ", sent.stream().map(s -> "SIG" + s).toList());
    }

    /** Forgets the current launch (its files are deleted by the next launch, or at the end). */
    private void forget() {
        directory = null;
        machine = null;
        pid = 0;
        processStart = 0;
        stdoutOffset = 0;
        stderrOffset = 0;
    }

    /** The launch is over: its files are deleted, the log budget starts again for the next command. */
    private void end(Path dir) throws IOException {
        deleteTree(dir);
        forget();
        loggedBytes = 0;
        skippedLines = 0;
    }

    /**
     * The launch succeeded: its output files are deleted, its exit code file is kept (a few
     * bytes; it goes with the job's data directory) for a job resumed before its result was saved.
     */
    private void endKeepingExitCode(Path dir) throws IOException {
        for (String name : List.of("stdout", "stderr", "pid", "exit.tmp")) {
            Files.deleteIfExists(dir.resolve(name));
        }
        forget();
        finished = dir.toString();
        loggedBytes = 0;
        skippedLines = 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
