package dev.jobs.micrometer;

import dev.jobs.JobStatus;
import dev.jobs.runtime.metrics.Instrumentation;
import dev.jobs.runtime.metrics.ManagerGauges;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one manager. The counters and timers are fed by the runtime's hooks on its own
 * threads (dispatching threads, the scheduler, the workers, the writer's callbacks), so each call
 * is one map lookup and one increment or record; the gauges read the manager when scraped.
 *
 * <p>Meters per job type are registered the first time the type is seen and kept in maps here:
 * the registry's own lookup builds an id (allocating) on every call, which the hot paths avoid.
 */
final class Meters implements Instrumentation {

    private static final Logger LOG = LoggerFactory.getLogger(Meters.class);

    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer claims;
    private final QueueDepth queueDepth;
    private volatile ManagerGauges gauges;
    private final AtomicBoolean warned = new AtomicBoolean();

    private final Map<String, Counter> dispatched = new ConcurrentHashMap<>();
    private final Map<String, Counter> completed = new ConcurrentHashMap<>();
    private final Map<String, Counter> failed = new ConcurrentHashMap<>();
    private final Map<String, Counter> cancelled = new ConcurrentHashMap<>();
    private final Map<String, Counter> retried = new ConcurrentHashMap<>();
    private final Map<String, Timer> runs = new ConcurrentHashMap<>();
    private final Map<String, Timer> checkpoints = new ConcurrentHashMap<>();

    Meters(MeterRegistry registry, Tags tags, Duration queueDepthRefresh) {
        this.registry = registry;
        this.tags = tags;
        this.queueDepth = new QueueDepth(() -> gauges, queueDepthRefresh.toNanos());
        this.claims = Timer.builder(JobsMetrics.CLAIM_DURATION)
                .description("Time of one claim of queued jobs for idle workers")
                .tags(tags)
                .register(registry);
        Gauge.builder(JobsMetrics.QUEUED, queueDepth, QueueDepth::value)
                .description("Jobs queued in the store, due or delayed")
                .tags(tags)
                .strongReference(true)
                .register(registry);
        Gauge.builder(JobsMetrics.RUNNING, this, Meters::running)
                .description("Jobs running on this manager's workers")
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    private double running() {
        ManagerGauges g = gauges;
        return g == null ? 0 : g.runningJobs();
    }

    @Override
    public void opened(ManagerGauges gauges) {
        this.gauges = gauges;
    }

    @Override
    public void claimed(int jobs, long nanos) {
        try {
            claims.record(nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed(JobsMetrics.CLAIM_DURATION, e);
        }
    }

    @Override
    public void checkpointed(String jobName, long nanos) {
        try {
            timer(
                            checkpoints,
                            JobsMetrics.CHECKPOINT_DURATION,
                            "Time of one checkpoint, from the call to its commit",
                            jobName)
                    .record(nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed(JobsMetrics.CHECKPOINT_DURATION, e);
        }
    }

    @Override
    public void ran(String jobName, long nanos) {
        try {
            timer(runs, JobsMetrics.RUN_DURATION, "Time of one run of a job on a worker", jobName)
                    .record(nanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed(JobsMetrics.RUN_DURATION, e);
        }
    }

    /**
     * A meter could not be registered or recorded (a registry that refuses the name or its tags,
     * for instance because the application registered its own meter of that name): the job goes
     * on, the metric is incomplete, and this is logged once.
     */
    private void failed(String meter, RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn(
                    "jobs-micrometer: recording {} failed, so some job metrics are missing (logged once): {}",
                    meter,
                    e.toString());
        }
    }

    @Override
    public void dispatched(String jobName) {
        try {
            counter(dispatched, JobsMetrics.DISPATCHED, "Jobs stored by this manager", jobName, null)
                    .increment();
        } catch (RuntimeException e) {
            failed(JobsMetrics.DISPATCHED, e);
        }
    }

    @Override
    public void ended(String jobName, JobStatus status) {
        try {
            switch (status) {
                case COMPLETED -> ended(completed, jobName, "completed");
                case FAILED -> ended(failed, jobName, "failed");
                case CANCELLED -> ended(cancelled, jobName, "cancelled");
                default -> {} // no other status ends a job
            }
        } catch (RuntimeException e) {
            failed(JobsMetrics.ENDED, e);
        }
    }

    @Override
    public void retried(String jobName) {
        try {
            counter(retried, JobsMetrics.RETRIED, "Failed attempts that will be tried again", jobName, null)
                    .increment();
        } catch (RuntimeException e) {
            failed(JobsMetrics.RETRIED, e);
        }
    }

    private void ended(Map<String, Counter> counters, String job, String outcome) {
        counter(counters, JobsMetrics.ENDED, "Jobs that ended in this manager, by outcome", job, outcome)
                .increment();
    }

    private Counter counter(
            Map<String, Counter> counters, String name, String description, String job, String outcome) {
        Counter counter = counters.get(job);
        if (counter != null) {
            return counter;
        }
        return counters.computeIfAbsent(job, j -> {
            Counter.Builder b =
                    Counter.builder(name).description(description).tags(tags).tag("job", j);
            return (outcome == null ? b : b.tag("outcome", outcome)).register(registry);
        });
    }

    private Timer timer(Map<String, Timer> timers, String name, String description, String job) {
        Timer timer = timers.get(job); // a get first: computeIfAbsent may lock even when the key is there
        if (timer != null) {
            return timer;
        }
        return timers.computeIfAbsent(
                job,
                j -> Timer.builder(name)
                        .description(description)
                        .tags(tags)
                        .tag("job", j)
                        .register(registry));
    }
}
