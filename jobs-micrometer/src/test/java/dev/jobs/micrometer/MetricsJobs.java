package dev.jobs.micrometer;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/** The jobs the metrics tests run. */
final class MetricsJobs {
    private MetricsJobs() {}

    /** Latches by key, opened by jobs and tests. */
    static final Map<String, CountDownLatch> LATCHES = new ConcurrentHashMap<>();

    static CountDownLatch latch(String key) {
        return LATCHES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    /** Checkpoints {@code steps} times, then returns the number of steps. */
    @Job(name = "metrics.ok")
    public static class OkJob implements JobHandler<Integer> {
        @Param
        int steps = 2;

        int done;

        OkJob() {}

        OkJob(int steps) {
            this.steps = steps;
        }

        @Override
        public Integer run(JobContext ctx) throws Exception {
            while (done < steps) {
                done++;
                ctx.checkpoint();
            }
            return done;
        }
    }

    /** Always throws. */
    @Job(name = "metrics.fail")
    public static class FailJob implements JobHandler<Void> {
        @Override
        public Void run(JobContext ctx) {
            throw new IllegalStateException("fails on purpose");
        }
    }

    /** Opens "{key}.started", then reaches interrupt points until "{key}.release" opens (or it is stopped). */
    @Job(name = "metrics.hold")
    public static class HoldJob implements JobHandler<String> {
        @Param
        String key;

        HoldJob() {}

        HoldJob(String key) {
            this.key = key;
        }

        @Override
        public String run(JobContext ctx) throws Exception {
            latch(key + ".started").countDown();
            while (!latch(key + ".release").await(5, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                ctx.checkInterrupt();
            }
            return key;
        }
    }
}
