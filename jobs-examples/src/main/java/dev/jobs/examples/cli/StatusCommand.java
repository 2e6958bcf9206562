package dev.jobs.examples.cli;

import dev.jobs.runtime.JobInfo;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Show one job in detail.")
final class StatusCommand extends JobIdCommand {
    @Override
    public Integer call() throws Exception {
        return withJob((jobs, job) -> {
            JobInfo j = jobs.info(job);
            root.out.println("id:         " + j.id());
            root.out.println("name:       " + j.name());
            root.out.println("status:     " + j.status()
                    + Owners.gone(root.database, j)
                            .map(why -> ", " + Shared.ownerGone(why) + " (`jobctl resume " + j.id() + "` starts one)")
                            .orElse(""));
            root.out.println("progress:   " + Shared.percent(j).trim() + " " + Shared.message(j));
            root.out.println("created:    " + Shared.time(j.createdAt()));
            j.startedAt().ifPresent(t -> root.out.println("started:    " + Shared.time(t)));
            j.lastCheckpoint().ifPresent(t -> root.out.println("checkpoint: " + Shared.time(t)));
            j.completedAt().ifPresent(t -> root.out.println("finished:   " + Shared.time(t)));
            root.out.println("attempts:   " + j.attempt());
            j.output().ifPresent(o -> root.out.println("output:     " + o));
            j.error().ifPresent(e -> root.out.println("error:      " + e));
            return 0;
        });
    }
}
