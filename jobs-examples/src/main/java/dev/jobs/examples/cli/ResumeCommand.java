package dev.jobs.examples.cli;

import dev.jobs.runtime.JobManager;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "resume", description = "Resume a paused job in a background worker (or in the foreground with --fg).")
final class ResumeCommand extends JobIdCommand {
    @Option(names = "--fg", description = "Run it here with a progress bar (Ctrl-C pauses it again).")
    boolean foreground;

    @Override
    public Integer call() throws Exception {
        if (foreground) {
            checkSyntax(id);
            root.requireDatabase();
            try (JobManager jobs = root.worker(2)) {
                UUID job = resolve(jobs, id);
                jobs.resume(job);
                root.out.println("resumed job " + job);
                return Shared.follow(jobs, job, jobs.info(job).name(), root.out, root.err, System.console() != null);
            }
        }
        return withJob((jobs, job) -> {
            jobs.resume(job);
            root.out.println("resumed job " + job);
            Shared.startBackgroundWorker(root.database, job, root.out);
            return 0;
        });
    }
}
