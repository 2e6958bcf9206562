package dev.jobs.runtime.execution;

import dev.jobs.ChildOutcome;
import dev.jobs.runtime.store.Claim;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a run needs to reach the jobs tied to it: its children ({@code ctx.dispatchChild},
 * {@code ctx.awaitChildren}) and, in a chain, the step before it ({@code ctx.previousOutput}).
 * The manager implements it with its dispatcher, so that a child is made exactly like any
 * dispatched job.
 */
public interface Relatives {

    /**
     * Stores {@code job} as a child of the run holding {@code parent}, under {@code childKey}, or
     * finds the child already stored under that key. Returns its id, or null if the run lost its
     * claim (nothing was stored).
     */
    UUID dispatchChild(Claim parent, dev.jobs.JobHandler<?> job, String childKey);

    /** The outcomes of a job's children, oldest first (a child still active has its current status). */
    List<ChildOutcome> children(UUID parent);

    /** The output of the chain step before {@code id}, read as {@code type}, if there is one. */
    <T> Optional<T> previousOutput(UUID id, Class<T> type);

    /** For a manager that runs no jobs. */
    Relatives NONE = new Relatives() {
        @Override
        public UUID dispatchChild(Claim parent, dev.jobs.JobHandler<?> job, String childKey) {
            throw new IllegalStateException("no child can be dispatched here");
        }

        @Override
        public List<ChildOutcome> children(UUID parent) {
            return List.of();
        }

        @Override
        public <T> Optional<T> previousOutput(UUID id, Class<T> type) {
            return Optional.empty();
        }
    };
}
