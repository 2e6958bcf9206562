package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Retry;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberate bug that only a retry shows: on a retry it assumes the item it was on is what
 * failed and skips it, but the saved state already points past the last finished item, so it
 * skips real work. Crashes and pauses resume it correctly (they are no retry).
 */
@Job(name = "harness.skipping_on_retry", retry = @Retry(maxAttempts = 2))
public class SkippingOnRetryJob implements JobHandler<List<Integer>> {
    @Param
    int count;

    int next;
    List<Integer> done = new ArrayList<>();

    SkippingOnRetryJob() {}

    public SkippingOnRetryJob(int count) {
        this.count = count;
    }

    @Override
    public List<Integer> run(JobContext ctx) throws Exception {
        if (ctx.isRetry()) {
            next++; // BUG: "skip the poison item", but next is already the item after the last one done
        }
        while (next < count) {
            ctx.checkInterrupt();
            done.add(next);
            next++;
            ctx.checkpoint();
        }
        return done;
    }
}
