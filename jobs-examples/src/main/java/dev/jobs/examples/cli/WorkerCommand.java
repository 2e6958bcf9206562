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
        description =
                "Run queued jobs until the given job (or, without --job, every job) is done or paused; with --forever, until stopped, ticking the schedules.")
final class WorkerCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Option(names = "--job", paramLabel = "ID", description = "Stop once this job has finished or paused.")
    String job;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Jobs run at once.")
    int workers;

    @Option(
            names = "--forever",
            description = "Keep running until stopped (Ctrl-C): run jobs as they are queued and tick the schedules.")
    boolean forever;

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
            if (forever) {
                return runUntilStopped(jobs);
            }
            while (jobs.active().stream().anyMatch(j -> j.status() != JobStatus.PAUSED)) {
                Thread.sleep(200);
            }
            return 0;
        }
    }

    /** Runs until the JVM is stopped (Ctrl-C, kill); a shutdown hook then closes the manager. */
    private int runUntilStopped(JobManager jobs) throws InterruptedException {
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        Thread close = new Thread(() -> {
            try {
                jobs.close();
            } finally {
                closed.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(close);
        root.out.println("running jobs and ticking schedules until stopped (Ctrl-C)");
        closed.await();
        return 0;
    }
}
