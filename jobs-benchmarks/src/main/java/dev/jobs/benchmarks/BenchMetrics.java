package dev.jobs.benchmarks;

import dev.jobs.micrometer.JobsMetrics;
import dev.jobs.runtime.JobManagerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The {@code metrics} parameter of the JMH benchmarks: {@code off} builds the manager as an
 * application without metrics does, {@code on} with {@code jobs-micrometer} reporting to a
 * {@link SimpleMeterRegistry} (timers and counters as a real registry keeps them, without an
 * exporter's own cost).
 */
final class BenchMetrics {
    private BenchMetrics() {}

    static JobManagerBuilder apply(JobManagerBuilder builder, String metrics) {
        return switch (metrics) {
            case "off" -> builder;
            case "on" -> JobsMetrics.of(new SimpleMeterRegistry()).instrument(builder);
            default -> throw new IllegalArgumentException("metrics is 'off' or 'on', was '" + metrics + "'");
        };
    }
}
