package dev.jobs.runtime.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a ticker does now for one schedule: the jobs to create and when to look again.
 *
 * @param times the scheduled times of the jobs to create now, oldest first (empty, one, or
 *     several for {@code CatchUp.ALL})
 * @param lastTick the tick to record as handled, the newest tick at or before now (null when none
 *     has come yet); the next call passes it back, so that ticks dropped by the policy or the cap
 *     are not offered again
 * @param dropped how many ticks up to now are not in {@code times}: skipped by the policy, folded
 *     into one by {@code ONCE}, or beyond the cap of {@code ALL}
 * @param droppedExact whether {@code dropped} is exact; counting the ticks of a cron expression
 *     stops at {@link Ticks#COUNT_LIMIT}, and then {@code dropped} is a lower bound
 * @param next the first tick after now, when to look again; empty when there is none (a cron
 *     expression past the years it can match, or a fixed-delay schedule waiting for its run to end)
 */
public record Due(List<Instant> times, Instant lastTick, long dropped, boolean droppedExact, Optional<Instant> next) {

    /** Copies the list; checks the arguments. */
    public Due {
        times = List.copyOf(times);
        Objects.requireNonNull(next, "next");
    }
}
