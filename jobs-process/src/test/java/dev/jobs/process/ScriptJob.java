package dev.jobs.process;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.time.Duration;
import java.util.List;

/** A command with the test's settings (grace and timeout in milliseconds, small log limits). */
@Job(name = "test_script")
public class ScriptJob implements JobHandler<CommandResult> {
    @Param
    List<String> argv;

    @Param
    long graceMillis = 200;

    @Param(required = false)
    Long timeoutMillis;

    @Param(required = false)
    List<Integer> successCodes;

    @Param(required = false)
    String progress;

    @Param(required = false)
    String orphans;

    @Param
    long maxLoggedBytes = 8L << 20;

    @Param
    int tailLines = 200;

    /** A file: if it does not exist, it is created once the command's result is in, and the job then waits. */
    @Param(required = false)
    String holdAfterRun;

    /** How many times the command is run, one after the other, by the same {@link CommandRun}. */
    @Param
    int runs = 1;

    CommandRun run = new CommandRun();

    ScriptJob() {}

    ScriptJob(List<String> argv) {
        this.argv = argv;
    }

    @Override
    public CommandResult run(JobContext ctx) throws Exception {
        Command c = Command.of(argv).grace(Duration.ofMillis(graceMillis)).logLimits(4096, maxLoggedBytes, tailLines);
        if (timeoutMillis != null) {
            c = c.timeout(Duration.ofMillis(timeoutMillis));
        }
        if (successCodes != null) {
            c = c.successCodes(successCodes.stream().mapToInt(Integer::intValue).toArray());
        }
        if (progress != null) {
            c = c.progress(ProcessJob.parser(progress));
        }
        if (orphans != null) {
            c = c.orphans(OrphanPolicy.valueOf(orphans));
        }
        CommandResult result = run.run(ctx, c);
        for (int i = 1; i < runs; i++) {
            result = run.run(ctx, c);
        }
        if (holdAfterRun != null && !java.nio.file.Files.exists(java.nio.file.Path.of(holdAfterRun))) {
            java.nio.file.Files.createFile(java.nio.file.Path.of(holdAfterRun));
            Thread.sleep(Long.MAX_VALUE); // until the test kills this process
        }
        return result;
    }
}
