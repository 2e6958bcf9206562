package dev.jobs.examples.cli;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobQuery;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "list", description = "List jobs: active ones (queued, running, waiting, paused) by default.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Option(names = "--all", description = "Include finished jobs.")
    boolean all;

    @Option(names = "--running", description = "Only running jobs.")
    boolean running;

    @Option(
            names = "--status",
            paramLabel = "STATUS",
            description = "Only jobs in this status: ${COMPLETION-CANDIDATES}.")
    JobStatus status;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "50",
            description = "At most this many, newest first (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        try (JobManager jobs = root.client()) {
            JobQuery query = JobQuery.all().limit(limit);
            if (status != null) {
                query = query.statuses(status);
            } else if (running) {
                query = query.statuses(JobStatus.RUNNING);
            } else if (!all) {
                query = query.statuses(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.WAITING, JobStatus.PAUSED);
            }
            List<JobInfo> found = jobs.list(query);
            List<dev.jobs.runtime.UnreadableJob> unreadable = all ? jobs.unreadable() : List.of();
            for (dev.jobs.runtime.UnreadableJob u : unreadable) {
                root.out.printf(
                        "%-36s  %-12s  %-9s  %6s  %-19s  %s%n",
                        u.id(),
                        u.name(),
                        "UNREADABLE",
                        "",
                        "",
                        u.problem() + " (status " + u.status() + "); fix or delete the row");
            }
            if (found.isEmpty() && unreadable.isEmpty()) {
                root.out.println("no jobs" + (all ? "" : " (use --all to include finished ones)"));
                return 0;
            }
            root.out.printf(
                    "%-36s  %-12s  %-9s  %6s  %-19s  %s%n", "ID", "NAME", "STATUS", "DONE", "CREATED", "DETAIL");
            for (JobInfo j : found) {
                root.out.printf(
                        "%-36s  %-12s  %-9s  %6s  %-19s  %s%n",
                        j.id(), j.name(), j.status(), Shared.percent(j), Shared.time(j.createdAt()), detail(jobs, j));
            }
            return 0;
        }
    }

    /**
     * How the job is tied to others (parent, chain, children it waits for), its progress message or
     * error; first, for a RUNNING job whose process is gone, that;
     * for a QUEUED job waiting for its retry or its run time, when it runs.
     */
    private String detail(JobManager jobs, JobInfo job) {
        String message = Relations.summary(jobs, job)
                .map(r -> r + (Shared.message(job).isEmpty() ? "" : " | " + Shared.message(job)))
                .orElse(Shared.message(job));
        java.util.Optional<String> first =
                Owners.gone(root.database, job).map(Shared::ownerGone).or(() -> Shared.waiting(job));
        return first.map(w -> w + (message.isEmpty() ? "" : " | " + message)).orElse(message);
    }
}
