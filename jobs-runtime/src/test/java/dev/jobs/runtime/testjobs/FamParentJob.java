package dev.jobs.runtime.testjobs;

import dev.jobs.ChildOutcome;
import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.util.List;

/**
 * A parent of the family process tests: dispatches {@code parts} {@link FamPartJob} children
 * (part i returns i²), checkpoints, waits for them, and returns the sum of their outputs.
 *
 * <p>Side file lines: "run ID PID" at the start of every run, "dispatched ID PID" after its
 * checkpoint, and "done ID PID COUNT SUM" after the wait (the post-wait side effect). With
 * {@code blockAfter} = k, after its k-th dispatch it prints "dispatched k" and waits for
 * {@code gateFile} (before its checkpoint: a kill lands between dispatching and checkpointing).
 * Parts numbered {@code gateFrom} and up wait for {@code partGate}.
 */
@Job(name = "test.fam.parent")
public class FamParentJob implements JobHandler<Long> {
    @Param
    int parts;

    @Param
    String sideFile;

    @Param(required = false)
    int blockAfter;

    @Param(required = false)
    String gateFile;

    @Param(required = false)
    String partGate;

    @Param(required = false)
    int gateFrom;

    @Param(required = false)
    int partMillis;

    /** Sleep after each dispatch, in slices of 10 ms (widens the window between dispatching and the checkpoint). */
    @Param(required = false)
    int dispatchMillis;

    boolean dispatched;

    FamParentJob() {}

    public FamParentJob(int parts, String sideFile) {
        this.parts = parts;
        this.sideFile = sideFile;
    }

    /** Waits for {@code gate} (a file) after the k-th dispatch, before the checkpoint. */
    public FamParentJob blockAfter(int k, String gate) {
        this.blockAfter = k;
        this.gateFile = gate;
        return this;
    }

    /** Parts {@code from} and up wait for the file {@code gate}. */
    public FamParentJob partGate(int from, String gate) {
        this.gateFrom = from;
        this.partGate = gate;
        return this;
    }

    public FamParentJob partMillis(int millis) {
        this.partMillis = millis;
        return this;
    }

    public FamParentJob dispatchMillis(int millis) {
        this.dispatchMillis = millis;
        return this;
    }

    /** The output of a parent all of whose parts completed. */
    public static long expected(int parts) {
        long sum = 0;
        for (int i = 0; i < parts; i++) {
            sum += (long) i * i;
        }
        return sum;
    }

    @Override
    public Long run(JobContext ctx) throws Exception {
        FamSide.line(sideFile, "run " + ctx.id() + " " + FamSide.PID);
        if (!dispatched) {
            for (int i = 0; i < parts; i++) {
                ctx.dispatchChild(
                        new FamPartJob(i, sideFile, partGate != null && i >= gateFrom ? partGate : null, partMillis));
                for (int slept = 0; slept < dispatchMillis; slept += 10) {
                    Thread.sleep(10);
                }
                if (i + 1 == blockAfter) {
                    System.out.println("dispatched " + blockAfter);
                    System.out.flush();
                    FamSide.awaitFile(ctx, gateFile);
                }
            }
            dispatched = true;
            ctx.checkpoint();
            FamSide.line(sideFile, "dispatched " + ctx.id() + " " + FamSide.PID);
        }
        List<ChildOutcome> children = ctx.awaitChildren();
        long sum = 0;
        for (ChildOutcome child : children) {
            sum += child.output(Long.class).orElse(0L);
        }
        FamSide.line(sideFile, "done " + ctx.id() + " " + FamSide.PID + " " + children.size() + " " + sum);
        return sum;
    }
}
