package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.util.ArrayList;
import java.util.List;

/** A deliberate resume bug: on resume it assumes the current item was finished and skips it. */
@Job(name = "harness.skipping")
public class SkippingJob implements JobHandler<List<Integer>> {
    @Param
    int count;

    int next;
    List<Integer> done = new ArrayList<>();

    SkippingJob() {}

    public SkippingJob(int count) {
        this.count = count;
    }

    @Override
    public List<Integer> run(JobContext ctx) throws Exception {
        if (ctx.isResuming()) {
            next++; // BUG: the state already points at the next item
        }
        while (next < count) {
            ctx.checkInterrupt();
            done.add(next);
            next++;
            ctx.checkpoint();
        }
        return done;
    }
}
