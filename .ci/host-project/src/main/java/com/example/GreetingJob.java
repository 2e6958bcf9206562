package com.example;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/** A job of a host application, registered by the processor from the staging repository. */
@Job(name = "greeting")
public class GreetingJob implements JobHandler<String> {
    @Param
    String name;

    GreetingJob() {}

    @Override
    public String run(JobContext ctx) {
        ctx.checkpoint();
        return "hello " + name;
    }
}
