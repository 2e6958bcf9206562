package dev.jobs.runtime;

import dev.jobs.JobStatus;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A dispatched {@link Chain}: its id, its steps, and the chain as a whole (status, progress,
 * cancel). {@link JobManager#findChain(UUID)} gives one for a chain dispatched earlier, for
 * example by another process.
 */
public final class ChainHandle {

    private final JobManager manager;
    private final UUID id;
    private final List<JobHandle<?>> steps;

    ChainHandle(JobManager manager, UUID id, List<JobHandle<?>> steps) {
        this.manager = manager;
        this.id = id;
        this.steps = List.copyOf(steps);
    }

    /** The chain's id, which every step carries ({@link JobInfo#chain()}). */
    public UUID id() {
        return id;
    }

    /** Its steps, in order. */
    public List<JobHandle<?>> steps() {
        return steps;
    }

    /** A snapshot of the chain: status, progress and each step. */
    public ChainInfo info() {
        return manager.chainInfo(id);
    }

    /** The chain's status ({@link ChainInfo#status()}). */
    public JobStatus status() {
        return info().status();
    }

    /**
     * Cancels the chain: every step that has not ended (the running one at its next interrupt
     * point, the ones waiting at once). Steps that ended stay as they are.
     */
    public void cancel() {
        manager.cancelChain(id);
    }

    /**
     * Completes with the last step's output when it completes; fails with the step's failure if a
     * step before it fails or is cancelled (it is then cancelled).
     */
    public CompletableFuture<?> result() {
        return steps.get(steps.size() - 1).result();
    }
}
