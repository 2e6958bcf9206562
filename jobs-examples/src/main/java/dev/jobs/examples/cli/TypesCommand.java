package dev.jobs.examples.cli;

import dev.jobs.JobRegistration;
import dev.jobs.runtime.JobManager;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
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
            // the descriptions come from the registrations themselves (the jobs-api service interface)
            Map<String, String> descriptions = new HashMap<>();
            for (JobRegistration<?> r : ServiceLoader.load(JobRegistration.class)) {
                descriptions.putIfAbsent(r.name(), r.description());
            }
            for (String name : jobs.jobTypes()) {
                root.out.printf("%-12s %s%n", name, descriptions.getOrDefault(name, ""));
            }
            return 0;
        }
    }
}
