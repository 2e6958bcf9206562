package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/**
 * A deliberate bug: a {@code catch (Exception e)} around the whole loop treats any exception, the
 * interruption of a pause or cancel too, as the end of the work, and returns what it has so far.
 */
@Job(name = "harness.giving_up")
public class GivingUpJob implements JobHandler<Integer> {
    @Param
    int count;

    int next;

    GivingUpJob() {}

    public GivingUpJob(int count) {
        this.count = count;
    }

    @Override
    public Integer run(JobContext ctx) {
        try {
            while (next < count) {
                ctx.checkInterrupt();
                next++;
                ctx.checkpoint();
            }
        } catch (Exception e) {
            // BUG: returns normally after an interruption
        }
        return next;
    }
}
