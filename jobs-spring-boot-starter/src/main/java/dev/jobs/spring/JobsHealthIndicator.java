package dev.jobs.spring;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code jobs} health: DOWN when the manager is closed or its store cannot be read, or when a job
 * is stuck; UP otherwise, with the number of running jobs.
 *
 * <p>A job is stuck when it is RUNNING but its lease ended more than one lease ago: its owner (this
 * process or another one on the same store) stopped renewing it, and no manager recovered it, which
 * they do once the lease has expired. While this process holds its own lease, its jobs' leases stay
 * in the future; so a stuck job of this process also means that it lost its lease (a frozen JVM, a
 * store that refuses writes). The check reads at most {@value #RUNNING_LIMIT} running jobs, one query
 * per call.
 */
final class JobsHealthIndicator implements HealthIndicator {

    static final int RUNNING_LIMIT = 1_000;

    private final JobManager jobs;
    private final Duration lease;
    private final Clock clock;

    JobsHealthIndicator(JobManager jobs, Duration lease, Clock clock) {
        this.jobs = jobs;
        this.lease = lease;
        this.clock = clock;
    }

    @Override
    public Health health() {
        if (jobs.isClosed()) {
            return Health.down()
                    .withDetail("reason", "the job manager is closed")
                    .build();
        }
        List<JobInfo> running;
        try {
            running = jobs.list(JobQuery.all().statuses(JobStatus.RUNNING).limit(RUNNING_LIMIT));
        } catch (RuntimeException e) {
            return Health.down(e)
                    .withDetail("reason", "the job store cannot be read")
                    .build();
        }
        Instant now = clock.instant();
        List<String> stuck = running.stream()
                .filter(j -> stuck(j.leaseUntil(), now, lease))
                .map(j -> j.id() + " (" + j.name() + ", owner " + j.owner().orElse("?") + ")")
                .toList();
        Health.Builder health = stuck.isEmpty() ? Health.up() : Health.down();
        health.withDetail("running", running.size()).withDetail("client", jobs.isClient());
        if (!stuck.isEmpty()) {
            health.withDetail("stuck", stuck);
        }
        return health.build();
    }

    /** Whether a RUNNING job's lease ended more than {@code grace} before {@code now}. */
    static boolean stuck(Optional<Instant> leaseUntil, Instant now, Duration grace) {
        return leaseUntil.map(until -> until.plus(grace).isBefore(now)).orElse(false);
    }
}
