package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;

/** Adversary test job: resumable, instant; "S id pid" then "E id pid". */
@Job(name = "adv.count")
public class AdvCountJob implements JobHandler<Integer> {
    @Param
    String sideFile;

    @Param(required = false)
    int millis;

    public AdvCountJob() {}

    public AdvCountJob(java.nio.file.Path sideFile) {
        this.sideFile = sideFile.toString();
    }

    public AdvCountJob(java.nio.file.Path sideFile, int millis) {
        this.sideFile = sideFile.toString();
        this.millis = millis;
    }

    @Override
    public Integer run(JobContext ctx) throws Exception {
        long pid = ProcessHandle.current().pid();
        AdvStepJob.line(sideFile, "S " + ctx.id() + " " + pid);
        if (millis > 0) {
            Thread.sleep(millis);
        }
        AdvStepJob.line(sideFile, "E " + ctx.id() + " " + pid);
        return 1;
    }
}
