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
 * A resumable job of {@code steps} steps. Each step appends its number to {@code sideFile} (the
 * side effect), then advances the resume point and checkpoints. With {@code echo}, it prints
 * "checkpointed N" after each checkpoint, so a parent process can tell how far a child got.
 */
@Job(name = "test.steps", description = "Counts steps, one checkpoint each")
public class StepJob implements JobHandler<Long> {
    @Param
    int steps;

    @Param(required = false)
    String sideFile;

    @Param(required = false)
    boolean echo;

    @Param(required = false)
    int stepMillis;

    int next;
    long sum;

    public StepJob() {}

    public StepJob(int steps, Path sideFile) {
        this.steps = steps;
        this.sideFile = sideFile == null ? null : sideFile.toString();
    }

    /** The output of an uninterrupted run. */
    public static long expected(int steps) {
        long sum = 0;
        for (int i = 0; i < steps; i++) {
            sum += (long) i * i;
        }
        return sum;
    }

    @Override
    public Long run(JobContext ctx) throws Exception {
        while (next < steps) {
            ctx.checkInterrupt();
            if (sideFile != null) {
                Files.writeString(
                        Path.of(sideFile),
                        next + "\n",
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            for (int slept = 0; slept < stepMillis; slept += 10) {
                Thread.sleep(Math.min(
                        10, stepMillis - slept)); // simulated work, in slices: a frozen process resumes mid-step
            }
            sum += (long) next * next;
            next++;
            ctx.progress(Progress.count(next, steps));
            ctx.checkpoint();
            if (echo) {
                System.out.println("checkpointed " + next);
                System.out.flush();
            }
        }
        return sum;
    }
}
