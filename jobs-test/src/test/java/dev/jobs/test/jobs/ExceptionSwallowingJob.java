package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/**
 * A deliberate bug: {@code catch (Exception e)} around {@code checkInterrupt()} and
 * {@code checkpoint()} also catches the {@code JobInterruptedException} of a pause or cancel, and
 * the job carries on. A crash (an {@code Error}) still gets through.
 */
@Job(name = "harness.exception_swallowing")
public class ExceptionSwallowingJob implements JobHandler<Integer> {
    @Param
    int count;

    int next;

    ExceptionSwallowingJob() {}

    public ExceptionSwallowingJob(int count) {
        this.count = count;
    }

    @Override
    public Integer run(JobContext ctx) {
        while (next < count) {
            try {
                ctx.checkInterrupt();
            } catch (Exception e) {
                // BUG: meant for failures of the step, it swallows the interruption too
            }
            next++;
            try {
                ctx.checkpoint();
            } catch (Exception e) {
                // BUG: the same
            }
        }
        return next;
    }
}
