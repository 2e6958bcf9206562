package dev.jobs.spring;

import dev.jobs.JobStatus;
import dev.jobs.Progress;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobNotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code jobs} Actuator endpoint: {@code GET /actuator/jobs} lists the active jobs (queued,
 * running, waiting, paused; oldest first, at most 10,000) with their progress, and {@code GET
 * /actuator/jobs/{id}} one job (any status; a unique id prefix is enough). Read-only: control stays
 * with the application's own API or the dashboard, behind their security.
 */
@Endpoint(id = "jobs")
public class JobsEndpoint {

    private final JobManager jobs;

    public JobsEndpoint(JobManager jobs) {
        this.jobs = jobs;
    }

    /** The active jobs. */
    @ReadOperation
    public ActiveJobs active() {
        List<JobView> list = jobs.active().stream().map(JobView::of).toList();
        return new ActiveJobs(list.size(), list);
    }

    /** One job by id or unique id prefix; {@code null} (answered with 404) when there is none. */
    @ReadOperation
    public JobView job(@Selector String id) {
        try {
            UUID uuid = jobs.resolveId(id);
            return JobView.of(jobs.info(uuid));
        } catch (JobNotFoundException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The answer of {@code GET /actuator/jobs}. */
    public record ActiveJobs(int count, List<JobView> jobs) {}

    /**
     * One job as the endpoint shows it.
     *
     * @param progress the fraction done (0 to 1), or null when the job reports none or no fraction
     * @param progressMessage the progress's text, or null
     */
    public record JobView(
            UUID id,
            String name,
            JobStatus status,
            int priority,
            Double progress,
            String progressMessage,
            Instant createdAt,
            Instant startedAt,
            Instant lastCheckpoint,
            int attempt,
            String owner,
            String error) {

        static JobView of(JobInfo info) {
            Progress p = info.progress().orElse(null);
            Double fraction = null;
            if (p != null && p.fraction().isPresent()) {
                fraction = p.fraction().getAsDouble();
            }
            return new JobView(
                    info.id(),
                    info.name(),
                    info.status(),
                    info.priority(),
                    fraction,
                    p == null ? null : message(p),
                    info.createdAt(),
                    info.startedAt().orElse(null),
                    info.lastCheckpoint().orElse(null),
                    info.attempt(),
                    info.owner().orElse(null),
                    info.error().orElse(null));
        }

        private static String message(Progress p) {
            if (p instanceof Progress.Count c) {
                return c.message();
            }
            if (p instanceof Progress.Indeterminate i) {
                return i.message();
            }
            return null;
        }
    }
}
