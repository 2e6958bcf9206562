package dev.jobs.examples.cli;

import dev.jobs.JobRegistration;
import dev.jobs.runtime.JobManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "types", description = "List the job types this jobctl can run.")
final class TypesCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Override
    public Integer call() {
        try (JobManager jobs = root.client()) {
            for (JobRegistration<?> r : jobs.registry().all()) {
                root.out.printf("%-12s %s%n", r.name(), r.description());
            }
            return 0;
        }
    }
}
