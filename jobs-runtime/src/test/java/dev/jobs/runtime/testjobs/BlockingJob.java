package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/**
 * Signals "{key}.started", then reaches no interrupt point until the test opens "{key}.release":
 * a pause or cancel asked meanwhile stays pending, visible to queries, until then.
 */
@Job(name = "test.blocking")
public class BlockingJob implements JobHandler<String> {
    @Param
    String key;

    BlockingJob() {}

    public BlockingJob(String key) {
        this.key = key;
    }

    @Override
    public String run(JobContext ctx) throws Exception {
        Gates.open(key + ".started");
        if (!Gates.await(key + ".release", 60_000)) {
            throw new IllegalStateException("the test never released " + key);
        }
        ctx.checkInterrupt();
        return key;
    }
}
