package dev.jobs.process;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.time.Duration;
import java.util.Optional;

/** Runs a script with a progress parser of its own that throws on the line "boom". */
@Job(name = "test_failing_progress")
public class FailingProgressJob implements JobHandler<CommandResult> {
    @Param
    String script;

    CommandRun run = new CommandRun();

    FailingProgressJob() {}

    FailingProgressJob(String script) {
        this.script = script;
    }

    @Override
    public CommandResult run(JobContext ctx) throws Exception {
        ProgressParser parser = line -> {
            if (line.equals("boom")) {
                throw new IllegalStateException("the parser cannot read 'boom'");
            }
            return Optional.empty();
        };
        return run.run(ctx, Command.of(script).grace(Duration.ofMillis(200)).progress(parser));
    }
}
