package dev.jobs.examples.cli;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobManager;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "worker",
        description = "Run queued jobs until the given job (or, without --job, every job) is done or paused.")
final class WorkerCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Option(names = "--job", paramLabel = "ID", description = "Stop once this job has finished or paused.")
    String job;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Jobs run at once.")
    int workers;

    @Override
    public Integer call() throws Exception {
        try (JobManager jobs = root.worker(workers)) {
            root.out.println("worker " + ProcessHandle.current().pid() + " on " + root.database);
            if (job != null) {
                UUID id = JobIdCommand.resolve(jobs, job);
                jobs.followLog(
                        id,
                        0,
                        line -> root.out.println(
                                Shared.time(line.timestamp()) + " " + line.level() + " " + line.message()));
                JobStatus status = jobs.info(id).status();
                root.out.println("job " + id + " " + status);
                return status == JobStatus.COMPLETED || status == JobStatus.PAUSED ? 0 : JobCtl.FAILED;
            }
            while (jobs.active().stream().anyMatch(j -> j.status() != JobStatus.PAUSED)) {
                Thread.sleep(200);
            }
            return 0;
        }
    }
}
