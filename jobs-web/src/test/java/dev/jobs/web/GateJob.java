package dev.jobs.web;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Progress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Reports half its progress, logs a line, then waits (at interrupt points) until the test releases its key. */
@Job(name = "web.gate")
public class GateJob implements JobHandler<String> {
    private static final Map<String, CountDownLatch> RELEASES = new ConcurrentHashMap<>();

    @Param
    String key;

    GateJob() {}

    static void release(String key) {
        latch(key).countDown();
    }

    private static CountDownLatch latch(String key) {
        return RELEASES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    @Override
    public String run(JobContext ctx) throws Exception {
        ctx.progress(Progress.percentage(0.5));
        ctx.log("halfway through " + key);
        while (!latch(key).await(5, TimeUnit.MILLISECONDS)) {
            ctx.checkInterrupt();
        }
        ctx.progress(Progress.percentage(1.0));
        return key;
    }
}
