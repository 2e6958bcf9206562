package dev.jobs.examples;

import dev.jobs.examples.cli.JobCtl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs jobctl, in this JVM or as a real child process. */
final class Cli {
    private Cli() {}

    record Result(int exit, String out, String err) {}

    /** {@code jobctl --db DB ARGS...} in this JVM. */
    static Result run(Path db, String... args) {
        List<String> all = new ArrayList<>(List.of("--db", db.toString()));
        all.addAll(List.of(args));
        return exactly(all.toArray(String[]::new));
    }

    /** {@code jobctl ARGS...} in this JVM, with exactly these arguments. */
    static Result exactly(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = JobCtl.execute(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code jobctl --db DB ARGS...} in a child JVM, its standard error merged into its output. */
    static Process start(Path db, String... args) throws IOException {
        return new ProcessBuilder(command(List.of(), db.toString(), args))
                .redirectErrorStream(true)
                .start();
    }

    /**
     * {@code jobctl --db DB ARGS...} in a child JVM whose home directory ({@code user.home}) is
     * {@code home} and whose working directory is {@code workingDirectory}.
     */
    static Process startWithHome(Path home, Path workingDirectory, Path db, String... args) throws IOException {
        return startWithHome(home, workingDirectory, db.toString(), args);
    }

    /** As {@link #startWithHome(Path, Path, Path, String...)}, with {@code --db} a file or a URL. */
    static Process startWithHome(Path home, Path workingDirectory, String db, String... args) throws IOException {
        return new ProcessBuilder(command(List.of("-Duser.home=" + home), db, args))
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .start();
    }

    private static List<String> command(List<String> jvmOptions, String db, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JobCtl.class.getName(), "--db", db));
        command.addAll(List.of(args));
        return command;
    }
}
