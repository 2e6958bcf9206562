package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Retry;

/** A correct job whose retries start over from the state as dispatched ({@code restart = true}). */
@Job(name = "harness.restarting_sum", retry = @Retry(maxAttempts = 2, restart = true))
public class RestartingSumJob implements JobHandler<Long> {
    @Param
    int count;

    int next;
    long sum;

    RestartingSumJob() {}

    public RestartingSumJob(int count) {
        this.count = count;
    }

    @Override
    public Long run(JobContext ctx) throws Exception {
        while (next < count) {
            ctx.checkInterrupt();
            sum += (long) next * next;
            next++;
            ctx.checkpoint();
        }
        return sum;
    }
}
