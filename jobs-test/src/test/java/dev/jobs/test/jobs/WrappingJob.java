package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/**
 * A deliberate bug: each step's exceptions are wrapped in an {@code IllegalStateException}, the
 * interruption of a pause or cancel included, so the job fails instead of stopping.
 */
@Job(name = "harness.wrapping")
public class WrappingJob implements JobHandler<Integer> {
    @Param
    int count;

    int next;

    WrappingJob() {}

    public WrappingJob(int count) {
        this.count = count;
    }

    @Override
    public Integer run(JobContext ctx) {
        while (next < count) {
            try {
                next++;
                ctx.checkpoint();
            } catch (Exception e) {
                throw new IllegalStateException("step " + next + " failed", e); // BUG: wraps the interruption
            }
        }
        return next;
    }
}
