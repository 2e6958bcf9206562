package dev.jobs.micrometer;

import dev.jobs.runtime.JobManagerBuilder;
import dev.jobs.runtime.metrics.MetricsHooks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Objects;

/**
 * Micrometer metrics of a {@code JobManager}: how many jobs were dispatched and how they ended, per
 * job type; how long runs, checkpoints and claims take; how many jobs are queued and running.
 *
 * <p>Why on the builder: everything is measured inside the manager's own threads, at the points
 * where it publishes its {@code JobEvent}s (stored, ended) and around its claims, checkpoints and
 * runs, so the hooks must be in place before it starts (jobs resumed at startup are counted too),
 * and a manager built without metrics pays nothing for them. They are direct calls, not a
 * {@code JobListener}: a listener would make the manager publish every checkpoint, progress and
 * log event to it, which costs those hot paths far more than counting does.
 *
 * <pre>{@code
 * MeterRegistry registry = ...;                       // Prometheus, Spring Boot's, a SimpleMeterRegistry
 * JobManager jobs = JobsMetrics.of(registry)
 *         .tags("app", "backups")                     // optional: added to every meter
 *         .instrument(JobManager.builder().database(Path.of("jobs.db")))
 *         .build();
 * }</pre>
 *
 * <p>The meters (see {@code docs/metrics.md}): counters {@value #DISPATCHED}, {@value #ENDED}
 * (tag {@code outcome}: completed, failed, cancelled) and {@value #RETRIED}, timers {@value
 * #RUN_DURATION} and {@value #CHECKPOINT_DURATION}, each tagged {@code job} with the job type's
 * name; the timer {@value #CLAIM_DURATION}; the gauges {@value #QUEUED} (the store's QUEUED jobs,
 * counted at most once per {@link #queueDepthRefresh refresh interval}) and {@value #RUNNING} (this
 * manager's running jobs). One {@code JobsMetrics} instruments one manager; give two managers on one
 * registry different {@link #tags}.
 */
public final class JobsMetrics {

    /** Counter: jobs stored by this manager ({@code dispatch}, {@code dispatchAll}, children, chains), tag {@code job}. */
    public static final String DISPATCHED = "jobs.dispatched";

    /** Counter: jobs that ended in this manager, tags {@code job} and {@code outcome} (completed, failed, cancelled). */
    public static final String ENDED = "jobs.ended";

    /** Counter: failed attempts that will be tried again, tag {@code job}. */
    public static final String RETRIED = "jobs.retried";

    /** Timer: one run of a job on a worker (an attempt, or the part before a pause or shutdown), tag {@code job}. */
    public static final String RUN_DURATION = "jobs.run.duration";

    /** Timer: one {@code ctx.checkpoint()}, from the call to the commit, tag {@code job}. */
    public static final String CHECKPOINT_DURATION = "jobs.checkpoint.duration";

    /** Timer: one claim of queued jobs for idle workers (one statement, whatever it found). */
    public static final String CLAIM_DURATION = "jobs.claim.duration";

    /** Gauge: jobs QUEUED in the store, due or delayed, of every process on it. */
    public static final String QUEUED = "jobs.queued";

    /** Gauge: jobs running on this manager's workers. */
    public static final String RUNNING = "jobs.running";

    private final MeterRegistry registry;
    private Tags tags = Tags.empty();
    private Duration queueDepthRefresh = Duration.ofSeconds(5);
    private boolean used;

    private JobsMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Metrics of one manager, registered in {@code registry}. */
    public static JobsMetrics of(MeterRegistry registry) {
        return new JobsMetrics(registry);
    }

    /** Tags added to every meter, for instance to tell two managers on one registry apart. */
    public JobsMetrics tags(Iterable<Tag> tags) {
        this.tags = this.tags.and(Objects.requireNonNull(tags, "tags"));
        return this;
    }

    /** Tags added to every meter, as key-value pairs: {@code tags("app", "backups")}. */
    public JobsMetrics tags(String... keyValues) {
        return tags(Tags.of(keyValues));
    }

    /**
     * The longest the {@value #QUEUED} gauge shows an old count (default 5 s): reading it counts
     * the QUEUED rows (one query over an index) only when the last count is older than this, so a
     * scrape costs the database at most one query per interval.
     */
    public JobsMetrics queueDepthRefresh(Duration refresh) {
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("the refresh interval must not be negative, was " + refresh);
        }
        this.queueDepthRefresh = refresh;
        return this;
    }

    /**
     * Makes the manager {@code builder} builds report to the registry, through the runtime's
     * metrics hooks. Registers the meters of the manager as a whole at
     * once; those per job type as each type is first seen.
     *
     * @return {@code builder}, to go on configuring it
     * @throws IllegalStateException this {@code JobsMetrics} instruments a builder already
     */
    public synchronized JobManagerBuilder instrument(JobManagerBuilder builder) {
        Objects.requireNonNull(builder, "builder");
        if (used) {
            throw new IllegalStateException(
                    "this JobsMetrics instruments a manager already; use one per manager (with different tags)");
        }
        used = true;
        return MetricsHooks.instrument(builder, new Meters(registry, tags, queueDepthRefresh));
    }
}
