package dev.jobs.examples.cli;

import picocli.CommandLine.Command;

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
