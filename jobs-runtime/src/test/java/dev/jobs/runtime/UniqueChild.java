package dev.jobs.runtime;

import dev.jobs.runtime.testjobs.CountJob;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A process of {@link UniqueProcessTest}: opens a manager with workers on a shared database,
 * prints "ready", waits for a line on stdin (so that every process starts dispatching together),
 * dispatches {@code count} jobs with the keys {@code key-(i % keys)} (held forever), prints "dispatched N existing
 * M", waits until no job is active, and exits.
 *
 * <p>Arguments: database, side file, count, keys.
 */
public final class UniqueChild {
    private UniqueChild() {}

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        Path side = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        int keys = Integer.parseInt(args[3]);
        try (JobManager jobs = JobManager.builder()
                .database(db)
                .workers(2)
                .shutdownTimeout(Duration.ofSeconds(30))
                .build()) {
            System.out.println("ready");
            System.out.flush();
            if (new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine() == null) {
                return;
            }
            int existing = 0;
            for (int i = 0; i < count; i++) {
                JobHandle<Integer> h = jobs.dispatch(
                        new CountJob(side),
                        DispatchOptions.defaults().uniqueKey("key-" + (i % keys), Uniqueness.forever()));
                existing += h.isExisting() ? 1 : 0;
            }
            System.out.println("dispatched " + count + " existing " + existing);
            System.out.flush();
            // results of this process's jobs, and of those the other ran, before closing
            while (!jobs.list(JobQuery.all()
                            .statuses(dev.jobs.JobStatus.QUEUED, dev.jobs.JobStatus.RUNNING)
                            .limit(1))
                    .isEmpty()) {
                Thread.sleep(50); // a poll of the shared database: the other process's jobs have no handle here
            }
        }
        System.out.println("closed");
        System.out.flush();
    }
}
