package dev.jobs.examples.cli;

import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", description = "Show one job in detail.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    JobCtl root;

    @Parameters(paramLabel = "ID", description = "The job's id, or its first characters.")
    String id;

    @Override
    public Integer call() {
        try (JobManager jobs = root.client()) {
            JobInfo j = jobs.info(jobs.resolveId(id));
            root.out.println("id:         " + j.id());
            root.out.println("name:       " + j.name());
            root.out.println("status:     " + j.status());
            root.out.println("progress:   " + Shared.percent(j).trim() + " " + Shared.message(j));
            root.out.println("created:    " + Shared.time(j.createdAt()));
            j.startedAt().ifPresent(t -> root.out.println("started:    " + Shared.time(t)));
            j.lastCheckpoint().ifPresent(t -> root.out.println("checkpoint: " + Shared.time(t)));
            j.completedAt().ifPresent(t -> root.out.println("finished:   " + Shared.time(t)));
            root.out.println("attempts:   " + j.attempt());
            j.output().ifPresent(o -> root.out.println("output:     " + o));
            j.error().ifPresent(e -> root.out.println("error:      " + e));
            return 0;
        }
    }
}
