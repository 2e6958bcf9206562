package dev.jobs.benchmarks;

import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.SynchronousMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH on the dispatch path: one {@code dispatch(job)} of a no-op job on a live manager with four
 * workers, from the call until it returns (the row committed; the job is handed to an idle worker
 * or queued). The jobs run meanwhile, as in an application, so completions share the writer.
 *
 * <pre>
 * java -jar jobs-benchmarks/target/benchmarks.jar DispatchBenchmark -p metrics=off,on
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DispatchBenchmark {

    @Param({"FULL", "NORMAL"})
    public String sync;

    /** {@code off}: no metrics; {@code on}: jobs-micrometer on a SimpleMeterRegistry. */
    @Param({"off", "on"})
    public String metrics;

    private JobManager jobs;
    private int i;

    @Setup(Level.Trial)
    public void start() throws Exception {
        Path dir = Files.createTempDirectory("jobs-jmh-dispatch-");
        jobs = BenchMetrics.apply(
                        JobManager.builder()
                                .database(dir.resolve("jmh.db"))
                                .workers(4)
                                .synchronous(SynchronousMode.valueOf(sync)),
                        metrics)
                .build();
    }

    @TearDown(Level.Trial)
    public void stop() {
        jobs.close();
    }

    /** One dispatch, from the call until the row is committed. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object dispatch() {
        return jobs.dispatch(new BenchJobs.NoopJob(i++));
    }
}
