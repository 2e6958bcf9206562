package dev.jobs.examples.cli;

import dev.jobs.JobException;
import dev.jobs.JobRegistration;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "types",
        description = "List the job types this jobctl can run (from its classpath; reads no database).")
final class TypesCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Override
    public Integer call() {
        Map<String, JobRegistration<?>> types = registrations();
        int width = types.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, JobRegistration<?>> type : types.entrySet()) {
            root.out.printf(
                    "%-" + Math.max(1, width) + "s  %s%n",
                    type.getKey(),
                    type.getValue().description());
        }
        return 0;
    }

    /**
     * The job types on the classpath by name, as a manager would find them (the jobs-api service
     * interface): no database is opened or created for them.
     */
    static Map<String, JobRegistration<?>> registrations() {
        Map<String, JobRegistration<?>> byName = new TreeMap<>();
        try {
            for (JobRegistration<?> r : ServiceLoader.load(JobRegistration.class)) {
                byName.putIfAbsent(r.name(), r);
            }
        } catch (ServiceConfigurationError e) {
            throw new JobException("could not load the job types: " + e.getMessage()
                    + "; a jar may list a registration class that no longer exists (rebuild it)");
        }
        return byName;
    }
}
