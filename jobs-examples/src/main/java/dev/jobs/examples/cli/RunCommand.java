package dev.jobs.examples.cli;

import dev.jobs.JobPriority;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "run",
        description =
                "Dispatch a job and run it: in the foreground with a progress bar (Ctrl-C pauses it), or in a background worker with --bg. Creates the database if it does not exist.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Parameters(index = "0", paramLabel = "NAME", description = "The job's name (see `jobctl types`).")
    String name;

    @Option(
            names = "--params",
            defaultValue = "{}",
            paramLabel = "JSON",
            description =
                    "The job's parameters as a JSON object (see `jobctl schema NAME`); ~ in a path parameter is your home directory.")
    String params;

    @Option(names = "--bg", description = "Run in a detached background worker and return at once.")
    boolean background;

    @Option(
            names = "--priority",
            defaultValue = "NORMAL",
            paramLabel = "PRIORITY",
            description = "LOW, NORMAL, HIGH or CRITICAL.")
    JobPriority priority;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (background) {
            try (JobManager jobs = root.creatingClient()) {
                JobHandle<?> handle = jobs.dispatchByName(name, parameters(jobs), priority);
                Shared.startBackgroundWorker(root.database, handle.id(), root.out);
                return 0;
            }
        }
        try (JobManager jobs = root.worker(2)) {
            JobHandle<?> handle = jobs.dispatchByName(name, parameters(jobs), priority);
            root.out.println("job " + handle.id() + " (" + name + ") started");
            return Shared.follow(jobs, handle.id(), name, root.out, root.err, !noProgress && System.console() != null);
        }
    }

    /** The parameters with ~ expanded in the job's path parameters (an unknown job fails here, exit 3). */
    private String parameters(JobManager jobs) {
        return Tilde.expandPathParameters(params, jobs.schema(name), System.getProperty("user.home"));
    }
}
