package dev.jobs.postgres.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/** A short job that records its run: "S id pid" when it starts, "E id pid" when it ends. */
@Job(name = "pg.count")
public class PgCountJob implements JobHandler<Integer> {
    @Param
    String sideFile;

    @Param(required = false)
    int millis;

    PgCountJob() {}

    public PgCountJob(java.nio.file.Path sideFile, int millis) {
        this.sideFile = sideFile.toString();
        this.millis = millis;
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        Side.line(sideFile, "S " + ctx.id() + " " + Side.pid());
        if (millis > 0) {
            Thread.sleep(millis);
        }
        Side.line(sideFile, "E " + ctx.id() + " " + Side.pid());
        return 1;
    }
}
