package dev.jobs.runtime;

import dev.jobs.JobStatus;
import dev.jobs.runtime.store.JobStore;
import java.util.List;

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
        // new work first: the claim starts while the rest is read (pickup latency)
        if (workers.hasFreeWorker() && store.hasRunnableQueued()) {
            workers.signal();
        }
        publishCascadedCancels();
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

    /** After a cancel made here: its running children are told, and what it cancelled is published, at once. */
    void afterCancel() {
        applyControls();
        publishCascadedCancels();
    }

    /**
     * Publishes the Cancelled events of the jobs the store cancelled by itself (a chain's later
     * steps, a cancelled job's children): each is taken by one process, so hooks run once. Only a
     * manager that runs jobs takes them (a client, such as jobctl, has no hooks to run).
     */
    void publishCascadedCancels() {
        if (!workers.runsJobs()) {
            return;
        }
        List<JobStore.CascadedCancel> cancelled;
        do {
            cancelled = store.takeCascadedCancels(500);
            cancelled.forEach(c -> results.ended(c.id(), c.name(), JobStatus.CANCELLED, null, null));
        } while (cancelled.size() == 500);
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
