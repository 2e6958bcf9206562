package dev.jobs.runtime;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A stored recurring schedule as {@link Schedules#list()} shows it.
 *
 * @param spec what it does
 * @param paused whether its ticks are held
 * @param nextCheck when a manager looks at it next: its next tick, or now if a tick is due; empty
 *     while paused, or while a fixed-delay or queued tick waits for the active run to end
 * @param lastTick the newest tick handled (a job created, dropped or queued)
 * @param pendingTick a tick waiting for the active run to end ({@code Overlap.QUEUE})
 * @param lastJob the newest job it created
 * @param droppedTicks how many ticks it dropped (catch-up, cap, overlap)
 */
public record ScheduleInfo(
        ScheduleSpec spec,
        boolean paused,
        Optional<Instant> nextCheck,
        Optional<Instant> lastTick,
        Optional<Instant> pendingTick,
        Optional<UUID> lastJob,
        long droppedTicks) {

    public String name() {
        return spec.name();
    }
}
