package dev.jobs.process;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Retry;

/** Runs a script under a retry policy of two attempts without delay. */
@Job(name = "test_flaky_command", retry = @Retry(maxAttempts = 2, initialDelay = "0s", jitter = 0))
public class FlakyCommandJob implements JobHandler<CommandResult> {
    @Param
    String script;

    CommandRun run = new CommandRun();

    FlakyCommandJob() {}

    FlakyCommandJob(String script) {
        this.script = script;
    }

    @Override
    public CommandResult run(JobContext ctx) throws Exception {
        return run.run(ctx, Command.of(script));
    }
}
