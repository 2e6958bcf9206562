package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.file.Path;

/** {@link CountJob} that must not be re-run after an interruption: appends "id pid" to a side file when it starts. */
@Job(name = "test.count_once", resumable = false)
public class OneShotCountJob implements JobHandler<Integer> {
    @Param
    String sideFile;

    OneShotCountJob() {}

    public OneShotCountJob(Path sideFile) {
        this.sideFile = sideFile.toString();
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        return CountJob.record(sideFile, ctx);
    }
}
