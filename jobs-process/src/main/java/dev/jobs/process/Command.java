package dev.jobs.process;

import dev.jobs.LogLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An external command for a job to run with {@link CommandRun#run}: its arguments (never a shell
 * string), where and how it runs, which exit codes count as success, how it is stopped and how its
 * output becomes the job's log and progress. Immutable; each {@code with}-style method returns a
 * changed copy.
 *
 * <pre>{@code
 * Command rsync = Command.of("rsync", "-a", "--partial", "--info=progress2", source, target)
 *         .successCodes(0, 24)                     // 24: some files vanished while copying
 *         .progress(ProgressParsers.rsync())
 *         .grace(Duration.ofSeconds(5));           // SIGINT, 5 s, SIGTERM, 5 s, SIGKILL
 * }</pre>
 *
 * <p>The command runs in a session and process group of its own, so that stopping it reaches
 * every process it started, grandchildren included (see docs/process-jobs.md).
 */
public final class Command {

    private final List<String> argv;
    private final Path directory;
    private final Map<String, String> environment;
    private final boolean inheritEnvironment;
    private final Path stdin;
    private final Duration timeout;
    private final Set<Integer> successCodes;
    private final Signal firstSignal;
    private final Duration grace;
    private final ProgressParser progress;
    private final LogLevel stderrLevel;
    private final int maxLineLength;
    private final long maxLoggedBytes;
    private final int tailLines;
    private final OrphanPolicy orphans;

    private Command(Builder b) {
        this.argv = List.copyOf(b.argv);
        this.directory = b.directory;
        this.environment = Map.copyOf(b.environment);
        this.inheritEnvironment = b.inheritEnvironment;
        this.stdin = b.stdin;
        this.timeout = b.timeout;
        this.successCodes = Set.copyOf(b.successCodes);
        this.firstSignal = b.firstSignal;
        this.grace = b.grace;
        this.progress = b.progress;
        this.stderrLevel = b.stderrLevel;
        this.maxLineLength = b.maxLineLength;
        this.maxLoggedBytes = b.maxLoggedBytes;
        this.tailLines = b.tailLines;
        this.orphans = b.orphans;
    }

    /** The program and its arguments, passed as they are (no shell: spaces and quotes are not special). */
    public static Command of(String program, String... arguments) {
        List<String> argv = new ArrayList<>();
        argv.add(Objects.requireNonNull(program, "program"));
        for (String a : arguments) {
            argv.add(Objects.requireNonNull(a, "an argument is null"));
        }
        return of(argv);
    }

    /** The program and its arguments as a list (the first element is the program). */
    public static Command of(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i) == null) {
                throw new IllegalArgumentException(
                        "the command's element " + i + " is null (counted from 0, the program): " + argv);
            }
        }
        if (argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("a command needs a program: the first element of " + argv);
        }
        Builder b = new Builder();
        b.argv = List.copyOf(argv);
        return new Command(b);
    }

    /**
     * A command run by {@code /bin/sh -c script}: only for a script you wrote, never for text from
     * a user (a shell interprets quotes, {@code ;}, {@code $(...)}).
     */
    public static Command shell(String script) {
        return of("/bin/sh", "-c", script);
    }

    private Builder copy() {
        Builder b = new Builder();
        b.argv = argv;
        b.directory = directory;
        b.environment = new LinkedHashMap<>(environment);
        b.inheritEnvironment = inheritEnvironment;
        b.stdin = stdin;
        b.timeout = timeout;
        b.successCodes = new TreeSet<>(successCodes);
        b.firstSignal = firstSignal;
        b.grace = grace;
        b.progress = progress;
        b.stderrLevel = stderrLevel;
        b.maxLineLength = maxLineLength;
        b.maxLoggedBytes = maxLoggedBytes;
        b.tailLines = tailLines;
        b.orphans = orphans;
        return b;
    }

    /** The working directory (default: the JVM's). */
    public Command directory(Path directory) {
        Builder b = copy();
        b.directory = Objects.requireNonNull(directory, "directory");
        return new Command(b);
    }

    /** Sets an environment variable of the command (added to the JVM's environment unless {@link #cleanEnvironment()}). */
    public Command env(String name, String value) {
        Builder b = copy();
        Objects.requireNonNull(name, "the name of an environment variable is null");
        if (value == null) {
            throw new IllegalArgumentException("environment variable " + name + " has no value (null)");
        }
        b.environment.put(name, value);
        return new Command(b);
    }

    /** Sets several environment variables, as {@link #env(String, String)}. */
    public Command env(Map<String, String> variables) {
        Command c = this;
        for (Map.Entry<String, String> e : variables.entrySet()) {
            c = c.env(e.getKey(), e.getValue());
        }
        return c;
    }

    /** Starts the command with only the variables given with {@link #env} (and {@code PATH} if not given). */
    public Command cleanEnvironment() {
        Builder b = copy();
        b.inheritEnvironment = false;
        return new Command(b);
    }

    /** Standard input read from {@code file} (default: closed, so a command that asks for input gets end of file). */
    public Command stdin(Path file) {
        Builder b = copy();
        b.stdin = Objects.requireNonNull(file, "file");
        return new Command(b);
    }

    /** Fails the job if the command runs longer than this (it is stopped as for a cancel first). */
    public Command timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        Builder b = copy();
        b.timeout = timeout;
        return new Command(b);
    }

    /** The exit codes that complete the job (default: 0 only); any other fails it. */
    public Command successCodes(int... codes) {
        if (codes.length == 0) {
            throw new IllegalArgumentException("at least one success code is needed");
        }
        Builder b = copy();
        b.successCodes = new TreeSet<>();
        for (int c : codes) {
            b.successCodes.add(c);
        }
        return new Command(b);
    }

    /**
     * The first signal of the stop ladder (default {@link Signal#INT}, as Ctrl-C): sent to the
     * command's process group, then {@link Signal#TERM} after {@link #grace}, then
     * {@link Signal#KILL} after another.
     */
    public Command firstSignal(Signal signal) {
        Builder b = copy();
        b.firstSignal = Objects.requireNonNull(signal, "signal");
        return new Command(b);
    }

    /** How long each signal of the stop ladder waits for the group to exit (default 10 s). */
    public Command grace(Duration grace) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, was " + grace);
        }
        Builder b = copy();
        b.grace = grace;
        return new Command(b);
    }

    /** Reads progress from the command's output lines (stdout and stderr); see {@link ProgressParsers}. */
    public Command progress(ProgressParser parser) {
        Builder b = copy();
        b.progress = Objects.requireNonNull(parser, "parser");
        return new Command(b);
    }

    /** The log level of standard error lines (default WARN; standard output lines are INFO). */
    public Command stderrLevel(LogLevel level) {
        Builder b = copy();
        b.stderrLevel = Objects.requireNonNull(level, "level");
        return new Command(b);
    }

    /**
     * Caps the job's log: a line longer than {@code lineLength} characters is cut (with a marker);
     * once {@code loggedBytes} of output are logged, further lines are counted, not logged, and
     * the last {@code tailLines} of them are logged when the command ends, after a line saying
     * how many were left out. Defaults: 4,096 characters, 8 MiB, 200 lines.
     */
    public Command logLimits(int lineLength, long loggedBytes, int tailLines) {
        if (lineLength < 16 || loggedBytes < 0 || tailLines < 0) {
            throw new IllegalArgumentException(
                    "log limits need lineLength >= 16, loggedBytes >= 0, tailLines >= 0; were " + lineLength + ", "
                            + loggedBytes + ", " + tailLines);
        }
        Builder b = copy();
        b.maxLineLength = lineLength;
        b.maxLoggedBytes = loggedBytes;
        b.tailLines = tailLines;
        return new Command(b);
    }

    /** What a resumed job does with its command when the process that ran it died (default {@link OrphanPolicy#REATTACH}). */
    public Command orphans(OrphanPolicy policy) {
        Builder b = copy();
        b.orphans = Objects.requireNonNull(policy, "policy");
        return new Command(b);
    }

    public List<String> argv() {
        return argv;
    }

    public java.util.Optional<Path> directory() {
        return java.util.Optional.ofNullable(directory);
    }

    public Map<String, String> environment() {
        return environment;
    }

    public boolean inheritsEnvironment() {
        return inheritEnvironment;
    }

    public java.util.Optional<Path> stdin() {
        return java.util.Optional.ofNullable(stdin);
    }

    public java.util.Optional<Duration> timeout() {
        return java.util.Optional.ofNullable(timeout);
    }

    public Set<Integer> successCodes() {
        return successCodes;
    }

    public Signal firstSignal() {
        return firstSignal;
    }

    public Duration grace() {
        return grace;
    }

    public ProgressParser progress() {
        return progress;
    }

    public LogLevel stderrLevel() {
        return stderrLevel;
    }

    public int maxLineLength() {
        return maxLineLength;
    }

    public long maxLoggedBytes() {
        return maxLoggedBytes;
    }

    public int tailLines() {
        return tailLines;
    }

    public OrphanPolicy orphanPolicy() {
        return orphans;
    }

    /** The program's file name, for messages. */
    String programName() {
        String program = argv.get(0);
        int slash = program.lastIndexOf('/');
        return slash < 0 ? program : program.substring(slash + 1);
    }

    @Override
    public String toString() {
        return String.join(" ", argv);
    }

    private static final class Builder {
        List<String> argv = List.of();
        Path directory;
        Map<String, String> environment = new LinkedHashMap<>();
        boolean inheritEnvironment = true;
        Path stdin;
        Duration timeout;
        Set<Integer> successCodes = new TreeSet<>(Set.of(0));
        Signal firstSignal = Signal.INT;
        Duration grace = Duration.ofSeconds(10);
        ProgressParser progress = ProgressParsers.none();
        LogLevel stderrLevel = LogLevel.WARN;
        int maxLineLength = 4096;
        long maxLoggedBytes = 8L << 20;
        int tailLines = 200;
        OrphanPolicy orphans = OrphanPolicy.REATTACH;
    }
}
