package dev.jobs.runtime.maintenance;

import dev.jobs.runtime.execution.Engine;
import dev.jobs.runtime.store.JobStore;
import java.time.Duration;

/**
 * Renews this manager's lease: its owner row (re-created if a sweep removed it during a stall)
 * and {@code lease_until} of every job it runs, then tells the engine when the renewal began, so
 * that it can tell whether the lease had lapsed meanwhile (see {@link Engine#leaseRenewed}).
 */
public final class LeaseKeeper implements Runnable {

    private final JobStore store;
    private final Engine engine;
    private final String owner;
    private final String host;
    private final long startedAt;
    private final Duration lease;

    public LeaseKeeper(JobStore store, Engine engine, String owner, String host, long startedAt, Duration lease) {
        this.store = store;
        this.engine = engine;
        this.owner = owner;
        this.host = host;
        this.startedAt = startedAt;
        this.lease = lease;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        store.renewLease(
                owner, host, ProcessHandle.current().pid(), startedAt, System.currentTimeMillis() + lease.toMillis());
        engine.leaseRenewed(start);
    }

    /** Renewed every third of the lease. */
    public static Duration period(Duration lease) {
        return Duration.ofMillis(Math.max(1, lease.toMillis() / 3));
    }
}
