package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.JobInterruptedException;
import dev.jobs.Param;
import java.util.List;

/**
 * Correct: a broad {@code catch (Exception e)} around each step, for bad items, with
 * {@code JobInterruptedException} rethrown ahead of it so that pauses and cancels get through.
 */
@Job(name = "harness.rethrowing")
public class RethrowingJob implements JobHandler<RethrowingJob.Totals> {

    public record Totals(long sum, int bad) {}

    @Param
    List<String> numbers;

    int next;
    long sum;
    int bad;

    RethrowingJob() {}

    public RethrowingJob(List<String> numbers) {
        this.numbers = List.copyOf(numbers);
    }

    @Override
    public Totals run(JobContext ctx) {
        while (next < numbers.size()) {
            try {
                ctx.checkInterrupt();
                String item = numbers.get(next);
                next++;
                sum += Long.parseLong(item);
                ctx.checkpoint();
            } catch (JobInterruptedException e) {
                throw e; // a pause, cancel or shutdown must leave run()
            } catch (Exception e) {
                bad++; // a bad item is counted and skipped
                ctx.checkpoint();
            }
        }
        return new Totals(sum, bad);
    }
}
