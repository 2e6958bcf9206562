package dev.jobs.examples.cli;

import dev.jobs.JobStatus;
import dev.jobs.runtime.FailedAttempt;
import dev.jobs.runtime.JobInfo;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show one job in detail.")
final class StatusCommand extends JobIdCommand {
    @Option(
            names = {"-v", "--trace"},
            description = "Show the head of the stack trace of each failed attempt.")
    boolean trace;

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
            j.schedule()
                    .ifPresent(s -> root.out.println("schedule:   " + s
                            + j.scheduledFor()
                                    .map(t -> ", tick of " + Shared.time(t))
                                    .orElse("")));
            if (j.retrying() && j.runAt().isPresent()) {
                root.out.println("next retry: " + Shared.time(j.runAt().get()) + " (attempt " + (j.failedAttempts() + 1)
                        + " of " + j.maxAttempts() + ")");
            } else if (j.status() == JobStatus.QUEUED
                    && j.runAt().filter(t -> t.isAfter(Instant.now())).isPresent()) {
                root.out.println("runs at:    " + Shared.time(j.runAt().get()));
            }
            j.uniqueKey().ifPresent(k -> root.out.println("unique key: " + k));
            if (!j.resources().isEmpty()) {
                root.out.println("resources:  "
                        + j.resources().entrySet().stream()
                                .map(e -> e.getKey() + " (at most " + e.getValue() + " running)")
                                .collect(java.util.stream.Collectors.joining(", ")));
            }
            Relations.details(jobs, j).forEach(root.out::println);
            j.startedAt().ifPresent(t -> root.out.println("started:    " + Shared.time(t)));
            j.lastCheckpoint().ifPresent(t -> root.out.println("checkpoint: " + Shared.time(t)));
            j.completedAt().ifPresent(t -> root.out.println("finished:   " + Shared.time(t)));
            root.out.println("attempts:   " + j.attempt() + (j.maxAttempts() > 1 ? " of " + j.maxAttempts() : "")
                    + (j.failedAttempts() > 0 ? ", " + j.failedAttempts() + " failed" : ""));
            j.output().ifPresent(o -> root.out.println("output:     " + o));
            j.error().ifPresent(e -> root.out.println("error:      " + e));
            if (!j.failures().isEmpty()) {
                root.out.println("failures:");
                for (FailedAttempt f : j.failures()) {
                    root.out.println("  attempt " + f.attempt() + " at " + Shared.time(f.at()) + ": " + f.error());
                    if (trace) {
                        f.trace().ifPresent(t -> t.lines().forEach(line -> root.out.println("      " + line.strip())));
                    }
                }
            }
            return 0;
        });
    }
}
