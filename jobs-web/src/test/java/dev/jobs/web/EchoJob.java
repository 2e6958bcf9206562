package dev.jobs.web;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/** Returns its label repeated {@code count} times. */
@Job(name = "web.echo", description = "Repeats a label")
public class EchoJob implements JobHandler<String> {
    @Param
    int count;

    @Param
    String label = "x";

    EchoJob() {}

    @Override
    public String run(JobContext ctx) {
        ctx.log("label " + label);
        return label.repeat(count);
    }
}
