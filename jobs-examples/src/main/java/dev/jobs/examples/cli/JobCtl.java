package dev.jobs.examples.cli;

import dev.jobs.InvalidParametersException;
import dev.jobs.JobException;
import dev.jobs.UnknownJobException;
import dev.jobs.runtime.IllegalJobStateException;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobNotFoundException;
import dev.jobs.runtime.StoreException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jobctl}: run and manage jobs stored in a jobs database from the command line.
 *
 * <p>Exit codes: 0 success; 1 the job failed or was cancelled; 2 bad usage; 3 unknown job name or
 * id; 4 invalid parameters; 5 the database could not be used; 6 the job cannot do that in its
 * current status; 130 interrupted (Ctrl-C paused the job).
 */
@Command(
        name = "jobctl",
        mixinStandardHelpOptions = true,
        version = "jobctl 0.1.0",
        description = "Run and manage durable background jobs.",
        subcommands = {
            RunCommand.class,
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
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:the job failed or was cancelled",
            "2:bad usage",
            "3:unknown job name or id",
            "4:invalid parameters",
            "5:the database could not be used",
            "6:not possible in the job's current status",
            "130:interrupted; the job was paused"
        })
public final class JobCtl {

    static final int FAILED = 1;
    static final int NOT_FOUND = 3;
    static final int INVALID = 4;
    static final int DATABASE = 5;
    static final int STATE = 6;
    static final int INTERRUPTED = 130;

    @Option(
            names = "--db",
            description = "The jobs database (default: ${DEFAULT-VALUE}).",
            defaultValue = "${sys:user.home}/.jobs/jobs.db")
    Path database;

    PrintStream out = System.out;
    PrintStream err = System.err;

    /** A manager that runs jobs here. */
    JobManager worker(int workers) {
        return JobManager.builder()
                .database(database)
                .workers(workers)
                .shutdownTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** A manager that only reads and controls (runs nothing). */
    JobManager client() {
        return JobManager.builder().database(database).client().build();
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
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("jobctl: " + oneLine(e));
            return exitCode(e);
        });
        return cli.execute(args);
    }

    static int exitCode(Throwable e) {
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
