package dev.jobs.process;

import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The process a crash test kills: opens a manager on the given database, dispatches a
 * {@link ScriptJob} running the given script with the given orphan policy (and, if given, the file
 * it holds after the command's result at), prints "id ID" and
 * waits to be killed.
 */
public final class ProcessChild {
    private ProcessChild() {}

    public static void main(String[] args) throws Exception {
        JobManager jobs = JobManager.builder()
                .database(Path.of(args[0]))
                .workers(1)
                .leaseDuration(Duration.ofSeconds(30))
                .build();
        ScriptJob job = new ScriptJob(List.of(args[1]));
        job.successCodes = List.of(0, 24);
        job.orphans = args[2];
        if (args.length > 3) {
            job.holdAfterRun = args[3];
        }
        JobHandle<?> handle = jobs.dispatch(job);
        System.out.println("id " + handle.id());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
