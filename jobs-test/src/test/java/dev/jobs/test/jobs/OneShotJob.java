package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/** A non-resumable job: it can be paused or cancelled at checkInterrupt(), but a crash fails it. */
@Job(name = "harness.one_shot", resumable = false)
public class OneShotJob implements JobHandler<Integer> {
    @Param
    int count;

    OneShotJob() {}

    public OneShotJob(int count) {
        this.count = count;
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        int done = 0;
        while (done < count) {
            ctx.checkInterrupt();
            done++;
        }
        return done;
    }
}
