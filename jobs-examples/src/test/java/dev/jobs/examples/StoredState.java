package dev.jobs.examples;

import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;

/** Waits, with a deadline, for what another process stores about a job. */
final class StoredState {
    private StoredState() {}

    /**
     * Reads the job's row until {@code condition} holds and returns it; fails naming {@code what}
     * and the last row read if {@code timeout} passes first. A job run by another process sends
     * this one no events, so the row is read every few milliseconds.
     */
    static JobInfo await(JobManager client, UUID id, String what, Predicate<JobInfo> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JobInfo info = client.info(id);
            if (condition.test(info)) {
                return info;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("job " + id + " did not get to " + what + " within " + timeout
                        + "; last seen: "
                        + info.status() + ", progress " + info.progress().orElse(null) + ", last checkpoint "
                        + info.lastCheckpoint().orElse(null));
            }
            Thread.sleep(10); // poll interval of the read, not a guess at how long the job takes
        }
    }

    /** The stored fraction done, 0 if none. */
    static double fraction(JobInfo info) {
        return info.progress().map(p -> p.fraction().orElse(0)).orElse(0.0);
    }
}
