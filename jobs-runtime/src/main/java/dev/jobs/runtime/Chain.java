package dev.jobs.runtime;

import dev.jobs.JobHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Jobs that run one after another, each only once the one before it COMPLETED: backup, then
 * prune, then compact. Built with {@link JobManager#chain(JobHandler)} and stored in one
 * transaction by {@link #dispatch()}, so a chain is stored whole or not at all.
 *
 * <pre>{@code
 * ChainHandle chain = jobs.chain(new Backup(repo))
 *         .then(new Prune(repo))
 *         .then(new Compact(repo))
 *         .options(DispatchOptions.defaults().resources("repo:" + repo))
 *         .dispatch();
 * chain.result().join(); // the last step's output
 * }</pre>
 *
 * <p>Why in the store and not in the host's code: the step after a completed one is queued in the
 * same transaction that records the completion, so a crash between two steps loses nothing and
 * runs nothing twice, and the chain goes on in whichever process is up. A step that FAILED or
 * was CANCELLED cancels the steps after it, unless the chain {@link #continueOnFailure()}. A step
 * reads the output of the step before it with {@code ctx.previousOutput(Type.class)}.
 */
public final class Chain {

    private final JobManager manager;
    private final List<JobHandler<?>> steps = new ArrayList<>();
    private DispatchOptions options = DispatchOptions.defaults();
    private boolean continueOnFailure;

    Chain(JobManager manager, JobHandler<?> first) {
        this.manager = manager;
        steps.add(Objects.requireNonNull(first, "first step"));
    }

    /** Adds a step that runs once the current last step has completed. */
    public Chain then(JobHandler<?> next) {
        steps.add(Objects.requireNonNull(next, "next step"));
        return this;
    }

    /**
     * Runs every step whatever the step before it did: a failed or cancelled step no longer
     * cancels the rest (cancelling the chain still does).
     */
    public Chain continueOnFailure() {
        this.continueOnFailure = true;
        return this;
    }

    /**
     * The options of every step: priority, retry policy, resources. A run time or delay applies to
     * the first step (the others follow it); a unique key is refused.
     */
    public Chain options(DispatchOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /** Stores the chain and returns its handle once it is committed. */
    public ChainHandle dispatch() {
        manager.ensureOpen("dispatch a chain");
        return manager.dispatchChain(List.copyOf(steps), options, continueOnFailure);
    }
}
