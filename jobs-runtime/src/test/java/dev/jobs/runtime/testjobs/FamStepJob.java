package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/**
 * A chain step of the family process tests: {@code steps} steps, each appending
 * "step LABEL I ID PID" to the side file, then checkpointing. It appends "begin LABEL ID PID" when
 * a run starts and "end LABEL ID PID" before it returns the previous step's output with its label
 * appended (its text, if the step before gave a number). With {@code echo} it prints "checkpointed LABEL N" after each checkpoint; with a
 * {@code gateFile} it waits for that file after its first checkpoint (a kill lands there). With
 * {@code fail} it throws after its steps.
 */
@Job(name = "test.fam.step")
public class FamStepJob implements JobHandler<String> {
    @Param
    String label;

    @Param
    int steps;

    @Param
    String sideFile;

    @Param(required = false)
    String gateFile;

    @Param(required = false)
    boolean echo;

    @Param(required = false)
    boolean fail;

    /** Sleep per step, in slices of 10 ms (a frozen process resumes mid-step). */
    @Param(required = false)
    int stepMillis;

    int next;

    FamStepJob() {}

    public FamStepJob(String label, int steps, String sideFile) {
        this.label = label;
        this.steps = steps;
        this.sideFile = sideFile;
    }

    public FamStepJob gate(String file) {
        this.gateFile = file;
        this.echo = true;
        return this;
    }

    public FamStepJob failing() {
        this.fail = true;
        return this;
    }

    public FamStepJob stepMillis(int millis) {
        this.stepMillis = millis;
        return this;
    }

    @Override
    public String run(JobContext ctx) throws Exception {
        FamSide.line(sideFile, "begin " + label + " " + ctx.id() + " " + FamSide.PID);
        while (next < steps) {
            ctx.checkInterrupt();
            FamSide.line(sideFile, "step " + label + " " + next + " " + ctx.id() + " " + FamSide.PID);
            for (int slept = 0; slept < stepMillis; slept += 10) {
                Thread.sleep(10);
            }
            next++;
            ctx.checkpoint();
            if (echo) {
                System.out.println("checkpointed " + label + " " + next);
                System.out.flush();
            }
            if (gateFile != null && next == 1) {
                FamSide.awaitFile(ctx, gateFile);
            }
        }
        if (fail) {
            FamSide.line(sideFile, "fail " + label + " " + ctx.id() + " " + FamSide.PID);
            throw new IllegalStateException("step " + label + " fails");
        }
        FamSide.line(sideFile, "end " + label + " " + ctx.id() + " " + FamSide.PID);
        return ctx.previousOutput(Object.class).map(String::valueOf).orElse("") + label; // a parent step gives a number
    }
}
