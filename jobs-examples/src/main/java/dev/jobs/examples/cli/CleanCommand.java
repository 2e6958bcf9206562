package dev.jobs.examples.cli;

import dev.jobs.JobStatus;
import dev.jobs.runtime.CleanResult;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobNotFoundException;
import dev.jobs.runtime.JobQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "clean",
        description = "Delete finished jobs older than a duration, with their log lines and their worker log files.")
final class CleanCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Option(
            names = "--older-than",
            required = true,
            paramLabel = "AGE",
            converter = Ages.class,
            description = "For example 30m, 12h, 7d, 2w (at most 36500d).")
    Duration olderThan;

    @Override
    public Integer call() throws IOException {
        try (JobManager jobs = root.client()) {
            // the worker log files (logs/<id>.log) of finished jobs: the runtime does not know them
            List<Path> logFiles = finishedJobLogFiles(jobs);
            CleanResult result = jobs.clean(olderThan);
            int deletedFiles = 0;
            for (Path log : logFiles) {
                if (deleted(jobs, log) && Files.deleteIfExists(log)) {
                    deletedFiles++;
                }
            }
            Owners.prune(root.database, jobs);
            root.out.println("deleted " + result.jobs() + " finished jobs, " + result.logLines() + " log lines and "
                    + deletedFiles + " worker log files");
            return 0;
        }
    }

    /** The existing log files of this database's finished jobs (only those: another database may share the directory). */
    private List<Path> finishedJobLogFiles(JobManager jobs) {
        List<Path> files = new ArrayList<>();
        JobQuery query = JobQuery.all()
                .statuses(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED)
                .limit(10_000);
        for (List<JobInfo> page = jobs.list(query); !page.isEmpty(); page = jobs.list(query)) {
            for (JobInfo job : page) {
                Path log = Shared.logFile(root.database, job.id());
                if (Files.exists(log)) {
                    files.add(log);
                }
            }
            query = query.after(page.get(page.size() - 1));
        }
        return files;
    }

    /** Whether the job of this log file is no longer in the store. */
    private static boolean deleted(JobManager jobs, Path log) {
        String name = log.getFileName().toString();
        try {
            jobs.info(java.util.UUID.fromString(name.substring(0, name.length() - ".log".length())));
            return false;
        } catch (JobNotFoundException e) {
            return true;
        }
    }
}
