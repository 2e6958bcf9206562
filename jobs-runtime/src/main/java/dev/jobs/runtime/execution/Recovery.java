package dev.jobs.runtime.execution;

import dev.jobs.JobRegistration;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.JobStore;
import java.util.ArrayList;
import java.util.List;
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
        List<String> resumable = new ArrayList<>();
        List<String> oneShot = new ArrayList<>();
        for (JobRegistration<?> r : registry.all()) {
            (r.resumable() ? resumable : oneShot).add(r.name());
        }
        // names not registered here are in neither list: their rows are left untouched
        List<JobStore.Orphan> recovered = store.recoverOrphans(self, now, resumable, oneShot, INTERRUPTED_REASON);
        if (!recovered.isEmpty()) {
            LOG.info("recovered {} jobs left running by processes that are gone (resumable ones resume from their last checkpoint)",
                    recovered.size());
            if (LOG.isDebugEnabled()) {
                recovered.forEach(o -> LOG.debug("recovered job {} ({}) of owner {}", o.id(), o.name(), o.owner()));
            }
        }
        return recovered.size();
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
