package dev.jobs.examples.cli;

import dev.jobs.runtime.JobManager;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "cancel", description = "Cancel a job; a running one stops at its next checkpoint.")
final class CancelCommand extends JobIdCommand {
    @Override
    public Integer call() throws Exception {
        return withJob((jobs, job) -> {
            jobs.cancel(job);
            root.out.println("cancelling job " + job);
            return 0;
        });
    }
}
