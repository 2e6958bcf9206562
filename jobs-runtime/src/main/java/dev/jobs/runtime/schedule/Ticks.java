package dev.jobs.runtime.schedule;

import dev.jobs.CatchUp;
import dev.jobs.runtime.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When the ticks of a {@link Schedule} happen: pure functions of their arguments, with every
 * instant passed in (no clock), for the ticker and for tests.
 *
 * <p>The anchor is the instant the schedule was created. An {@code every} schedule ticks at
 * {@code anchor + k * interval} for k = 0, 1, ...; a cron schedule ticks at its matching times at
 * or after the anchor; a fixed-delay schedule ticks at the anchor and then {@code delay} after the
 * end of each run ({@link #nextAfterEnd}).
 *
 * <p>The cost does not grow with the length of a downtime for {@code SKIP} and {@code ONCE}: an
 * {@code every} schedule is pure arithmetic, and a cron schedule counts at most {@link
 * #COUNT_LIMIT} ticks and finds the latest missed one by searching back from now in doubling
 * windows.
 */
public final class Ticks {

    /** Counting the missed ticks of a cron schedule stops here (see {@link Due#droppedExact()}). */
    public static final int COUNT_LIMIT = 1_000;

    private Ticks() {}

    /**
     * The first tick strictly after {@code after}, or null if a cron expression matches no later
     * time it can compute.
     *
     * @throws IllegalArgumentException for a fixed-delay schedule, whose ticks depend on its runs
     *     ({@link #nextAfterEnd})
     */
    public static Instant next(Schedule s, Instant anchor, Instant after) {
        return line(s, anchor).next(after);
    }

    /**
     * The tick of a fixed-delay schedule: the anchor if it has never run, else {@code delay} after
     * the end of the previous run.
     *
     * @param previousEnd when the previous run ended; null if none has
     */
    public static Instant nextAfterEnd(Schedule s, Instant anchor, Instant previousEnd) {
        if (!s.isFixedDelay()) {
            throw new IllegalArgumentException("not a fixed-delay schedule: " + s);
        }
        Objects.requireNonNull(anchor, "anchor");
        return previousEnd == null ? anchor : previousEnd.plus(s.interval().orElseThrow());
    }

    /**
     * What a fixed-delay schedule does now: one job if its tick ({@link #nextAfterEnd}) has come,
     * else nothing until that tick. Call it only when no run of the schedule is active; there is no
     * catch-up, as a fixed-delay schedule never has more than one pending tick.
     */
    public static Due dueAfterEnd(Schedule s, Instant anchor, Instant previousEnd, Instant now) {
        Instant tick = nextAfterEnd(s, anchor, previousEnd);
        if (tick.isAfter(now)) {
            return new Due(List.of(), null, 0, true, Optional.of(tick));
        }
        return new Due(List.of(tick), tick, 0, true, Optional.empty());
    }

    /**
     * What a cron or {@code every} schedule does now.
     *
     * <p>The ticks after {@code lastTick} (or at and after the anchor if it is null) up to and
     * including {@code now} have come. The newest of them is on time if it is at most {@code grace}
     * before now, and then runs whatever the policy (a ticker waking a little late is not a
     * downtime); the others are missed, and {@code policy} says which become jobs: none ({@code
     * SKIP}), one at the latest missed tick ({@code ONCE}, also covering the on-time tick if there
     * is one), or each of them in order ({@code ALL}) up to {@code cap} jobs in all, the oldest
     * ones, so that what runs is a contiguous stretch from where the schedule stopped.
     *
     * @param lastTick the {@link Due#lastTick()} of the previous call; null if never ticked
     * @param grace how late the newest tick may be and still count as on time (zero: only exactly)
     * @param cap the most jobs {@code ALL} creates at once, at least 1
     * @throws IllegalArgumentException for a fixed-delay schedule ({@link #dueAfterEnd}), a cap
     *     below 1 or a negative grace
     */
    public static Due due(
            Schedule s, Instant anchor, Instant lastTick, Instant now, CatchUp policy, int cap, Duration grace) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(grace, "grace");
        if (cap < 1) {
            throw new IllegalArgumentException("cap " + cap + " is below 1");
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace " + grace + " is negative");
        }
        Line line = line(s, anchor);
        // ticks strictly after `from`: a never-ticked schedule counts a tick exactly at the anchor
        Instant from = lastTick != null ? lastTick : anchor.minusNanos(1);
        Instant first = line.next(from);
        if (first == null || first.isAfter(now)) {
            return new Due(List.of(), lastTick, 0, true, Optional.ofNullable(first));
        }
        Instant second = line.next(first);
        if (second == null || second.isAfter(now)) {
            // exactly one tick has come, the common case of a ticker on time: no search needed
            boolean onTime = !first.isBefore(now.minus(grace));
            List<Instant> one = policy == CatchUp.SKIP && !onTime ? List.of() : List.of(first);
            return new Due(one, first, 1 - one.size(), true, Optional.ofNullable(second));
        }
        Optional<Instant> next = Optional.ofNullable(line.next(now));
        Instant latest = line.latest(from, now);
        boolean onTime = !latest.isBefore(now.minus(grace));
        List<Instant> times = new ArrayList<>();
        switch (policy) {
            case SKIP:
                if (onTime) {
                    times.add(latest);
                }
                break;
            case ONCE:
                times.add(latest);
                break;
            default:
                Instant t = first;
                while (t != null && !t.isAfter(now) && times.size() < cap) {
                    times.add(t);
                    t = line.next(t);
                }
                break;
        }
        Count count = line.count(from, now);
        return new Due(times, latest, Math.max(0, count.ticks() - times.size()), count.exact(), next);
    }

    private static Line line(Schedule s, Instant anchor) {
        Objects.requireNonNull(s, "schedule");
        Objects.requireNonNull(anchor, "anchor");
        switch (s.kind()) {
            case CRON:
                return new CronLine(
                        CronRule.parse(s.expression().orElseThrow()), s.zone().orElseThrow(), anchor);
            case EVERY:
                return new EveryLine(anchor, s.interval().orElseThrow());
            default:
                throw new IllegalArgumentException("a fixed-delay schedule ticks after the end of its runs"
                        + " (Ticks.nextAfterEnd), not on a timeline: " + s);
        }
    }

    /** The ticks of a schedule that does not depend on its runs. */
    private interface Line {
        /** The first tick strictly after {@code after}, or null. */
        Instant next(Instant after);

        /** The newest tick in (from, now], given that there is one. */
        Instant latest(Instant from, Instant now);

        /** The number of ticks in (from, now]. */
        Count count(Instant from, Instant now);
    }

    /** A number of ticks, exact or (when counting stopped at {@link #COUNT_LIMIT}) a lower bound. */
    private record Count(long ticks, boolean exact) {}

    /** anchor + k * interval, k >= 0: arithmetic. */
    private static final class EveryLine implements Line {
        private final Instant anchor;
        private final Duration interval;

        EveryLine(Instant anchor, Duration interval) {
            this.anchor = anchor;
            this.interval = interval;
        }

        /** The index of the newest tick at or before t, -1 if t is before the anchor. */
        private long index(Instant t) {
            if (t.isBefore(anchor)) {
                return -1;
            }
            return Duration.between(anchor, t).dividedBy(interval);
        }

        private Instant tick(long k) {
            return anchor.plus(interval.multipliedBy(k));
        }

        @Override
        public Instant next(Instant after) {
            return tick(index(after) + 1);
        }

        @Override
        public Instant latest(Instant from, Instant now) {
            return tick(index(now));
        }

        @Override
        public Count count(Instant from, Instant now) {
            return new Count(index(now) - index(from), true);
        }
    }

    /**
     * Next ticks already computed: many schedules share an expression and are looked at the same
     * instant (all "0 * * * *" schedules at the top of the hour), and a computation is pure.
     */
    private static final java.util.Map<NextKey, Instant> NEXT = new java.util.concurrent.ConcurrentHashMap<>();

    private record NextKey(CronRule rule, ZoneId zone, Instant after) {}

    /** The matching times of a cron expression in a zone, at or after the anchor. */
    private static final class CronLine implements Line {
        private final CronRule rule;
        private final ZoneId zone;
        private final Instant before;

        CronLine(CronRule rule, ZoneId zone, Instant anchor) {
            this.rule = rule;
            this.zone = zone;
            this.before = anchor.minusNanos(1);
        }

        @Override
        public Instant next(Instant after) {
            Instant from = after.isBefore(before) ? before : after;
            NextKey key = new NextKey(rule, zone, from);
            Instant known = NEXT.get(key);
            if (known != null) {
                return known;
            }
            Instant next = rule.next(zone, from);
            if (next != null) {
                if (NEXT.size() >= 4_096) {
                    NEXT.clear(); // a crude bound: the entries that matter come back at once
                }
                NEXT.put(key, next);
            }
            return next;
        }

        @Override
        public Instant latest(Instant from, Instant now) {
            // the newest tick is in the first window back from now that has one: windows of 1 s, 2 s,
            // 4 s... cost a few dozen next() calls plus the ticks of the last window
            Duration window = Duration.ofSeconds(1);
            while (true) {
                Instant low = now.minus(window);
                if (!low.isAfter(from)) {
                    low = from;
                }
                Instant t = next(low);
                if (t != null && !t.isAfter(now)) {
                    Instant last = t;
                    while ((t = next(last)) != null && !t.isAfter(now)) {
                        last = t;
                    }
                    return last;
                }
                if (low.equals(from)) {
                    throw new IllegalStateException("no tick in (" + from + ", " + now + "]");
                }
                window = window.multipliedBy(2);
            }
        }

        @Override
        public Count count(Instant from, Instant now) {
            long n = 0;
            Instant t = next(from);
            while (t != null && !t.isAfter(now)) {
                if (n == COUNT_LIMIT) {
                    return new Count(n, false);
                }
                n++;
                t = next(t);
            }
            return new Count(n, true);
        }
    }
}
