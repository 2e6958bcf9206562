package dev.jobs.process;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import java.util.List;

/** Runs two commands in turn, each with its own CommandRun. */
@Job(name = "test_two_commands")
public class TwoCommandsJob implements JobHandler<List<String>> {
    CommandRun first = new CommandRun();
    CommandRun second = new CommandRun();

    @Override
    public List<String> run(JobContext ctx) throws Exception {
        String a = first.run(ctx, Command.of("echo", "one")).lastLines().get(0);
        String b = second.run(ctx, Command.of("echo", "two")).lastLines().get(0);
        return List.of(a, b);
    }
}
