package dev.jobs.runtime.store;

import static dev.jobs.JobStatus.CANCELLED;
import static dev.jobs.JobStatus.COMPLETED;
import static dev.jobs.JobStatus.FAILED;
import static dev.jobs.JobStatus.PAUSED;
import static dev.jobs.JobStatus.QUEUED;
import static dev.jobs.JobStatus.RUNNING;
import static dev.jobs.JobStatus.WAITING;

import dev.jobs.JobStatus;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every status change a job can make, defined once: the statuses it may start from, the statuses it
 * may end in, whether it is a write of the run holding the claim (fenced by {@link Claim}), and
 * the event it publishes. A store guards each write with exactly these source statuses (the
 * conformance suite checks every transition from every other status); the engine and the
 * manager's control flow ask this table what is allowed.
 *
 * <p>A terminal status (COMPLETED, FAILED, CANCELLED) is the source of no transition.
 */
public enum Transition {
    /** A worker process takes a queued job; the row gets a new fencing token. Publishes nothing yet. */
    CLAIM(EnumSet.of(QUEUED), EnumSet.of(RUNNING), false, "none (Started when the run starts)"),
    /** The run of a claim starts: the attempt is counted. */
    START(EnumSet.of(RUNNING), EnumSet.of(RUNNING), true, "Started"),
    /** The run saves its state. */
    CHECKPOINT(EnumSet.of(RUNNING), EnumSet.of(RUNNING), true, "Checkpointed (progress)"),
    /** The run ends with an output. */
    COMPLETE(EnumSet.of(RUNNING), EnumSet.of(COMPLETED), true, "Completed"),
    /** The run ends with an error, or its state could not be read or saved for a one-shot job. */
    FAIL(EnumSet.of(RUNNING), EnumSet.of(FAILED), true, "Failed"),
    /** The run stops without finishing: back to the queue, or to PAUSED/CANCELLED if one is asked. */
    STOP(EnumSet.of(RUNNING), EnumSet.of(QUEUED, PAUSED, CANCELLED), true, "Paused or Cancelled, or none"),
    /**
     * The run failed and its retry policy has attempts left: back to the queue with a run time (the
     * backoff), keeping its last checkpoint (or the state as dispatched, for a policy that
     * restarts); to PAUSED/CANCELLED if one is asked.
     */
    RETRY(EnumSet.of(RUNNING), EnumSet.of(QUEUED, PAUSED, CANCELLED), true, "RetryScheduled (or Paused or Cancelled)"),
    /**
     * The run waits for its children ({@code ctx.awaitChildren()}) with its state saved: WAITING
     * while one of them is active, else back to the queue at once; to PAUSED/CANCELLED if one is
     * pending. The end of its last child queues a WAITING job again (a store does that in the
     * child's terminal write).
     */
    WAIT(EnumSet.of(RUNNING), EnumSet.of(WAITING, QUEUED, PAUSED, CANCELLED), true, "none (Queued again later)"),
    /** A claim whose run never started is given back: no attempt counted. */
    RELEASE(EnumSet.of(RUNNING), EnumSet.of(QUEUED, PAUSED, CANCELLED), true, "Paused or Cancelled, or none"),
    /** A queued job is paused at once; a running one is asked to ({@link Control#PAUSE}). */
    PAUSE(EnumSet.of(QUEUED, RUNNING), EnumSet.of(PAUSED), false, "Paused"),
    /** A paused job goes back to the queue. */
    RESUME(EnumSet.of(PAUSED), EnumSet.of(QUEUED), false, "Resumed"),
    /**
     * A queued, paused or waiting job is cancelled at once; a running one is asked to
     * ({@link Control#CANCEL}). Cancelling a job cancels its active children and, in a chain, the
     * steps after it (a store does that in the same write).
     */
    CANCEL(EnumSet.of(QUEUED, PAUSED, WAITING, RUNNING), EnumSet.of(CANCELLED), false, "Cancelled"),
    /** A job whose owner is gone: its claim back to the queue, or FAILED (one-shot, or a poison job). */
    RECOVER(EnumSet.of(RUNNING), EnumSet.of(QUEUED, PAUSED, CANCELLED, FAILED), false, "none (Started again later)");

    private final Set<JobStatus> from;
    private final Set<JobStatus> to;
    private final boolean fenced;
    private final String event;

    Transition(Set<JobStatus> from, Set<JobStatus> to, boolean fenced, String event) {
        this.from = java.util.Collections.unmodifiableSet(from);
        this.to = java.util.Collections.unmodifiableSet(to);
        this.fenced = fenced;
        this.event = event;
    }

    /** The statuses this transition may start from; from any other it changes nothing. */
    public Set<JobStatus> from() {
        return from;
    }

    /** The statuses it may end in. */
    public Set<JobStatus> to() {
        return to;
    }

    /** Whether it is a write of the run holding the claim, guarded by owner and fencing token too. */
    public boolean fenced() {
        return fenced;
    }

    /** The event it publishes, for readers of this table. */
    public String event() {
        return event;
    }

    /** Whether a job in {@code status} may make this transition. */
    public boolean allowedFrom(JobStatus status) {
        return from.contains(status);
    }
}
