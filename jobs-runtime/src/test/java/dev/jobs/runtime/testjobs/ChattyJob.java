package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.LogLevel;
import dev.jobs.Param;
import dev.jobs.Progress;

/** Reports progress on every item, logs every {@code logEvery} items, checkpoints every {@code checkpointEvery}. */
@Job(name = "test.chatty")
public class ChattyJob implements JobHandler<Integer> {
    @Param
    int items;

    @Param(required = false)
    int logEvery = 1;

    @Param(required = false)
    int checkpointEvery = 0;

    int next;

    ChattyJob() {}

    public ChattyJob(int items, int logEvery, int checkpointEvery) {
        this.items = items;
        this.logEvery = logEvery;
        this.checkpointEvery = checkpointEvery;
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        ctx.log(LogLevel.DEBUG, "starting at " + next);
        while (next < items) {
            ctx.checkInterrupt();
            next++;
            ctx.progress(Progress.count(next, items));
            if (logEvery > 0 && next % logEvery == 0) {
                ctx.log("item " + next);
            }
            if (checkpointEvery > 0 && next % checkpointEvery == 0) {
                ctx.checkpoint();
            }
        }
        return next;
    }
}
