package dev.jobs.benchmarks;

import dev.jobs.JobContext;
import dev.jobs.Progress;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.SynchronousMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
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
 * JMH on a live {@link JobContext}: a real manager runs a job that hands its context over and
 * waits, and the benchmark calls {@code progress} / {@code checkpoint} on it as the job would.
 *
 * <pre>
 * java -jar jobs-benchmarks/target/benchmarks.jar ContextBenchmark -p metrics=off,on
 * </pre>
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ContextBenchmark {

    @Param({"FULL", "NORMAL"})
    public String sync;

    /** {@code off}: no metrics; {@code on}: jobs-micrometer on a SimpleMeterRegistry. */
    @Param({"off", "on"})
    public String metrics;

    private JobManager jobs;
    private JobContext ctx;
    private final Progress[] values = new Progress[1024];
    private int i;

    @Setup(Level.Trial)
    public void start() throws Exception {
        for (int k = 0; k < values.length; k++) {
            values[k] = Progress.count(k, values.length);
        }
        Path dir = Files.createTempDirectory("jobs-jmh-");
        BenchJobs.HoldJob.ready = new CountDownLatch(1);
        BenchJobs.HoldJob.release = new CountDownLatch(1);
        jobs = BenchMetrics.apply(
                        JobManager.builder()
                                .database(dir.resolve("jmh.db"))
                                .workers(1)
                                .synchronous(SynchronousMode.valueOf(sync)),
                        metrics)
                .build();
        jobs.dispatch(new BenchJobs.HoldJob());
        BenchJobs.HoldJob.ready.await(1, TimeUnit.MINUTES);
        ctx = BenchJobs.HoldJob.context;
    }

    @TearDown(Level.Trial)
    public void stop() {
        BenchJobs.HoldJob.release.countDown();
        jobs.close();
    }

    /** One progress report, as a job calls it on every item. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void progress() {
        ctx.progress(values[i++ & 1023]);
    }

    /** One checkpoint of a small job, from the call to the commit (latency distribution). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void checkpoint() {
        ctx.checkpoint();
    }
}
