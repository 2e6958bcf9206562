package dev.jobs.test.jobs;

import dev.jobs.ChildOutcome;
import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * A parent: dispatches one {@link SquaresJob} child per part, with an interrupt point between each
 * dispatch and the checkpoint that records it, then waits for them and returns the size of each
 * child's output in order. A child made twice would show as an extra entry.
 */
@Job(name = "harness.fanout")
public class FanOutJob implements JobHandler<List<Integer>> {
    @Param
    int parts;

    int next;

    FanOutJob() {}

    public FanOutJob(int parts) {
        this.parts = parts;
    }

    @Override
    public List<Integer> run(JobContext ctx) throws Exception {
        while (next < parts) {
            ctx.dispatchChild(new SquaresJob(next + 1));
            ctx.checkInterrupt(); // a crash here has dispatched the child but not recorded it
            next++;
            ctx.checkpoint();
        }
        List<Integer> sizes = new ArrayList<>();
        for (ChildOutcome child : ctx.awaitChildren()) {
            sizes.add(child.output() instanceof List<?> squares ? squares.size() : -1);
        }
        return sizes;
    }
}
