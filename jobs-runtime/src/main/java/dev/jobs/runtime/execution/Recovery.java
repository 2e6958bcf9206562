package dev.jobs.runtime.execution;

import dev.jobs.JobRegistration;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.JobStore;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over RUNNING rows whose owner is gone: a process on this host that no longer exists, or
 * any owner whose lease expired. A resumable job goes back to the queue and continues from its
 * last checkpoint (or to PAUSED/CANCELLED if that was asked before the crash); a non-resumable one
 * becomes FAILED with a reason. Rows of jobs this process does not know are left untouched.
 */
public final class Recovery {

    public static final String INTERRUPTED_REASON = "interrupted: the process ended while the job was running";
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final JobStore store;
    private final JobRegistry registry;
    private final String host;
    private final String self;

    /** @param self this manager's owner id: its own jobs are never recovered, even if its lease lapsed */
    public Recovery(JobStore store, JobRegistry registry, String host, String self) {
        this.store = store;
        this.registry = registry;
        this.host = host;
        this.self = self;
    }

    /** Returns how many jobs were requeued or failed. */
    public int run() {
        long now = System.currentTimeMillis();
        store.removeDeadOwners(self, host, Recovery::alive, now);
        int recovered = 0;
        for (JobStore.Orphan orphan : store.orphans(self, now)) {
            Optional<JobRegistration<?>> registration = registry.find(orphan.name());
            if (registration.isEmpty()) {
                continue; // reported as unresolved, never touched
            }
            try {
                boolean changed = registration.get().resumable()
                        ? store.requeueOrphan(orphan, now)
                        : store.failOrphan(orphan, INTERRUPTED_REASON, now);
                if (changed) {
                    recovered++;
                    LOG.info("recovered job {} ({}) left running by {}: {}", orphan.id(), orphan.name(), orphan.owner(),
                            registration.get().resumable() ? "resumes from its last checkpoint" : "marked FAILED (not resumable)");
                }
            } catch (RuntimeException e) {
                LOG.error("recovering job {} ({}) failed; other jobs are unaffected", orphan.id(), orphan.name(), e);
            }
        }
        return recovered;
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
