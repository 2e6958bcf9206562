package dev.jobs;

/**
 * What a tick does when the previous run of the same schedule is still active (queued or
 * running), say a job every minute that once takes five. fixed-delay schedules ({@code Schedule.fixedDelay} in the runtime)
 * never overlap, as their next tick is counted from the end of the run.
 *
 * <p>For example, an import every minute that once takes five: with {@code SKIP} the four ticks
 * during the long run create nothing; with {@code QUEUE} one import runs right after the long one;
 * with {@code ALLOW} four more imports start while the first is still running.
 */
public enum Overlap {
    /**
     * Drops the tick: no job is created for it, and the schedule waits for its next tick. For work
     * that must not run concurrently and catches up on its own.
     */
    SKIP,
    /**
     * Keeps the tick and creates its job when the active run ends, so no tick is lost to a slow
     * run; at most one tick waits (later ones are dropped while one is waiting), so a run that is
     * always slower than the rate does not pile up an unbounded backlog.
     */
    QUEUE,
    /**
     * Creates the tick's job at once, running alongside the active one. For independent work where
     * each tick matters and runs do not interfere.
     */
    ALLOW
}
