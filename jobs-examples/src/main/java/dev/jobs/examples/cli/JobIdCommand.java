package dev.jobs.examples.cli;

import dev.jobs.runtime.JobManager;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A command about one job, named by its id or the id's first characters. */
abstract class JobIdCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Parameters(paramLabel = "ID", description = "The job's id, or its first characters.")
    String id;

    /** What to do with the job through a client manager; returns the exit code. */
    interface Action {
        int apply(JobManager jobs, UUID job) throws Exception;
    }

    int withJob(Action action) throws Exception {
        try (JobManager jobs = root.client()) {
            return action.apply(jobs, jobs.resolveId(id));
        }
    }
}
