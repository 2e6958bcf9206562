package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/**
 * A child of {@link FamParentJob}: appends "start N ID PID" when a run starts, waits for
 * {@code gateFile} if given (cancels reach it there), then appends "part N ID PID" (its side
 * effect) and returns n². Idempotent by its output: a run killed in flight may run again, and the
 * test counts its "part" lines.
 */
@Job(name = "test.fam.part")
public class FamPartJob implements JobHandler<Long> {
    @Param
    int n;

    @Param
    String sideFile;

    @Param(required = false)
    String gateFile;

    /** Sleep before the side effect, in slices of 10 ms. */
    @Param(required = false)
    int millis;

    FamPartJob() {}

    public FamPartJob(int n, String sideFile, String gateFile, int millis) {
        this.n = n;
        this.sideFile = sideFile;
        this.gateFile = gateFile;
        this.millis = millis;
    }

    @Override
    public Long run(JobContext ctx) throws Exception {
        FamSide.line(sideFile, "start " + n + " " + ctx.id() + " " + FamSide.PID);
        if (gateFile != null) {
            FamSide.awaitFile(ctx, gateFile);
        }
        for (int slept = 0; slept < millis; slept += 10) {
            Thread.sleep(10);
        }
        ctx.checkInterrupt();
        FamSide.line(sideFile, "part " + n + " " + ctx.id() + " " + FamSide.PID);
        return (long) n * n;
    }
}
