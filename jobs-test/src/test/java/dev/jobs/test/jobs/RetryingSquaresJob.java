package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Retry;
import java.util.ArrayList;
import java.util.List;

/** A correct resumable job with a retry policy: advances its resume point, then checkpoints. */
@Job(name = "harness.retrying_squares", retry = @Retry(maxAttempts = 3, initialDelay = "10s"))
public class RetryingSquaresJob implements JobHandler<List<Integer>> {
    @Param
    int count;

    int next;
    List<Integer> squares = new ArrayList<>();

    RetryingSquaresJob() {}

    public RetryingSquaresJob(int count) {
        this.count = count;
    }

    @Override
    public List<Integer> run(JobContext ctx) throws Exception {
        while (next < count) {
            ctx.checkInterrupt();
            squares.add(next * next);
            next++;
            ctx.checkpoint();
        }
        return squares;
    }
}
