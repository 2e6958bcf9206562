package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.util.ArrayList;
import java.util.List;

/**
 * A job that uses a service of the host: {@link #prices} is transient, given by the job
 * initializer on every run. Prices each item, one checkpoint per item; returns the prices.
 */
@Job(name = "harness.pricing")
public class PricingJob implements JobHandler<List<Integer>> {

    /** The host's service. */
    public interface Prices {
        int of(String item);
    }

    /** Given by the job initializer; never saved. */
    public transient Prices prices;

    @Param
    List<String> items;

    int next;
    List<Integer> priced = new ArrayList<>();

    PricingJob() {}

    public PricingJob(List<String> items) {
        this.items = List.copyOf(items);
    }

    @Override
    public List<Integer> run(JobContext ctx) throws Exception {
        if (prices == null) {
            throw new IllegalStateException("no prices service: the job initializer did not run on this object");
        }
        while (next < items.size()) {
            ctx.checkInterrupt();
            priced.add(prices.of(items.get(next)));
            next++;
            ctx.checkpoint();
        }
        return priced;
    }
}
