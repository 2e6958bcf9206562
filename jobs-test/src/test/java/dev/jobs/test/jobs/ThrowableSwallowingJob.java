package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/**
 * A deliberate bug: {@code catch (Throwable t)} around {@code checkpoint()} swallows everything,
 * the harness's simulated crash (an {@code Error}) included, and the job runs on to its end as a
 * dead process never would.
 */
@Job(name = "harness.throwable_swallowing")
public class ThrowableSwallowingJob implements JobHandler<Integer> {
    @Param
    int count;

    int next;

    ThrowableSwallowingJob() {}

    public ThrowableSwallowingJob(int count) {
        this.count = count;
    }

    @Override
    public Integer run(JobContext ctx) {
        while (next < count) {
            next++;
            try {
                ctx.checkpoint();
            } catch (Throwable t) {
                // BUG: swallows the crash, and the interruption of a pause or cancel
            }
        }
        return next;
    }
}
