package dev.jobs.examples.cli;

import dev.jobs.JobException;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobNotFoundException;
import dev.jobs.runtime.StoreException;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A command about one job, named by its id or the id's first characters. */
abstract class JobIdCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Parameters(paramLabel = "ID", description = "The job's id, or its first characters (at least 4).")
    String id;

    /** What to do with the job through a client manager; returns the exit code. */
    interface Action {
        int apply(JobManager jobs, UUID job) throws Exception;
    }

    /** Resolves the id through a client manager on the existing database and does {@code action}. */
    int withJob(Action action) throws Exception {
        checkSyntax(id);
        try (JobManager jobs = root.client()) {
            return action.apply(jobs, resolve(jobs, id));
        }
    }

    private static final Pattern ID_OR_PREFIX = Pattern.compile("[0-9a-fA-F-]{4,36}");

    /** Fails with exit code 3 unless {@code text} can be a job id or the start of one. */
    static void checkSyntax(String text) {
        if (!ID_OR_PREFIX.matcher(text.trim()).matches()) {
            throw new JobCtl.Failure(
                    JobCtl.NOT_FOUND,
                    "'" + text + "' is not a job id; give the full id or at least its first 4 characters"
                            + " (hexadecimal digits, as `jobctl list` shows them)");
        }
    }

    /**
     * The id of the one job {@code text} names. Not an id, no such job and a prefix of several
     * jobs all exit with code 3: the argument names no job.
     */
    static UUID resolve(JobManager jobs, String text) {
        checkSyntax(text);
        try {
            return jobs.resolveId(text);
        } catch (JobNotFoundException | StoreException e) {
            throw e;
        } catch (JobException e) {
            // resolveId's other refusal: the prefix matches several jobs
            throw new JobCtl.Failure(JobCtl.NOT_FOUND, JobCtl.oneLine(e));
        }
    }
}
