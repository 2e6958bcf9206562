package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/**
 * Logs "line 1" .. "line {before}", then keeps reaching interrupt points until the test opens
 * "{key}.release", then logs the next {@code after} lines and returns how many it logged. A test
 * can thus see log lines while the job is certainly still running.
 */
@Job(name = "test.chatty_gate")
public class LoggingGateJob implements JobHandler<Integer> {
    @Param
    String key;

    @Param
    int before;

    @Param
    int after;

    int logged;

    LoggingGateJob() {}

    public LoggingGateJob(String key, int before, int after) {
        this.key = key;
        this.before = before;
        this.after = after;
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        while (logged < before) {
            ctx.log("line " + ++logged);
        }
        while (!Gates.await(key + ".release", 5)) {
            ctx.checkInterrupt();
        }
        while (logged < before + after) {
            ctx.log("line " + ++logged);
        }
        return logged;
    }
}
