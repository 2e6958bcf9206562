package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberate resume bug: the resume point is advanced after the checkpoint, so the saved state
 * already holds the item's effect but not the move past it. A resume repeats the item.
 */
@Job(name = "harness.repeating")
public class RepeatingJob implements JobHandler<List<Integer>> {
    @Param
    int count;

    int next;
    List<Integer> done = new ArrayList<>();

    RepeatingJob() {}

    public RepeatingJob(int count) {
        this.count = count;
    }

    @Override
    public List<Integer> run(JobContext ctx) throws Exception {
        while (next < count) {
            ctx.checkInterrupt();
            done.add(next);
            ctx.checkpoint(); // BUG: saved before next++
            next++;
        }
        return done;
    }
}
