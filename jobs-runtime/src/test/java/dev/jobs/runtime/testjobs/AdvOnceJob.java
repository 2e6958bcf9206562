package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/** Adversary test job: not resumable; "S id pid" at start, works {@code millis} without interrupt points, "E id pid" at the end. */
@Job(name = "adv.once", resumable = false)
public class AdvOnceJob implements JobHandler<Integer> {
    @Param
    int millis;

    @Param
    String sideFile;

    public AdvOnceJob() {}

    public AdvOnceJob(int millis, java.nio.file.Path sideFile) {
        this.millis = millis;
        this.sideFile = sideFile.toString();
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        long pid = ProcessHandle.current().pid();
        AdvStepJob.line(sideFile, "S " + ctx.id() + " " + pid);
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            Thread.sleep(2);
        }
        AdvStepJob.line(sideFile, "E " + ctx.id() + " " + pid);
        return 1;
    }
}
