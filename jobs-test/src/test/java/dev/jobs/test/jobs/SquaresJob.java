package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Progress;
import java.util.ArrayList;
import java.util.List;

/** A correct resumable job: advances its resume point, then checkpoints. */
@Job(name = "harness.squares")
public class SquaresJob implements JobHandler<List<Integer>> {
    @Param
    int count;

    int next;
    List<Integer> squares = new ArrayList<>();

    SquaresJob() {}

    public SquaresJob(int count) {
        this.count = count;
    }

    @Override
    public List<Integer> run(JobContext ctx) throws Exception {
        while (next < count) {
            ctx.checkInterrupt();
            squares.add(next * next);
            next++;
            ctx.progress(Progress.count(next, count));
            ctx.log("square " + next);
            ctx.checkpoint();
        }
        return squares;
    }
}
