package dev.jobs.runtime;

import dev.jobs.JobStatus;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A snapshot of a chain.
 *
 * @param status COMPLETED when every step completed; while a step is active, that step's status
 *     (QUEUED, RUNNING or PAUSED); once every step ended with one that did not complete, FAILED if
 *     a step failed, else CANCELLED
 * @param progress the share of the chain done, from 0 to 1: each completed step counts one, the
 *     active step its own progress, divided by the number of steps
 * @param current the step running or next to run, if the chain has not ended
 * @param steps every step, in order
 */
public record ChainInfo(UUID id, JobStatus status, double progress, Optional<JobInfo> current, List<JobInfo> steps) {

    static ChainInfo of(UUID id, List<JobInfo> steps) {
        double done = 0;
        JobInfo current = null;
        boolean failed = false;
        boolean cancelled = false;
        for (JobInfo step : steps) {
            switch (step.status()) {
                case COMPLETED -> done += 1;
                case FAILED -> failed = true;
                case CANCELLED -> cancelled = true;
                case WAITING -> {}
                default -> {
                    if (current == null) {
                        current = step;
                        done += step.progress()
                                .flatMap(p -> {
                                    java.util.OptionalDouble f = p.fraction();
                                    return f.isPresent() ? Optional.of(f.getAsDouble()) : Optional.empty();
                                })
                                .orElse(0.0);
                    }
                }
            }
        }
        JobStatus status;
        if (current != null) {
            status = current.status();
        } else if (steps.stream().anyMatch(s -> s.status() == JobStatus.WAITING)) {
            status = JobStatus.WAITING; // between two steps, for the moment of a commit
        } else if (failed) {
            status = JobStatus.FAILED;
        } else if (cancelled) {
            status = JobStatus.CANCELLED;
        } else {
            status = JobStatus.COMPLETED;
        }
        return new ChainInfo(
                id,
                status,
                steps.isEmpty() ? 0 : done / steps.size(),
                Optional.ofNullable(current),
                List.copyOf(steps));
    }
}
