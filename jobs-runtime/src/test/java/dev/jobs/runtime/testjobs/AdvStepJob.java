package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Progress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Adversary test job: resumable, {@code steps} steps of {@code stepMillis} each (busy sleeping, no
 * checkInterrupt inside a step). Appends "S id pid step" before a step and "C id pid step" once its
 * checkpoint returned (so it was committed under this run's claim), "E id pid" when run() returns.
 */
@Job(name = "adv.step")
public class AdvStepJob implements JobHandler<Long> {
    @Param
    int steps;

    @Param
    int stepMillis;

    @Param
    String sideFile;

    int next;
    long sum;

    public AdvStepJob() {}

    public AdvStepJob(int steps, int stepMillis, Path sideFile) {
        this.steps = steps;
        this.stepMillis = stepMillis;
        this.sideFile = sideFile.toString();
    }

    public static long expected(int steps) {
        long s = 0;
        for (int i = 0; i < steps; i++) {
            s += (long) i * i;
        }
        return s;
    }

    static void line(String file, String text) throws java.io.IOException {
        Files.writeString(
                Path.of(file),
                text + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Override
    public Long run(JobContext ctx) throws Exception {
        long pid = ProcessHandle.current().pid();
        while (next < steps) {
            ctx.checkInterrupt();
            line(sideFile, "S " + ctx.id() + " " + pid + " " + next);
            long end = System.nanoTime() + stepMillis * 1_000_000L;
            while (System.nanoTime() < end) {
                Thread.sleep(5);
            }
            sum += (long) next * next;
            next++;
            ctx.progress(Progress.count(next, steps));
            ctx.checkpoint();
            line(sideFile, "C " + ctx.id() + " " + pid + " " + (next - 1));
        }
        line(sideFile, "E " + ctx.id() + " " + pid);
        return sum;
    }
}
