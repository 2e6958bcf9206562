package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/** A child of {@link SplitJob}: returns n², fails for a negative n, waits for "{gate}" first if given. */
@Job(name = "test.part")
public class PartJob implements JobHandler<Long> {
    @Param
    int n;

    @Param(required = false)
    String gate;

    PartJob() {}

    public PartJob(int n, String gate) {
        this.n = n;
        this.gate = gate;
    }

    @Override
    public Long run(JobContext ctx) throws Exception {
        if (gate != null) {
            Gates.open(gate + ".started");
            if (!Gates.await(gate, 60_000)) {
                throw new IllegalStateException("the test never opened " + gate);
            }
            ctx.checkInterrupt();
        }
        if (n < 0) {
            throw new IllegalArgumentException("part " + n + " is broken");
        }
        return (long) n * n;
    }
}
