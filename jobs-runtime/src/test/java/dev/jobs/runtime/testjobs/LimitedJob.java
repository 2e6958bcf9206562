package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * At most one runs at a time across processes ({@code maxConcurrent = 1}). Appends "start NANOS
 * PID" and "end NANOS PID" (System.currentTimeMillis based, with a per-run sequence) to {@code log}
 * around {@code millis} of work, so a test can check that no two runs overlapped.
 */
@Job(name = "test.limited", maxConcurrent = 1)
public class LimitedJob implements JobHandler<Void> {
    @Param
    String log;

    @Param
    int millis = 20;

    LimitedJob() {}

    public LimitedJob(Path log, int millis) {
        this.log = log.toString();
        this.millis = millis;
    }

    @Override
    public Void run(JobContext ctx) throws Exception {
        write("start " + ctx.id());
        Thread.sleep(millis); // the job's work: holding its slot for a while
        write("end " + ctx.id());
        return null;
    }

    private void write(String what) throws Exception {
        Files.writeString(
                Path.of(log),
                System.currentTimeMillis() + " " + System.nanoTime() + " " + what + " "
                        + ProcessHandle.current().pid() + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }
}
