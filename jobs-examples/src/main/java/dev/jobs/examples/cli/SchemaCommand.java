package dev.jobs.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobs.JobRegistration;
import dev.jobs.UnknownJobException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "schema", description = "Print the parameters a job type takes, as JSON Schema (reads no database).")
final class SchemaCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Parameters(paramLabel = "NAME", description = "The job's name.")
    String name;

    @Override
    public Integer call() throws Exception {
        Map<String, JobRegistration<?>> types = TypesCommand.registrations();
        JobRegistration<?> type = types.get(name);
        if (type == null) {
            throw new UnknownJobException(name, List.copyOf(types.keySet()));
        }
        ObjectMapper mapper = new ObjectMapper();
        root.out.println(
                mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(type.parameterSchema())));
        return 0;
    }
}
