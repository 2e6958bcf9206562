package dev.jobs.runtime.execution;

import dev.jobs.JobRegistration;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.JobStore;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Takes over RUNNING rows whose owner is gone: a process on this host that no longer exists, or
 * any owner whose lease expired. A claim whose run never started goes back to the queue as if it
 * had never been claimed. A started resumable job goes back to the queue and continues from its
 * last checkpoint (or to PAUSED/CANCELLED if that was asked before the crash), unless its runs
 * keep dying with their process without reaching a checkpoint: the {@code maxLostRuns}-th such run
 * makes it FAILED (a poison job). A started non-resumable one becomes FAILED with a reason. Rows
 * of jobs this process does not know are left untouched.
 */
public final class Recovery {

    public static final String INTERRUPTED_REASON = "interrupted: the process ended while the job was running";
    public static final String LAPSED_REASON =
            "interrupted: the process running it stopped renewing its lease (it ended, "
                    + "or was frozen or overloaded for longer than leaseDuration) while the job was running; it may have run on there";
    public static final String LAST_ATTEMPT_REASON =
            "poison job: its last attempt (maxAttempts of its retry policy) ended with its process before reaching a "
                    + "checkpoint; the job may be crashing its JVM (OutOfMemoryError, a native crash, System.exit). "
                    + "Its attempts are listed by JobManager.info; fix it, then dispatch it again";
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final JobStore store;
    private final JobRegistry registry;
    private final String host;
    private final String self;
    private final int maxLostRuns;

    /** @param self this manager's owner id: its own jobs are never recovered, even if its lease lapsed */
    public Recovery(JobStore store, JobRegistry registry, String host, String self, int maxLostRuns) {
        this.store = store;
        this.registry = registry;
        this.host = host;
        this.self = self;
        this.maxLostRuns = maxLostRuns;
    }

    static String poisonReason(int maxLostRuns) {
        return "poison job: " + maxLostRuns + (maxLostRuns == 1 ? " run" : " runs in a row")
                + " ended with their process (a dead pid on this host, or an expired lease on another host) before reaching a "
                + "checkpoint (the limit is JobManagerBuilder.maxLostRuns); "
                + "the job may be crashing its JVM (OutOfMemoryError, a native crash, System.exit). Fix it, then dispatch it again";
    }

    /** Returns how many jobs were requeued or failed; takes over expired leases too. */
    public int run() {
        return run(true);
    }

    /**
     * Returns how many jobs were requeued or failed. Without {@code byLease}, only the jobs of
     * processes known to be gone (a dead pid on this host, no owner row) are taken: a manager whose
     * own lease just lapsed may have been the one holding everybody else up (frozen in the
     * middle of a commit), so it does not judge others by their leases until its own has held
     * for a whole lease again.
     */
    public int run(boolean byLease) {
        long now = System.currentTimeMillis();
        JobStore.DeadOwners dead = store.removeDeadOwners(self, host, Recovery::alive, now, byLease);
        List<String> resumable = new ArrayList<>();
        List<String> oneShot = new ArrayList<>();
        for (JobRegistration<?> r : registry.all()) {
            (r.resumable() ? resumable : oneShot).add(r.name());
        }
        // names not registered here are in neither list: their rows are left untouched
        List<JobStore.Orphan> recovered = store.recoverOrphans(
                self,
                now,
                new JobStore.RecoveryPlan(
                        resumable,
                        oneShot,
                        byLease,
                        dead.crashed(),
                        dead.diedHere(),
                        INTERRUPTED_REASON,
                        LAPSED_REASON,
                        maxLostRuns,
                        poisonReason(maxLostRuns),
                        LAST_ATTEMPT_REASON));
        if (!recovered.isEmpty()) {
            // with no dead or lapsed owner found, the rows were left by a manager that closed normally, which is
            // what a simulated crash in a test does (a real crash leaves its owner row): DEBUG, not INFO
            LOG.atLevel(dead.isEmpty() ? Level.DEBUG : Level.INFO)
                    .log(
                            "recovered {} jobs left running by processes that are gone (resumable ones resume from their last checkpoint)",
                            recovered.size());
            for (JobStore.Orphan o : recovered) {
                if ("FAILED".equals(o.status())) {
                    LOG.warn("job {} ({}) was running when its process ended and is now FAILED", o.id(), o.name());
                } else {
                    LOG.debug("recovered job {} ({}): {}", o.id(), o.name(), o.status());
                }
            }
        }
        return recovered.size();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
