package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fails while the file {@code needs} does not exist, then returns its content. */
@Job(name = "test.flaky")
public class FlakyJob implements JobHandler<String> {
    @Param
    String needs;

    @Param
    int times = 1;

    int tries;

    FlakyJob() {}

    public FlakyJob(String needs) {
        this.needs = needs;
    }

    @Override
    public String run(JobContext ctx) throws Exception {
        tries++;
        ctx.checkpoint();
        return Files.readString(Path.of(needs)).repeat(times);
    }
}
