package dev.jobs.postgres.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/** Adds two numbers: a job that runs to completion on the PostgreSQL store. */
@Job(name = "pg.add")
public class AddJob implements JobHandler<Integer> {
    @Param
    int a;

    @Param
    int b;

    AddJob() {}

    public AddJob(int a, int b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public Integer run(JobContext ctx) {
        return a + b;
    }
}
