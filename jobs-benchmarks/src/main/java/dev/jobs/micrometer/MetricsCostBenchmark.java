package dev.jobs.micrometer;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What metrics add to each hot-path call, measured alone: the work {@code jobs-micrometer} does
 * per checkpoint (or run, or claim: the same timer lookup and record) on the job's thread, and per
 * job stored (or ended: the same counter lookup and increment) on the dispatching thread. Independent of the disk, so it stays readable on a loaded
 * machine where a checkpoint's own time varies by far more than this. (In this package to reach
 * the module's package-private {@code Meters}; the benchmarks jar is not a named module.)
 *
 * <pre>
 * java -jar jobs-benchmarks/target/benchmarks.jar MetricsCostBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MetricsCostBenchmark {

    private final Meters meters = new Meters(new SimpleMeterRegistry(), Tags.empty(), Duration.ofSeconds(5));
    private long nanos = 50_000;

    /** The timing hook of one checkpoint: a map lookup and a timer record (on the job's thread). */
    @Benchmark
    public void checkpointHook() {
        meters.checkpointed("bench.checkpoint", nanos++);
    }

    /** Counting one job stored (on the dispatching thread). */
    @Benchmark
    public void dispatchedHook() {
        meters.dispatched("bench.noop");
    }
}
