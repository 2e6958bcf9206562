package dev.jobs.examples.cli;

import dev.jobs.InvalidParametersException;
import dev.jobs.JobException;
import dev.jobs.UnknownJobException;
import dev.jobs.runtime.IllegalJobStateException;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobManagerBuilder;
import dev.jobs.runtime.JobNotFoundException;
import dev.jobs.runtime.StoreException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code jobctl}: run and manage jobs stored in a jobs database from the command line.
 *
 * <p>Exit codes: 0 success; 1 the job failed or was cancelled; 2 bad usage; 3 unknown job name or
 * id; 4 invalid parameters; 5 the database could not be used, or does not exist for a command that
 * only reads or controls; 6 the job cannot do that in its current status; 130 interrupted (Ctrl-C
 * paused the job).
 *
 * <p>{@code --db}, {@code --help} and {@code --version} are accepted by every command, before or
 * after its name (they are inherited by the subcommands).
 */
@Command(
        name = "jobctl",
        scope = ScopeType.INHERIT, // --help, --version and the exit code list, in every command
        mixinStandardHelpOptions = true,
        version = "jobctl 0.2.0",
        description = "Run and manage durable background jobs.",
        subcommands = {
            RunCommand.class,
            ExecCommand.class,
            ListCommand.class,
            StatusCommand.class,
            LogCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            CancelCommand.class,
            CleanCommand.class,
            TypesCommand.class,
            SchemaCommand.class,
            DemoCommand.class,
            WorkerCommand.class,
            ServeCommand.class,
            ScheduleCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the job failed or was cancelled",
            "2:bad usage (unknown command or option, missing argument, bad duration)",
            "3:unknown job name, or an ID that names no job",
            "4:invalid parameters",
            "5:no database at --db (commands that only read or control), or it cannot be used or reached",
            "6:not possible in the job's current status",
            "130:interrupted; the job was paused"
        })
public final class JobCtl implements Callable<Integer> {

    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int INVALID = 4;
    static final int DATABASE = 5;
    static final int STATE = 6;
    static final int INTERRUPTED = 130;

    @Option(
            names = "--db",
            scope = ScopeType.INHERIT,
            paramLabel = "FILE|URL",
            converter = JobsDatabase.Converter.class,
            description = "The jobs database: a SQLite file, or a PostgreSQL schema shared by several machines,"
                    + " postgresql://USER@HOST:PORT/DATABASE?schema=NAME (password from PGPASSWORD)"
                    + " (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:user.home}/.jobs/jobs.db")
    JobsDatabase database;

    PrintStream out = System.out;
    PrintStream err = System.err;

    /** Run when the command has ended (not after a kill). */
    final List<Runnable> atEnd = new ArrayList<>();

    /** An error with its own exit code and a one-line message, thrown by the commands. */
    static final class Failure extends RuntimeException {
        final int exitCode;

        Failure(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /** A manager that runs jobs here; creates the database if it does not exist. */
    JobManager worker(int workers) {
        JobManagerBuilder builder = database.configure(JobManager.builder(), workers + 4, atEnd)
                .workers(workers)
                .shutdownTimeout(Duration.ofSeconds(20));
        return Owners.recording(builder, database, atEnd);
    }

    /**
     * A manager that only reads and controls (runs nothing), on an existing database: a command
     * that only looks or controls refuses a database that is not there rather than creating it.
     */
    JobManager client() {
        requireDatabase();
        return creatingClient();
    }

    /** A client manager that creates the database if it does not exist (for dispatching). */
    JobManager creatingClient() {
        return database.configure(JobManager.builder(), 3, atEnd).client().build();
    }

    /** Fails with exit code 5 unless the database exists (has jobs' tables). */
    void requireDatabase() {
        if (!database.exists()) {
            throw new Failure(DATABASE, database.missingMessage());
        }
    }

    @Spec
    CommandSpec spec;

    /** {@code jobctl} without a command. */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "no command given; the commands are "
                        + String.join(", ", spec.subcommands().keySet()));
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs jobctl with these arguments, writing to these streams; returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        JobCtl root = new JobCtl();
        root.out = out;
        root.err = err;
        CommandLine cli = new CommandLine(root);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, arguments) -> usageError(err, e.getCommandLine(), usageMessage(e)));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandLine.ParameterException p) {
                return usageError(err, p.getCommandLine(), usageMessage(p));
            }
            err.println("jobctl: " + oneLine(e));
            return exitCode(e);
        });
        try {
            return cli.execute(args);
        } finally {
            root.atEnd.forEach(Runnable::run);
        }
    }

    /** Prints {@code jobctl: <what is wrong>} and where to read more; returns exit code 2. */
    private static int usageError(PrintStream err, CommandLine command, String message) {
        err.println("jobctl: " + message.replace('\n', ' '));
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
        return USAGE;
    }

    /** Picocli's message, shortened to one line and in jobctl's words where they differ. */
    static String usageMessage(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            var commands = u.getCommandLine().getSubcommands().keySet();
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'";
            }
            return commands.isEmpty()
                    ? "unexpected argument '" + first + "'"
                    : "unknown command '" + first + "'; the commands are " + String.join(", ", commands);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        message = message.strip().replace('\n', ' ');
        return message.isEmpty() ? message : message.substring(0, 1).toLowerCase(Locale.ROOT) + message.substring(1);
    }

    static int exitCode(Throwable e) {
        if (e instanceof Failure f) {
            return f.exitCode;
        }
        if (e instanceof UnknownJobException || e instanceof JobNotFoundException) {
            return NOT_FOUND;
        }
        if (e instanceof InvalidParametersException) {
            return INVALID;
        }
        if (e instanceof StoreException) {
            return DATABASE;
        }
        if (e instanceof IllegalJobStateException) {
            return STATE;
        }
        if (e instanceof JobException) {
            return FAILED;
        }
        return FAILED;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }
}
