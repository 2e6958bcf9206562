package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.JobInterruptedException;

/** Gives up by throwing the cancel exception itself, with no cancel asked by anyone. */
@Job(name = "test.self_cancel")
public class SelfCancellingJob implements JobHandler<Void> {
    @Override
    public Void run(JobContext ctx) {
        throw new JobInterruptedException(JobInterruptedException.Reason.CANCELLED);
    }
}
