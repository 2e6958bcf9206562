package dev.jobs.runtime.testjobs;

import dev.jobs.CatchUp;
import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Overlap;
import dev.jobs.Recurring;

/**
 * A job with a declared schedule, upserted by every manager of the runtime's tests. It ticks only
 * on 29 February at midnight in Paris, a time no test's clock reaches, so it creates no job
 * anywhere else.
 */
@Job(name = "test.recurring")
@Recurring(
        name = "test-leap-day",
        cron = "0 0 29 2 *",
        zone = "Europe/Paris",
        catchUp = CatchUp.SKIP,
        overlap = Overlap.QUEUE)
public class RecurringJob implements JobHandler<Void> {
    RecurringJob() {}

    @Override
    public Void run(JobContext ctx) {
        return null;
    }
}
