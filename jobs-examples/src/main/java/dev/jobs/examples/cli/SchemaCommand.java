package dev.jobs.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobs.runtime.JobManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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
            root.out.println(
                    mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(jobs.schema(name))));
            return 0;
        }
    }
}
