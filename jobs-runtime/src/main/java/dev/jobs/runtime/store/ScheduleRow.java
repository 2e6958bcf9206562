package dev.jobs.runtime.store;

/**
 * One stored recurring schedule. Times are epoch milliseconds or null.
 *
 * @param definition what the schedule does (as last upserted)
 * @param paused whether its ticks are held (no job is created while paused)
 * @param anchor where an {@code every} schedule counts its ticks from
 * @param lastTick the newest tick handled (a job created, dropped or made pending), or null: none yet
 * @param pendingTick a tick waiting for the schedule's active run to end (overlap QUEUE), or null
 * @param nextCheck when a ticker must look at it again; null: when a run of it ends
 * @param lastJob the id of the newest job it created, or null
 * @param dropped how many ticks it dropped (catch-up, cap or overlap)
 * @param version incremented by every change; a tick is a compare-and-set on it
 */
public record ScheduleRow(
        JobStore.ScheduleDefinition definition,
        boolean paused,
        long anchor,
        Long lastTick,
        Long pendingTick,
        Long nextCheck,
        String lastJob,
        long dropped,
        long version,
        long createdAt,
        long updatedAt) {

    public String name() {
        return definition.name();
    }
}
