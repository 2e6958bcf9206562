package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Signals "{key}.started" (and "{key}.resumed" on a resume), then keeps reaching interrupt points
 * until the test opens "{key}.release"; returns its key. Records the order of starts in {@link #STARTED}.
 */
@Job(name = "test.gate")
public class GateJob implements JobHandler<String> {
    public static final List<String> STARTED = new CopyOnWriteArrayList<>();

    @Param
    String key;

    int rounds;

    GateJob() {}

    public GateJob(String key) {
        this.key = key;
    }

    @Override
    public String run(JobContext ctx) throws Exception {
        STARTED.add(key);
        Gates.open(key + (ctx.isResuming() ? ".resumed" : ".started"));
        while (!Gates.await(key + ".release", 5)) {
            rounds++;
            ctx.checkInterrupt();
        }
        ctx.checkpoint();
        return key;
    }
}
