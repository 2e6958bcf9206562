package dev.jobs.postgres.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs until the file {@code release} exists, then returns 7; looks for a pause or cancel every
 * 20 ms (a local check: only the node's watcher can bring a request made elsewhere).
 */
@Job(name = "pg.block")
public class PgBlockJob implements JobHandler<Integer> {
    @Param
    String release;

    PgBlockJob() {}

    public PgBlockJob(Path release) {
        this.release = release.toString();
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        while (!Files.exists(Path.of(release))) {
            ctx.checkInterrupt();
            Thread.sleep(20);
        }
        return 7;
    }
}
