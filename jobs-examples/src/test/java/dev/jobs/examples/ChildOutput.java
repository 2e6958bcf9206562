package dev.jobs.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of a child process, read line by line on a daemon thread so that a test waits for a
 * line with a deadline: a child that hangs without printing fails the test instead of blocking it
 * in {@code readLine()}, which no interrupt reaches.
 */
final class ChildOutput {
    private static final Object END = new Object();

    private final Process process;
    private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
    private final StringBuffer text = new StringBuffer();
    private boolean ended;

    ChildOutput(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "child-" + process.pid() + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                text.append(line).append('\n');
                lines.add(line);
            }
        } catch (IOException e) {
            text.append("(reading the output failed: ").append(e).append(")\n");
        } finally {
            lines.add(END);
        }
    }

    /** Everything the child printed so far. */
    String text() {
        return text.toString();
    }

    /** Waits for the next line that matches {@code pattern}; fails if the child ends or {@code timeout} passes first. */
    Matcher await(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object line = next(deadline);
            if (line == null) {
                throw new AssertionError(
                        "no line matching <" + pattern + "> within " + timeout + "; the child printed:\n" + text());
            }
            if (line == END) {
                throw new AssertionError(
                        "the child's output ended without a line matching <" + pattern + ">; it printed:\n" + text());
            }
            Matcher m = pattern.matcher((String) line);
            if (m.find()) {
                return m;
            }
        }
    }

    /** Waits until the child closes its output (usually: exits), and returns all of it. */
    String awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object line = next(deadline);
            if (line == null) {
                throw new AssertionError(
                        "the child's output did not end within " + timeout + "; it printed:\n" + text());
            }
            if (line == END) {
                return text();
            }
        }
    }

    private Object next(long deadline) throws InterruptedException {
        if (ended) {
            return END;
        }
        long left = deadline - System.nanoTime();
        Object line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : lines.poll();
        if (line == END) {
            ended = true;
        }
        return line;
    }
}
