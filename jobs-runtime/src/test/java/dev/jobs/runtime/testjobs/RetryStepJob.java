package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.NonRetryableException;
import dev.jobs.Param;
import dev.jobs.Retry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Runs {@code steps} steps with a checkpoint after each, writing "step attempt" per step to
 * {@code log}. On each of its first {@code failures} attempts it throws at step {@code failAt}
 * (an IOException, or the exception named by {@code kind}). Retried 3 times in all, 10 s, then
 * 20 s apart, without jitter.
 */
@Job(
        name = "test.retry_steps",
        retry = @Retry(maxAttempts = 3, initialDelay = "10s", maxDelay = "1m", multiplier = 2.0, jitter = 0.0))
public class RetryStepJob implements JobHandler<Integer> {
    @Param
    String log;

    @Param
    int steps = 5;

    @Param
    int failAt = 3;

    @Param
    int failures = 1;

    /** "io", "nonretryable" or "state" (an IllegalStateException). */
    @Param
    String kind = "io";

    int next;

    RetryStepJob() {}

    public RetryStepJob(Path log, int failAt, int failures, String kind) {
        this.log = log.toString();
        this.failAt = failAt;
        this.failures = failures;
        this.kind = kind;
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        while (next < steps) {
            if (next == failAt && ctx.attempt() <= failures) {
                switch (kind) {
                    case "nonretryable" -> throw new NonRetryableException("step " + next + " cannot work");
                    case "state" -> throw new IllegalStateException("step " + next + " is in a bad state");
                    default -> throw new IOException("step " + next + " failed on attempt " + ctx.attempt());
                }
            }
            Files.writeString(
                    Path.of(log),
                    next + " " + ctx.attempt() + " " + ctx.isRetry() + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            next++;
            ctx.checkpoint(); // saved with the step counted: a retry continues after it
        }
        return ctx.attempt();
    }
}
