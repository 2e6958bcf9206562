package dev.jobs;

/**
 * What a schedule does with the ticks it missed while nothing was ticking (the application was
 * down, or every manager was paused). A tick is missed when it is older than the ticker's grace
 * period at the time the ticker looks; the newest tick within the grace period is on time and
 * runs whatever the policy.
 *
 * <p>For example, an hourly sync down for a night (8 ticks missed) with {@code ONCE} runs one
 * sync when it comes back, scheduled at the latest missed hour; with {@code ALL} it runs eight,
 * one per hour, in order; with {@code SKIP} it runs none and waits for the next hour.
 */
public enum CatchUp {
    /**
     * Runs none of the missed ticks: the schedule carries on from the next tick in the future. For
     * work that only matters now, such as polling or refreshing a cache.
     */
    SKIP,
    /**
     * Runs one job now standing for all the missed ticks, scheduled at the latest of them. For work
     * that catches up by itself when run once, such as a sync of everything changed since the last
     * sync.
     */
    ONCE,
    /**
     * Runs a job for every missed tick, oldest first, each with its own scheduled time; at most the
     * ticker's cap of them, the oldest ones, the rest being dropped (and counted). For work where
     * each tick stands for its own period, such as one report per day.
     */
    ALL
}
