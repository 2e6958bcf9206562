package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Progress;

/**
 * A deliberate resume bug that the output does not show: the position and the running sum are
 * {@code transient}, so a checkpoint saves only the parameter, and a resumed run silently starts
 * over from item 0. It still returns the right sum; it just redoes the work (and would repeat any
 * side effect).
 */
@Job(name = "harness.starting_over")
public class StartingOverJob implements JobHandler<Long> {
    @Param
    int count;

    transient int next; // BUG: not saved
    transient long sum; // BUG: not saved

    StartingOverJob() {}

    public StartingOverJob(int count) {
        this.count = count;
    }

    @Override
    public Long run(JobContext ctx) throws Exception {
        while (next < count) {
            ctx.checkInterrupt();
            sum += (long) next * next;
            next++;
            ctx.progress(Progress.count(next, count));
            ctx.checkpoint();
        }
        return sum;
    }
}
