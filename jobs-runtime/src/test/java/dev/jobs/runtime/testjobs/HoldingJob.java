package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Like {@link LimitedJob} without a type limit: what it holds comes from its dispatch's resources. */
@Job(name = "test.holding")
public class HoldingJob implements JobHandler<Void> {
    @Param
    String log;

    HoldingJob() {}

    public HoldingJob(Path log) {
        this.log = log.toString();
    }

    @Override
    public Void run(JobContext ctx) throws Exception {
        Files.writeString(
                Path.of(log), "start " + ctx.id() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Thread.sleep(10); // the job's work
        Files.writeString(Path.of(log), "end " + ctx.id() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return null;
    }
}
