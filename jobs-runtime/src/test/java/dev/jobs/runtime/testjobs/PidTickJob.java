package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends "{tick millis} {pid}" to {@code log} in one write (O_APPEND, so lines of several
 * processes do not interleave): which process ran which tick, for the multi-process schedule tests.
 */
@Job(name = "test.pidtick")
public class PidTickJob implements JobHandler<Long> {
    @Param
    String log;

    PidTickJob() {}

    @Override
    public Long run(JobContext ctx) throws Exception {
        long tick = ctx.scheduledTime().map(java.time.Instant::toEpochMilli).orElse(-1L);
        Files.writeString(
                Path.of(log),
                tick + " " + ProcessHandle.current().pid() + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        return tick;
    }
}
