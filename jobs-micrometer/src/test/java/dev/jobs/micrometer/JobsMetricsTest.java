package dev.jobs.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.runtime.DispatchOptions;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobManagerBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meters of a real manager on a SQLite file. Counters and timers are read after {@code
 * close()}: by then every run has ended and every end was recorded (the end of a run is counted
 * on the writer's callback thread, which may complete the job's result first).
 */
class JobsMetricsTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private JobManagerBuilder builder(JobsMetrics metrics) {
        return metrics.instrument(JobManager.builder()
                .database(dir.resolve("jobs.db"))
                .workers(2)
                .shutdownTimeout(Duration.ofSeconds(10)));
    }

    private double count(String name, String job, String outcome) {
        Counter counter =
                registry.find(name).tag("job", job).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private double count(String name, String job) {
        Counter counter = registry.find(name).tag("job", job).counter();
        return counter == null ? 0 : counter.count();
    }

    private double gauge(String name) {
        Gauge gauge = registry.find(name).gauge();
        assertThat(gauge).as(name).isNotNull();
        return gauge.value();
    }

    @Test
    void countsDispatchedJobsAndHowTheyEndedPerJobType() throws Exception {
        JobManager jobs = builder(JobsMetrics.of(registry)).build();
        try {
            List<JobHandle<?>> handles = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                handles.add(jobs.dispatch(new MetricsJobs.OkJob(2)));
            }
            for (int i = 0; i < 2; i++) {
                handles.add(jobs.dispatch(new MetricsJobs.FailJob()));
            }
            JobHandle<String> held = jobs.dispatch(new MetricsJobs.HoldJob("count"));
            assertThat(MetricsJobs.latch("count.started").await(20, TimeUnit.SECONDS))
                    .isTrue();
            jobs.cancel(held.id());
            JobHandle<Integer> later = jobs.dispatch(
                    new MetricsJobs.OkJob(1), DispatchOptions.defaults().delay(Duration.ofHours(1)));
            jobs.cancel(later.id());
            handles.add(held);
            for (JobHandle<?> h : handles) {
                h.result().handle((output, failure) -> null).get(20, TimeUnit.SECONDS);
            }
        } finally {
            jobs.close();
        }

        assertThat(count(JobsMetrics.DISPATCHED, "metrics.ok")).isEqualTo(4);
        assertThat(count(JobsMetrics.DISPATCHED, "metrics.fail")).isEqualTo(2);
        assertThat(count(JobsMetrics.DISPATCHED, "metrics.hold")).isEqualTo(1);
        assertThat(count(JobsMetrics.ENDED, "metrics.ok", "completed")).isEqualTo(3);
        assertThat(count(JobsMetrics.ENDED, "metrics.ok", "cancelled")).isEqualTo(1);
        assertThat(count(JobsMetrics.ENDED, "metrics.fail", "failed")).isEqualTo(2);
        assertThat(count(JobsMetrics.ENDED, "metrics.hold", "cancelled")).isEqualTo(1);
        assertThat(count(JobsMetrics.ENDED, "metrics.ok", "failed")).isZero();
    }

    @Test
    void timesRunsCheckpointsAndClaims() throws Exception {
        try (JobManager jobs = builder(JobsMetrics.of(registry)).build()) {
            for (int i = 0; i < 5; i++) {
                jobs.dispatch(new MetricsJobs.OkJob(3)).result().get(20, TimeUnit.SECONDS);
            }
            // dispatchAll queues its jobs (no hand-over to an idle worker): the scheduler claims them
            jobs.dispatchAll(List.of(new MetricsJobs.OkJob(1), new MetricsJobs.OkJob(1)))
                    .forEach(h -> h.result().join());
        }

        Timer runs =
                registry.find(JobsMetrics.RUN_DURATION).tag("job", "metrics.ok").timer();
        Timer checkpoints = registry.find(JobsMetrics.CHECKPOINT_DURATION)
                .tag("job", "metrics.ok")
                .timer();
        Timer claims = registry.find(JobsMetrics.CLAIM_DURATION).timer();
        assertThat(runs).isNotNull();
        assertThat(runs.count()).isEqualTo(7);
        assertThat(runs.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(checkpoints).isNotNull();
        assertThat(checkpoints.count()).isEqualTo(5 * 3 + 2);
        assertThat(checkpoints.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(claims).isNotNull();
        assertThat(claims.count()).isPositive();
    }

    @Test
    void gaugesShowQueuedAndRunningJobs() throws Exception {
        try (JobManager jobs = builder(JobsMetrics.of(registry).queueDepthRefresh(Duration.ZERO))
                .build()) {
            assertThat(gauge(JobsMetrics.QUEUED)).isZero();
            assertThat(gauge(JobsMetrics.RUNNING)).isZero();

            JobHandle<String> held = jobs.dispatch(new MetricsJobs.HoldJob("gauges"));
            assertThat(MetricsJobs.latch("gauges.started").await(20, TimeUnit.SECONDS))
                    .isTrue();
            DispatchOptions later = DispatchOptions.defaults().delay(Duration.ofHours(1));
            for (int i = 0; i < 3; i++) {
                jobs.dispatch(new MetricsJobs.OkJob(1), later);
            }

            assertThat(gauge(JobsMetrics.QUEUED)).isEqualTo(3);
            assertThat(gauge(JobsMetrics.RUNNING)).isEqualTo(1);

            MetricsJobs.latch("gauges.release").countDown();
            held.result().get(20, TimeUnit.SECONDS);
        }
        assertThat(gauge(JobsMetrics.QUEUED))
                .as("a closed manager has no queue to show")
                .isNaN();
        assertThat(gauge(JobsMetrics.RUNNING)).isZero();
    }

    @Test
    void theQueueDepthIsCountedAtMostOncePerRefreshInterval() throws Exception {
        try (JobManager jobs = builder(JobsMetrics.of(registry).queueDepthRefresh(Duration.ofHours(1)))
                .build()) {
            assertThat(gauge(JobsMetrics.QUEUED)).isZero();
            jobs.dispatch(new MetricsJobs.OkJob(1), DispatchOptions.defaults().delay(Duration.ofHours(1)));

            assertThat(gauge(JobsMetrics.QUEUED))
                    .as("the count read an hour ago, which is not yet")
                    .isZero();
        }
    }

    @Test
    void commonTagsAreOnEveryMeter() throws Exception {
        try (JobManager jobs =
                builder(JobsMetrics.of(registry).tags("app", "backups")).build()) {
            jobs.dispatch(new MetricsJobs.OkJob(1)).result().get(20, TimeUnit.SECONDS);
        }

        assertThat(registry.getMeters())
                .isNotEmpty()
                .allSatisfy(m -> assertThat(m.getId().getTag("app"))
                        .as(m.getId().getName())
                        .isEqualTo("backups"));
        assertThat(registry.getMeters())
                .extracting(m -> m.getId().getName())
                .contains(
                        JobsMetrics.DISPATCHED,
                        JobsMetrics.ENDED,
                        JobsMetrics.RUN_DURATION,
                        JobsMetrics.CHECKPOINT_DURATION,
                        JobsMetrics.CLAIM_DURATION,
                        JobsMetrics.QUEUED,
                        JobsMetrics.RUNNING);
    }

    @Test
    void aRegistryThatRefusesAMeterCostsTheMetricNotTheJob() throws Exception {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals(JobsMetrics.CHECKPOINT_DURATION)) {
                    throw new IllegalArgumentException("a meter of that name exists with other tags");
                }
                return id;
            }
        });
        try (JobManager jobs = builder(JobsMetrics.of(registry)).build()) {
            assertThat(jobs.dispatch(new MetricsJobs.OkJob(3)).result().get(20, TimeUnit.SECONDS))
                    .isEqualTo(3);
        }

        assertThat(registry.find(JobsMetrics.CHECKPOINT_DURATION).timer()).isNull();
        assertThat(count(JobsMetrics.ENDED, "metrics.ok", "completed")).isEqualTo(1);
    }

    @Test
    void oneJobsMetricsInstrumentsOneManager() {
        JobsMetrics metrics = JobsMetrics.of(registry);
        metrics.instrument(JobManager.builder());

        assertThatThrownBy(() -> metrics.instrument(JobManager.builder()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one per manager");
    }
}
