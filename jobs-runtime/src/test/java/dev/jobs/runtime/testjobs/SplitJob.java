package dev.jobs.runtime.testjobs;

import dev.jobs.ChildOutcome;
import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.util.List;

/**
 * A parent: dispatches {@code parts} {@link PartJob} children (part i squares i), checkpoints,
 * waits for them, and returns the sum of the completed children's outputs. With
 * {@code failAfterDispatch}, its first attempt throws after dispatching and before checkpointing:
 * a retry resumes from the state before the dispatches and dispatches the same children again.
 */
@Job(name = "test.split")
public class SplitJob implements JobHandler<Long> {
    @Param
    int parts;

    @Param(required = false)
    String gate;

    @Param(required = false)
    boolean failAfterDispatch;

    /** A part that fails: its index (or -1 for none). */
    @Param(required = false)
    int failingPart = -1;

    boolean dispatched;

    SplitJob() {}

    public SplitJob(int parts, String gate) {
        this.parts = parts;
        this.gate = gate;
    }

    public SplitJob failAfterDispatch() {
        this.failAfterDispatch = true;
        return this;
    }

    public SplitJob failingPart(int part) {
        this.failingPart = part;
        return this;
    }

    @Override
    public Long run(JobContext ctx) throws Exception {
        if (!dispatched) {
            for (int i = 0; i < parts; i++) {
                ctx.dispatchChild(new PartJob(i == failingPart ? -1 : i, gate));
            }
            if (failAfterDispatch && !ctx.isRetry()) {
                throw new IllegalStateException("fails after dispatching, before its checkpoint");
            }
            dispatched = true;
            ctx.checkpoint();
        }
        List<ChildOutcome> children = ctx.awaitChildren();
        long sum = 0;
        for (ChildOutcome child : children) {
            sum += child.output(Long.class).orElse(0L);
        }
        ctx.log("children: " + children.size());
        return sum;
    }
}
