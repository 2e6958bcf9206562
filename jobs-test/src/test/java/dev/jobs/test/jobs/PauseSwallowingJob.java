package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.JobInterruptedException;
import dev.jobs.Param;

/**
 * A deliberate bug: it catches the interrupt that a pause throws out of {@code checkpoint()} and
 * carries on, so it cannot be paused. Crashes still stop it, and its output is always right.
 */
@Job(name = "harness.pause_swallowing")
public class PauseSwallowingJob implements JobHandler<Integer> {
    @Param
    int count;

    int next;

    PauseSwallowingJob() {}

    public PauseSwallowingJob(int count) {
        this.count = count;
    }

    @Override
    public Integer run(JobContext ctx) {
        while (next < count) {
            next++;
            try {
                ctx.checkpoint();
            } catch (JobInterruptedException e) {
                // BUG: the pause is ignored
            }
        }
        return next;
    }
}
