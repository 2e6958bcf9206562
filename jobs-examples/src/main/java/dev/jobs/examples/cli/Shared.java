package dev.jobs.examples.cli;

import dev.jobs.JobStatus;
import dev.jobs.Progress;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.events.JobEvent;
import dev.jobs.runtime.events.Subscription;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** What several commands do: follow a job with a progress bar, start a background worker, format. */
final class Shared {
    private Shared() {}

    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    /**
     * Waits for a job this process runs to finish or pause, drawing a progress bar on {@code err}
     * when it is a terminal. Ctrl-C pauses the job. Returns the exit code.
     */
    static int follow(JobManager jobs, UUID id, String name, PrintStream out, PrintStream err, boolean bar)
            throws InterruptedException {
        return pausingOnCtrlC(jobs, id, name, out, err, () -> watch(jobs, id, name, err, bar, null, fraction -> {}));
    }

    /** Waits as {@link #follow}, printing the job's log lines as they come instead of a progress bar. */
    static int followLog(JobManager jobs, UUID id, String name, PrintStream out, PrintStream err)
            throws InterruptedException {
        return pausingOnCtrlC(
                jobs, id, name, out, err, () -> jobs.followLog(id, 0, line -> out.println(line.message())));
    }

    interface Wait {
        void run() throws InterruptedException;
    }

    /** Runs {@code wait} with Ctrl-C pausing the job, then prints how the job ended; returns the exit code. */
    private static int pausingOnCtrlC(
            JobManager jobs, UUID id, String name, PrintStream out, PrintStream err, Wait wait)
            throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread pauseOnCtrlC = new Thread(() -> {
            try {
                jobs.pause(id);
                err.println();
                err.println("jobctl: paused job " + id + "; `jobctl resume " + id + "` continues it");
                stopped.await(20, TimeUnit.SECONDS);
                jobs.close();
            } catch (Exception e) {
                // the job already ended
            }
        });
        Runtime.getRuntime().addShutdownHook(pauseOnCtrlC);
        try {
            wait.run();
        } finally {
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(pauseOnCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C is being handled
            }
        }
        JobInfo info = jobs.info(id);
        switch (info.status()) {
            case COMPLETED -> {
                out.println("job " + id + " (" + name + ") completed: "
                        + info.output().orElse("(no output)"));
                return 0;
            }
            case PAUSED -> {
                out.println("job " + id + " (" + name + ") paused; `jobctl resume " + id + "` continues it");
                return 0;
            }
            case FAILED -> {
                out.println(
                        "job " + id + " (" + name + ") failed: " + info.error().orElse("?"));
                return JobCtl.FAILED;
            }
            default -> {
                out.println(
                        "job " + id + " (" + name + ") " + info.status().name().toLowerCase(Locale.ROOT));
                return JobCtl.FAILED;
            }
        }
    }

    /**
     * Waits until the job finishes or pauses. Draws a bar on {@code err} if {@code bar}, else
     * prints a line per 10% on {@code steps} if it is not null; {@code onFraction} sees every
     * progress value.
     */
    @SuppressWarnings("try") // the subscription is held open by the try, not used in it
    static void watch(
            JobManager jobs,
            UUID id,
            String name,
            PrintStream err,
            boolean bar,
            PrintStream steps,
            java.util.function.DoubleConsumer onFraction)
            throws InterruptedException {
        // the bar starts where the job is (a resumed job is not at 0%)
        java.util.Optional<Progress> current = jobs.info(id).progress();
        ProgressBar progressBar = bar
                ? new ProgressBarBuilder()
                        .setTaskName(name)
                        .setInitialMax(ProgressLine.SCALE)
                        .startsFrom(scaled(current.orElse(null)), Duration.ZERO)
                        .setRenderer(new ProgressLine())
                        .setUpdateIntervalMillis(100)
                        .continuousUpdate()
                        .setConsumer(new ConsoleProgressBarConsumer(err, 110))
                        .build()
                : null;
        if (progressBar != null) {
            current.ifPresent(p -> show(progressBar, p));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        int[] lastTenth = {-1};
        try (Subscription s = jobs.addListener(id, event -> {
            if (event instanceof JobEvent.ProgressUpdated p) {
                if (progressBar != null) {
                    show(progressBar, p.progress());
                }
                p.progress().fraction().ifPresent(f -> {
                    if (steps != null && (int) (f * 10) > lastTenth[0]) {
                        lastTenth[0] = (int) (f * 10);
                        steps.printf("  %s %3d%%%n", name, lastTenth[0] * 10);
                    }
                    onFraction.accept(f);
                });
            } else if (event instanceof JobEvent.Completed
                    || event instanceof JobEvent.Failed
                    || event instanceof JobEvent.Cancelled
                    || event instanceof JobEvent.Paused) {
                stopped.countDown();
            }
        })) {
            while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
                JobStatus status = jobs.info(id).status();
                if (status.isTerminal() || status == JobStatus.PAUSED) {
                    break; // ended before the listener was attached, or elsewhere
                }
            }
        } finally {
            if (progressBar != null) {
                progressBar.close();
            }
        }
    }

    /** A progress as a position of the bar: {@link ProgressLine#SCALE} is done; 0 without a fraction. */
    static long scaled(Progress progress) {
        if (progress == null) {
            return 0;
        }
        return Math.round(progress.fraction().orElse(0) * ProgressLine.SCALE);
    }

    static void show(ProgressBar bar, Progress progress) {
        progress.fraction().ifPresent(f -> bar.stepTo(scaled(progress)));
        String message = null;
        if (progress instanceof Progress.Count c) {
            message = c.message();
        } else if (progress instanceof Progress.Indeterminate i) {
            message = i.message();
        }
        if (message != null) {
            bar.setExtraMessage(message);
        }
    }

    /** Where background workers write their output: {@code logs/} beside the database file (for PostgreSQL: see {@link JobsDatabase}). */
    static Path logsDirectory(JobsDatabase database) {
        return database.localDirectory().resolve("logs");
    }

    /** The output of the background worker of job {@code id}. */
    static Path logFile(JobsDatabase database, UUID id) {
        return logsDirectory(database).resolve(id + ".log");
    }

    /** Creates {@code dir} (and its parents) {@code 0700} where POSIX permissions exist. */
    static Path privateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.createDirectories(dir);
        }
        Files.createDirectories(
                dir,
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        // the umask may have taken bits away from the ones asked for
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** Starts a detached worker process for {@code id}; returns its log file. */
    static Path startBackgroundWorker(JobsDatabase database, UUID id, PrintStream out) throws IOException {
        // owner-only, like the database: a job's output may be private
        privateDirectory(logsDirectory(database));
        Path log = logFile(database, id);
        if (!Files.exists(log)) {
            try {
                Files.createFile(
                        log,
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException noPosix) {
                Files.createFile(log);
            }
        }
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid"); // a new session: closing the terminal does not stop it
        }
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + System.getProperty("user.home"), // the same ~/.jobs as this process
                "-cp",
                System.getProperty("java.class.path"),
                JobCtl.class.getName(),
                "--db",
                database.argument(),
                "worker",
                "--job",
                id.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(database.childEnvironment()); // a password, not on the command line
        Process process = builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true)
                .start();
        out.println("job " + id + " runs in the background (worker pid " + process.pid() + ")");
        out.println("log: " + log);
        out.println("follow it with: jobctl log " + id + " --follow");
        return log;
    }

    static String percent(JobInfo info) {
        return info.progress()
                .flatMap(p -> p.fraction().isPresent()
                        ? java.util.Optional.of(String.format(
                                Locale.ROOT, "%5.1f%%", p.fraction().getAsDouble() * 100))
                        : java.util.Optional.empty())
                .orElse("     -");
    }

    static String message(JobInfo info) {
        if (info.error().isPresent()) {
            return info.error().get();
        }
        return info.progress()
                .map(p -> p instanceof Progress.Count c && c.message() != null
                        ? c.message()
                        : p instanceof Progress.Indeterminate i && i.message() != null ? i.message() : "")
                .orElse("");
    }

    /** What list and status say about a RUNNING job whose process has ended. */
    static String ownerGone(String why) {
        return "owner gone: " + why + ", resumes on next worker start";
    }

    /**
     * When a QUEUED job runs, if it waits: {@code retry 2/5 at TIME} for a job waiting for its
     * retry (attempt 2 of 5), {@code runs at TIME} for a delayed job whose time is still ahead.
     */
    static java.util.Optional<String> waiting(JobInfo job) {
        if (job.status() != JobStatus.QUEUED || job.runAt().isEmpty()) {
            return java.util.Optional.empty();
        }
        Instant at = job.runAt().get();
        if (job.retrying()) {
            return java.util.Optional.of(
                    "retry " + (job.failedAttempts() + 1) + "/" + job.maxAttempts() + " at " + time(at));
        }
        return at.isAfter(Instant.now()) ? java.util.Optional.of("runs at " + time(at)) : java.util.Optional.empty();
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }
}
