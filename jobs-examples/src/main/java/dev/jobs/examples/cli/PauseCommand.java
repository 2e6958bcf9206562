package dev.jobs.examples.cli;

import picocli.CommandLine.Command;

@Command(name = "pause", description = "Pause a job; a running one stops at its next checkpoint with its state saved.")
final class PauseCommand extends JobIdCommand {
    @Override
    public Integer call() throws Exception {
        return withJob((jobs, job) -> {
            jobs.pause(job);
            root.out.println("pausing job " + job);
            return 0;
        });
    }
}
