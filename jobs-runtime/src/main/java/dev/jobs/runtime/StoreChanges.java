package dev.jobs.runtime;

import dev.jobs.runtime.store.JobStore;

/**
 * What a manager does when the store watcher sees a commit (this process's or another's): wakes
 * {@code followLog}, passes control requests to the jobs running here, wakes the scheduler when
 * queued work may be claimable, and settles the handles of jobs finished elsewhere.
 */
final class StoreChanges {

    private final JobStore store;
    private final String owner;
    private final Workers workers;
    private final Results results;
    private final Object lock = new Object();
    private long count;

    StoreChanges(JobStore store, String owner, Workers workers, Results results) {
        this.store = store;
        this.owner = owner;
        this.workers = workers;
        this.results = results;
    }

    /** Another connection committed: apply control requests, pick up work, settle foreign results. */
    void onStoreChanged() {
        synchronized (lock) {
            count++;
            lock.notifyAll();
        }
        applyControls();
        if (workers.hasFreeWorker() && store.hasRunnableQueued()) {
            workers.signal();
        }
        results.settleForeign(workers::runsHere);
    }

    /**
     * Passes the pause and cancel requests stored for the jobs running here to their runs: those
     * asked by other processes, and those the store made itself (the running children of a job
     * just cancelled).
     */
    void applyControls() {
        if (workers.runsAny()) {
            store.controlsFor(owner).forEach(workers::request);
        }
    }

    /** Waits until the store watcher sees a commit (ours or another process's), or the timeout. */
    void await(long millis) throws InterruptedException {
        synchronized (lock) {
            long seen = count;
            long deadline = System.currentTimeMillis() + millis;
            while (count == seen) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                lock.wait(left);
            }
        }
    }
}
