package dev.jobs.benchmarks;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Progress;
import java.util.concurrent.CountDownLatch;

/** The jobs the benchmarks run. */
public final class BenchJobs {
    private BenchJobs() {}

    /** Does nothing: measures the framework, not the work. */
    @Job(name = "bench.noop")
    public static class NoopJob implements JobHandler<Integer> {
        @Param
        int n;

        public NoopJob() {}

        public NoopJob(int n) {
            this.n = n;
        }

        @Override
        public Integer run(JobContext ctx) {
            return n;
        }
    }

    /** Records when run() was entered (System.nanoTime()) into {@link #ENTERED}. */
    @Job(name = "bench.pickup")
    public static class PickupJob implements JobHandler<Void> {
        public static volatile long entered;

        @Override
        public Void run(JobContext ctx) {
            entered = System.nanoTime();
            return null;
        }
    }

    /** Checkpoints {@code count} times; records each checkpoint's latency into a shared histogram. */
    @Job(name = "bench.checkpoint")
    public static class CheckpointJob implements JobHandler<Integer> {
        public static volatile long[] latencies = new long[0];
        public static final java.util.concurrent.atomic.AtomicInteger SLOT =
                new java.util.concurrent.atomic.AtomicInteger();

        @Param
        int count;

        int done;
        long payload = 42;

        public CheckpointJob() {}

        public CheckpointJob(int count) {
            this.count = count;
        }

        @Override
        public Integer run(JobContext ctx) {
            long[] sink = latencies;
            while (done < count) {
                done++;
                long t0 = System.nanoTime();
                ctx.checkpoint();
                long t = System.nanoTime() - t0;
                int slot = SLOT.getAndIncrement();
                if (slot < sink.length) {
                    sink[slot] = t;
                }
            }
            return done;
        }
    }

    /** Reports progress {@code calls} times in a tight loop and stores the ns per call in {@link #nanosPerCall}. */
    @Job(name = "bench.progress")
    public static class ProgressJob implements JobHandler<Double> {
        public static volatile double nanosPerCall;

        @Param
        long calls;

        public ProgressJob() {}

        public ProgressJob(long calls) {
            this.calls = calls;
        }

        @Override
        public Double run(JobContext ctx) {
            Progress[] values = new Progress[1024];
            for (int i = 0; i < values.length; i++) {
                values[i] = Progress.count(i, values.length);
            }
            long t0 = System.nanoTime();
            for (long i = 0; i < calls; i++) {
                ctx.progress(values[(int) (i & 1023)]);
            }
            nanosPerCall = (System.nanoTime() - t0) / (double) calls;
            return nanosPerCall;
        }
    }

    /** Hands its context to a benchmark and waits until released (for JMH on a live JobContext). */
    @Job(name = "bench.hold")
    public static class HoldJob implements JobHandler<Void> {
        public static volatile JobContext context;
        public static volatile CountDownLatch ready = new CountDownLatch(1);
        public static volatile CountDownLatch release = new CountDownLatch(1);

        @Override
        public Void run(JobContext ctx) throws Exception {
            context = ctx;
            ready.countDown();
            release.await();
            return null;
        }
    }
}
