package dev.jobs.examples.cli;

import dev.jobs.runtime.CleanResult;
import dev.jobs.runtime.JobManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "clean", description = "Delete finished jobs (and their logs) older than a duration.")
final class CleanCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Option(names = "--older-than", required = true, paramLabel = "AGE", description = "For example 30m, 12h, 7d, 2w.")
    String olderThan;

    @Override
    public Integer call() {
        java.time.Duration age = Shared.parseDuration(olderThan);
        try (JobManager jobs = root.client()) {
            CleanResult result = jobs.clean(age);
            root.out.println("deleted " + result.jobs() + " finished jobs and " + result.logLines() + " log lines");
            return 0;
        }
    }
}
