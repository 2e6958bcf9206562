package dev.jobs.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobs.JobRegistration;
import dev.jobs.runtime.CleanResult;
import dev.jobs.runtime.JobManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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

@Command(name = "schema", description = "Print the parameters a job type takes, as JSON Schema.")
final class SchemaCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Parameters(paramLabel = "NAME", description = "The job's name.")
    String name;

    @Override
    public Integer call() throws Exception {
        try (JobManager jobs = root.client()) {
            ObjectMapper mapper = new ObjectMapper();
            root.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(jobs.schema(name))));
            return 0;
        }
    }
}
