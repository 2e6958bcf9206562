package dev.jobs.test.jobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/**
 * Keeps state in a class the codec can write but not read back: its no-argument constructor, which
 * the codec restores it with, refuses to run. (A class with no such constructor at all is a compile
 * error since the processor checks field types.)
 */
@Job(name = "harness.unrestorable")
public class UnrestorableJob implements JobHandler<Integer> {

    public static final class Window {
        final int from;
        final int to;

        private Window() {
            throw new IllegalStateException("a Window cannot be restored");
        }

        public Window(int from, int to) {
            this.from = from;
            this.to = to;
        }
    }

    @Param
    int count;

    Window window; // null at dispatch, so the job starts; set by the first step

    UnrestorableJob() {}

    public UnrestorableJob(int count) {
        this.count = count;
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        int done = window == null ? 0 : window.to;
        while (done < count) {
            ctx.checkInterrupt();
            window = new Window(done, done + 1);
            done = window.to;
            ctx.checkpoint();
        }
        return done;
    }
}
