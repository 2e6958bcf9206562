package dev.jobs.examples.cli;

import dev.jobs.runtime.LogLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "log", description = "Print a job's log; with --follow, keep printing until the job ends.")
final class LogCommand extends JobIdCommand {
    @Option(
            names = {"-f", "--follow"},
            description = "Wait for new lines until the job finishes or pauses.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        return withJob((jobs, job) -> {
            if (follow) {
                jobs.followLog(job, 0, this::print);
            } else {
                long after = 0;
                for (var lines = jobs.logs(job, after, 1000); !lines.isEmpty(); lines = jobs.logs(job, after, 1000)) {
                    lines.forEach(this::print);
                    after = lines.get(lines.size() - 1).sequence();
                }
            }
            return 0;
        });
    }

    private void print(LogLine line) {
        root.out.println(Shared.time(line.timestamp()) + " " + line.level() + " " + line.message());
    }
}
