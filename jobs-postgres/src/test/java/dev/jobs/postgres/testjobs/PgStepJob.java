package dev.jobs.postgres.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.JobInterruptedException;
import dev.jobs.Param;
import dev.jobs.runtime.StoreException;

/**
 * A resumable job of {@code steps} steps, a checkpoint after each. Its side record: "S id pid k"
 * before step k, "C id pid k" once the checkpoint after step k returned (the store accepted it
 * under this run's claim), "X id pid k message" when that checkpoint failed with a store error,
 * "L id pid k reason" when the run was interrupted (a refused checkpoint: the claim was lost), "E
 * id pid" when the run ends. Returns the sum of the squares of the steps.
 */
@Job(name = "pg.step")
public class PgStepJob implements JobHandler<Long> {
    @Param
    int steps;

    @Param
    int stepMillis;

    @Param
    String sideFile;

    int next;
    long sum;

    PgStepJob() {}

    public PgStepJob(int steps, int stepMillis, java.nio.file.Path sideFile) {
        this.steps = steps;
        this.stepMillis = stepMillis;
        this.sideFile = sideFile.toString();
    }

    public static long expected(int steps) {
        long s = 0;
        for (int i = 0; i < steps; i++) {
            s += (long) i * i;
        }
        return s;
    }

    @Override
    public Long run(JobContext ctx) throws Exception {
        String me = ctx.id() + " " + Side.pid();
        try {
            while (next < steps) {
                ctx.checkInterrupt();
                Side.line(sideFile, "S " + me + " " + next);
                Thread.sleep(stepMillis);
                sum += (long) next * next;
                next++;
                try {
                    ctx.checkpoint();
                } catch (StoreException e) {
                    Side.line(
                            sideFile,
                            "X " + me + " " + (next - 1) + " " + e.getMessage().replace('\n', ' '));
                    throw e;
                }
                Side.line(sideFile, "C " + me + " " + (next - 1));
            }
        } catch (JobInterruptedException e) {
            Side.line(sideFile, "L " + me + " " + next + " " + e.reason());
            throw e;
        }
        Side.line(sideFile, "E " + me);
        return sum;
    }
}
