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

    @Param
    int millis = 10;

    HoldingJob() {}

    public HoldingJob(Path log) {
        this.log = log.toString();
    }

    public HoldingJob(Path log, int millis) {
        this.log = log.toString();
        this.millis = millis;
    }

    @Override
    public Void run(JobContext ctx) throws Exception {
        long pid = ProcessHandle.current().pid();
        write("start " + ctx.id() + " " + pid);
        Thread.sleep(millis); // the job's work
        write("end " + ctx.id() + " " + pid);
        return null;
    }

    private void write(String line) throws Exception {
        Files.writeString(Path.of(log), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
