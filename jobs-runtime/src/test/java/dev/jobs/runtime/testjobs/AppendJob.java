package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/** A chain step: returns the output of the step before it (empty if none) with its word appended. */
@Job(name = "test.append")
public class AppendJob implements JobHandler<String> {
    @Param
    String word;

    AppendJob() {}

    public AppendJob(String word) {
        this.word = word;
    }

    @Override
    public String run(JobContext ctx) {
        return ctx.previousOutput(String.class).orElse("") + word;
    }
}
