package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Retry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Retry adversary job (RetryAdversaryTest): resumable, {@code steps} steps of {@code stepMillis}
 * (busy sleeping, so a freeze does not shorten it), a checkpoint after each. Side file lines:
 * "S id pid attempt step" before a step's work, "D id pid attempt step" once the step's side effect
 * is done (before its checkpoint), "F id pid attempt step" before throwing, "E id pid attempt" at the
 * end. On attempt 1 it throws an IOException when about to do step {@code failAt} (-1: never).
 * {@code mode}: "none"; "halt" (Runtime.halt at the start of every attempt, before any checkpoint);
 * "haltfirst" (halt at the start of attempt 1 only); "stale" (on attempt 1, the first run to reach
 * step failAt creates the file side.stale-ID holding its pid, waits {@code staleMillis}, then throws;
 * any other run of the job finds the file and goes on normally).
 */
@Job(
        name = "radv.step",
        retry = @Retry(maxAttempts = 3, initialDelay = "50ms", maxDelay = "200ms", multiplier = 2.0, jitter = 0.5))
public class RetryAdvJob implements JobHandler<Long> {
    @Param
    int steps;

    @Param
    int stepMillis;

    @Param
    int failAt = -1;

    @Param
    String mode = "none";

    @Param
    int staleMillis;

    @Param
    String sideFile;

    int next;
    long sum;

    public RetryAdvJob() {}

    public RetryAdvJob(int steps, int stepMillis, int failAt, String mode, int staleMillis, Path sideFile) {
        this.steps = steps;
        this.stepMillis = stepMillis;
        this.failAt = failAt;
        this.mode = mode;
        this.staleMillis = staleMillis;
        this.sideFile = sideFile.toString();
    }

    public static long expected(int steps) {
        long s = 0;
        for (int i = 0; i < steps; i++) {
            s += (long) i * i + 1;
        }
        return s;
    }

    static void line(String file, String text) throws IOException {
        Files.writeString(
                Path.of(file),
                text + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    static void busy(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(2);
        }
    }

    /** Waits even when interrupted (a stale run that throws after its process thawed), then restores the flag. */
    static void busyIgnoringInterrupts(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        boolean interrupted = false;
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Long run(JobContext ctx) throws Exception {
        long pid = ProcessHandle.current().pid();
        String who = ctx.id() + " " + pid + " " + ctx.attempt();
        if (mode.equals("halt") || (mode.equals("haltfirst") && ctx.attempt() == 1)) {
            line(sideFile, "H " + who);
            Runtime.getRuntime().halt(99);
        }
        while (next < steps) {
            ctx.checkInterrupt();
            if (next == failAt && ctx.attempt() == 1) {
                boolean doThrow = true;
                if (mode.equals("stale")) {
                    try {
                        Files.writeString(
                                Path.of(sideFile + ".stale-" + ctx.id()),
                                Long.toString(pid),
                                StandardOpenOption.CREATE_NEW,
                                StandardOpenOption.WRITE);
                        busyIgnoringInterrupts(staleMillis);
                    } catch (FileAlreadyExistsException e) {
                        doThrow = false;
                    }
                }
                if (doThrow) {
                    line(sideFile, "F " + who + " " + next);
                    throw new IOException("step " + next + " failed on attempt " + ctx.attempt() + " in " + pid);
                }
            }
            line(sideFile, "S " + who + " " + next);
            busy(stepMillis);
            sum += (long) next * next + 1;
            line(sideFile, "D " + who + " " + next);
            next++;
            ctx.checkpoint();
        }
        line(sideFile, "E " + who);
        return sum;
    }
}
