package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;

/** Throws on its first call. */
@Job(name = "test.failing")
public class FailingJob implements JobHandler<Void> {
    String message = "boom";

    @Override
    public Void run(JobContext ctx) {
        throw new IllegalStateException(message);
    }
}
