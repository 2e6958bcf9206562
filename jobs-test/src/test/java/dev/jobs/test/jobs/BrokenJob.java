package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;

/** Fails with a known exception. */
@Job(name = "harness.broken")
public class BrokenJob implements JobHandler<Void> {
    @Override
    public Void run(JobContext ctx) {
        throw new IllegalArgumentException("no such input");
    }
}
