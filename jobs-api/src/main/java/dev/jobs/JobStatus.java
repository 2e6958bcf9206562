package dev.jobs;

/**
 * Where a job is in its lifecycle.
 *
 * <pre>
 *            ┌──────────── resume ────────────┐
 *            ▼                                │
 * dispatch ─▶ QUEUED ──▶ RUNNING ──▶ pause ─▶ PAUSED
 *            │            │
 *            │            └──▶ COMPLETED | FAILED | CANCELLED
 *            └─ pause ─▶ PAUSED,  cancel ─▶ CANCELLED (also from PAUSED)
 *
 * RUNNING ── awaitChildren ─▶ WAITING ── last child ends ─▶ QUEUED
 * a chain's later step:       WAITING ── step before COMPLETED ─▶ QUEUED
 * </pre>
 *
 * A queued job can also be paused or cancelled before it starts. A terminal status is final: the
 * runtime never overwrites it.
 */
public enum JobStatus {
    /** Stored and waiting for a worker. */
    QUEUED,
    /** A worker is running it. */
    RUNNING,
    /**
     * Not runnable until other jobs end, holding no worker: a parent waiting for its children
     * ({@code ctx.awaitChildren()}), or a step of a chain waiting for the step before it. It is
     * queued again by the end of what it waits for; it can be cancelled, not paused.
     */
    WAITING,
    /** Stopped by a pause; its state is saved and {@code resume} queues it again. */
    PAUSED,
    /** Finished; its output is stored. */
    COMPLETED,
    /** Threw an exception, or was interrupted by a crash and is not resumable. */
    FAILED,
    /** Cancelled by a caller. */
    CANCELLED;

    /** {@code true} for COMPLETED, FAILED and CANCELLED: nothing happens to the job any more. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    /** {@code true} for QUEUED, RUNNING, WAITING and PAUSED: the job still has work to do. */
    public boolean isActive() {
        return !isTerminal();
    }
}
