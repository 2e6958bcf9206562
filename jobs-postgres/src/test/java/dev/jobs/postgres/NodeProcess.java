package dev.jobs.postgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link PgNode} JVM: its output (log lines included) read on a daemon thread, so that a test
 * waits for a line with a deadline; kill -9, SIGSTOP and SIGCONT by pid. Closing it kills the
 * process if it still runs.
 */
final class NodeProcess implements AutoCloseable {

    final String name;
    final Process process;
    final long pid;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    private NodeProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.pid = process.pid();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader out = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = out.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                "node-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a node and waits for its "ready". */
    static NodeProcess start(
            String name,
            Path dir,
            String url,
            String schema,
            int workers,
            long leaseMillis,
            int unwritten,
            long pollMillis)
            throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                PgNode.class.getName(),
                url,
                schema,
                Files.createDirectories(dir.resolve(name)).toString(),
                Integer.toString(workers),
                Long.toString(leaseMillis),
                Integer.toString(unwritten),
                Long.toString(pollMillis));
        NodeProcess node = new NodeProcess(
                name, new ProcessBuilder(command).redirectErrorStream(true).start());
        try {
            node.await("its ready line", 60, l -> l.startsWith("ready "));
        } catch (Throwable e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** A copy of the lines printed so far. */
    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** Waits until a line matches, or fails with the output. */
    void await(String what, int seconds, Predicate<String> line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (lines().stream().noneMatch(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "node " + name + " never printed " + what + "; its output:\n" + String.join("\n", lines()));
            }
            if (!process.isAlive() && lines().stream().noneMatch(line)) {
                throw new AssertionError("node " + name + " ended before printing " + what + "; its output:\n"
                        + String.join("\n", lines()));
            }
            Thread.sleep(20);
        }
    }

    void signal(String signal) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .inheritIO()
                .start()
                .waitFor();
        if (exit != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " exited with " + exit);
        }
    }

    /** SIGSTOP, and waits until the kernel shows the process stopped. */
    void freeze() throws Exception {
        signal("STOP");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!state().equals("T")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("process " + pid + " not stopped: state " + state());
            }
            Thread.sleep(5);
        }
    }

    void thaw() throws Exception {
        signal("CONT");
    }

    private String state() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }

    /** kill -9, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Closes its stdin: its manager closes; waits for the process to end. */
    void stop() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node " + name + " did not close; its output:\n" + String.join("\n", lines()));
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                signal("CONT"); // a frozen process cannot die of SIGKILL before it is continued on some kernels
            } catch (Exception e) {
                // it ended meanwhile
            }
            process.destroyForcibly();
        }
    }
}
