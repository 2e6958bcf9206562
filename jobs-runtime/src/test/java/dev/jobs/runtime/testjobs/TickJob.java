package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends the tick it runs for (epoch millis, or "none") to {@code log}; with a {@code gate}, first
 * signals "{gate}.started" and waits for "{gate}.release".
 */
@Job(name = "test.tick")
public class TickJob implements JobHandler<Long> {
    @Param
    String log;

    @Param
    String gate = "";

    TickJob() {}

    @Override
    public Long run(JobContext ctx) throws Exception {
        if (!gate.isEmpty()) {
            Gates.open(gate + ".started");
            if (!Gates.await(gate + ".release", 60_000)) {
                throw new IllegalStateException("the test never released " + gate);
            }
        }
        long tick = ctx.scheduledTime().map(java.time.Instant::toEpochMilli).orElse(-1L);
        Files.writeString(Path.of(log), tick + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return tick;
    }
}
