package dev.jobs.process;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in job {@code process}: runs one external command, given as JSON, so that an API
 * layer or {@code jobctl exec} can start any tool as a job without writing a class.
 *
 * <pre>{@code
 * jobs.dispatchByName("process", """
 *     {"command": ["rsync", "-a", "--partial", "--info=progress2", "/data/", "/backup/data/"],
 *      "successCodes": [0, 24], "progress": "rsync", "graceSeconds": 5}""");
 * }</pre>
 *
 * <p>{@code progress} is {@code percent}, {@code rsync}, {@code json} (JSON lines, as borg's
 * {@code --log-json}), or a regular expression with named groups (see
 * {@link ProgressParsers#regex}). Its output is a {@link CommandResult}.
 */
@Job(
        name = "process",
        description = "Runs an external command: its output lines are the log, its exit code the outcome")
public class ProcessJob implements JobHandler<CommandResult> {

    @Param(description = "The program and its arguments (no shell)")
    List<String> command;

    @Param(required = false, description = "The working directory")
    Path cwd;

    @Param(required = false, description = "Environment variables added to the worker's")
    Map<String, String> env;

    @Param(required = false, description = "A file to read standard input from (default: closed)")
    Path stdin;

    @Param(required = false, description = "Fail the job if the command runs longer (seconds)")
    Long timeoutSeconds;

    @Param(required = false, description = "Exit codes that complete the job (default [0])")
    List<Integer> successCodes;

    @Param(required = false, description = "percent, rsync, json, or a regex with groups done+total or percent")
    String progress;

    @Param(required = false, description = "First signal of the stop ladder: INT (default), TERM or HUP")
    String firstSignal;

    @Param(required = false, description = "Seconds between the signals of the stop ladder (default 10)")
    Long graceSeconds;

    @Param(required = false, description = "After a crash, a command still running: REATTACH (default) or KILL")
    String orphans;

    CommandRun run = new CommandRun();

    ProcessJob() {}

    /** A process job for {@code argv}, with the defaults of {@link Command}. */
    public ProcessJob(List<String> argv) {
        this.command = List.copyOf(argv);
    }

    @Override
    public CommandResult run(JobContext ctx) throws Exception {
        return run.run(ctx, command());
    }

    /** The command its parameters describe. */
    Command command() {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("parameter command is empty: give the program and its arguments");
        }
        Command c = Command.of(command);
        if (cwd != null) {
            c = c.directory(cwd);
        }
        if (env != null) {
            c = c.env(env);
        }
        if (stdin != null) {
            c = c.stdin(stdin);
        }
        if (timeoutSeconds != null) {
            c = c.timeout(Duration.ofSeconds(timeoutSeconds));
        }
        if (successCodes != null && !successCodes.isEmpty()) {
            c = c.successCodes(successCodes.stream().mapToInt(Integer::intValue).toArray());
        }
        if (progress != null) {
            try {
                c = c.progress(parser(progress));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "parameter progress is '" + progress + "': give percent, rsync, json, none, or a regular"
                                + " expression; " + e.getMessage(),
                        e);
            }
        }
        if (firstSignal != null) {
            c = c.firstSignal(named(Signal.class, "firstSignal", firstSignal.replaceFirst("^(?i)SIG", "")));
        }
        if (graceSeconds != null) {
            c = c.grace(Duration.ofSeconds(graceSeconds));
        }
        if (orphans != null) {
            c = c.orphans(named(OrphanPolicy.class, "orphans", orphans));
        }
        return c;
    }

    /** The constant of {@code type} called {@code value} (any case), or an error naming the parameter. */
    private static <E extends Enum<E>> E named(Class<E> type, String parameter, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value.strip().toUpperCase(Locale.ROOT))) {
                return constant;
            }
        }
        throw new IllegalArgumentException("parameter " + parameter + " is '" + value + "': give one of "
                + java.util.Arrays.toString(type.getEnumConstants()));
    }

    static ProgressParser parser(String name) {
        return switch (name) {
            case "percent" -> ProgressParsers.percent();
            case "rsync" -> ProgressParsers.rsync();
            case "json", "jsonl", "json-lines" -> ProgressParsers.jsonLines();
            case "", "none" -> ProgressParsers.none();
            default -> ProgressParsers.regex(name);
        };
    }
}
