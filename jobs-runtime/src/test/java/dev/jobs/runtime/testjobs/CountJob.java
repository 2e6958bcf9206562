package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends its own id and the pid that ran it to a shared side file, so a test can count how often each job ran. */
@Job(name = "test.count")
public class CountJob implements JobHandler<Integer> {
    @Param
    String sideFile;

    CountJob() {}

    public CountJob(Path sideFile) {
        this.sideFile = sideFile.toString();
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        return record(sideFile, ctx);
    }

    /** Appends "id pid" to the side file; returns 1. */
    static Integer record(String sideFile, JobContext ctx) throws java.io.IOException {
        Files.writeString(
                Path.of(sideFile),
                ctx.id() + " " + ProcessHandle.current().pid() + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return 1;
    }
}
