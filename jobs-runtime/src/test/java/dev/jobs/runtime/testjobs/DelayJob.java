package dev.jobs.runtime.testjobs;

import dev.jobs.InvalidParametersException;
import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/** Returns its delay; its validate() refuses a negative one. */
@Job(name = "test.delay")
public class DelayJob implements JobHandler<Long> {
    @Param
    long delayMillis;

    DelayJob() {}

    void validate() {
        if (delayMillis < 0) {
            throw new InvalidParametersException("delayMillis", "must be 0 or more, was " + delayMillis);
        }
    }

    @Override
    public Long run(JobContext ctx) {
        return delayMillis;
    }
}
