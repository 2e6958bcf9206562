package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;

/** Kills its own JVM at once, as a native crash or {@code System.exit} in a library would: a poison job. */
@Job(name = "test.halt")
public class HaltJob implements JobHandler<Void> {
    public HaltJob() {}

    @Override
    public Void run(JobContext ctx) {
        Runtime.getRuntime().halt(99);
        return null;
    }
}
