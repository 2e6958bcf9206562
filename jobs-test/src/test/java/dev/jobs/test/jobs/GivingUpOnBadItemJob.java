package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.NonRetryableException;
import dev.jobs.Param;
import dev.jobs.Retry;

/** Has a retry policy, but ends itself with a {@link NonRetryableException} at item {@code bad}. */
@Job(name = "harness.giving_up_on_bad_item", retry = @Retry(maxAttempts = 3))
public class GivingUpOnBadItemJob implements JobHandler<Integer> {
    @Param
    int count;

    @Param
    int bad;

    int next;

    GivingUpOnBadItemJob() {}

    public GivingUpOnBadItemJob(int count, int bad) {
        this.count = count;
        this.bad = bad;
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        while (next < count) {
            ctx.checkInterrupt();
            if (next == bad) {
                throw new NonRetryableException("item " + bad + " is malformed");
            }
            next++;
            ctx.checkpoint();
        }
        return next;
    }
}
