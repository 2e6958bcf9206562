package dev.jobs.runtime;

import dev.jobs.runtime.schedule.CronRule;
import dev.jobs.runtime.schedule.Durations;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * When a recurring job runs: on a cron expression in a time zone, at a fixed rate, or with a fixed
 * delay after the end of the previous run. An immutable value with a stable one-line text form
 * ({@link #text()}, read back by {@link #parse}), which is what is stored and what a command line
 * takes.
 *
 * <pre>{@code
 * Schedule nightly = Schedule.cron("0 2 * * *", ZoneId.of("Europe/Paris")); // 02:00 Paris time
 * Schedule weekdays = Schedule.cron("30 0 9 * * MON-FRI", ZoneId.of("America/New_York"));
 * Schedule rate = Schedule.every(Duration.ofMinutes(5));      // anchor, anchor+5m, anchor+10m...
 * Schedule delay = Schedule.fixedDelay(Duration.ofMinutes(5)); // 5 minutes after each run ends
 * Schedule same = Schedule.parse(nightly.text());             // "cron 0 2 * * * Europe/Paris"
 * }</pre>
 *
 * <p>A cron schedule names wall-clock times, so it needs a zone: "02:00" is a different instant in
 * Paris and in New York, and moves with daylight-saving time. On a day clocks spring forward, a
 * time in the skipped hour runs once when the hour ends (02:30 runs at 03:00); on a day they fall
 * back, a time in the repeated hour runs once, the first time. An expression whose hour field is
 * {@code *} (hourly, every minute...) follows real time instead: the skipped hour has no ticks and
 * the repeated hour has its ticks twice, as it is two real hours.
 *
 * <p>Rates and delays are durations, not wall-clock times, and have no zone. The smallest is one
 * second, the resolution of the schedules.
 */
public final class Schedule {

    /** The three ways a schedule places its ticks. */
    public enum Kind {
        /** Local times matching a cron expression in a zone ({@link Schedule#cron}). */
        CRON,
        /** A fixed rate from the anchor: anchor, anchor + interval, ... ({@link Schedule#every}). */
        EVERY,
        /** A fixed pause after the end of each run ({@link Schedule#fixedDelay}). */
        FIXED_DELAY
    }

    private static final Duration MINIMUM = Duration.ofSeconds(1);

    private final Kind kind;
    private final String expression;
    private final ZoneId zone;
    private final Duration duration;

    private Schedule(Kind kind, String expression, ZoneId zone, Duration duration) {
        this.kind = kind;
        this.expression = expression;
        this.zone = zone;
        this.duration = duration;
    }

    /**
     * Ticks at the local times matching a cron expression in {@code zone}. The expression has 5
     * fields ({@code minute hour day-of-month month day-of-week}, as in crontab), or 6 with seconds
     * first ({@code "30 0 2 * * *"} is 02:00:30), or is one of the macros {@code @yearly @annually
     * @monthly @weekly @daily @midnight @hourly}. Day-of-week 0 and 7 are Sunday, names such as
     * {@code MON-FRI} and {@code JAN} are accepted, and when both day fields are restricted a day
     * matching either runs (crontab's rule). The expression is checked now, so a typo fails where the
     * schedule is written rather than at the first tick.
     *
     * @throws IllegalArgumentException quoting the expression and saying what is wrong with it
     */
    public static Schedule cron(String expression, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        CronRule rule = CronRule.parse(expression);
        return new Schedule(Kind.CRON, rule.expression(), zone, null);
    }

    /**
     * Ticks at a fixed rate: at the anchor (when the schedule was created) and every {@code
     * interval} after it, whatever how long each run takes. Arithmetic on instants, so daylight-saving
     * changes do not move it; use {@link #cron} for wall-clock times.
     *
     * @throws IllegalArgumentException if the interval is shorter than one second
     */
    public static Schedule every(Duration interval) {
        return new Schedule(Kind.EVERY, null, null, checked(interval, "every"));
    }

    /**
     * Ticks at the anchor, then {@code delay} after the end of each run: the runs never overlap and
     * a slow run pushes the next one back, as {@code ScheduledExecutorService.scheduleWithFixedDelay}
     * does.
     *
     * @throws IllegalArgumentException if the delay is shorter than one second
     */
    public static Schedule fixedDelay(Duration delay) {
        return new Schedule(Kind.FIXED_DELAY, null, null, checked(delay, "fixed-delay"));
    }

    private static Duration checked(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException(what + " " + d + " is shorter than the minimum of one second");
        }
        return d;
    }

    /**
     * Reads a schedule text: the form {@link #text()} writes ({@code cron 0 2 * * * Europe/Paris},
     * {@code every PT1M}, {@code fixed-delay PT5M}), and for people typing it, durations in short
     * units ({@code every 5m}, {@code every 1h30m}, {@code fixed-delay 90s}, units d h m s). The
     * zone of a cron text is its last word and is required.
     *
     * @throws IllegalArgumentException quoting the text and saying what is wrong
     */
    public static Schedule parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        int space = t.indexOf(' ');
        String keyword = (space < 0 ? t : t.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : t.substring(space + 1).strip();
        try {
            switch (keyword) {
                case "cron":
                    return parseCron(rest);
                case "every":
                    return every(duration(rest));
                case "fixed-delay":
                    return fixedDelay(duration(rest));
                default:
                    throw new IllegalArgumentException(
                            "it does not start with cron, every or fixed-delay (e.g. 'cron 0 2 * * * UTC',"
                                    + " 'every 5m', 'fixed-delay PT5M')");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule '" + text + "' is invalid: " + e.getMessage(), e);
        }
    }

    private static Duration duration(String rest) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("a duration is missing (e.g. PT5M or 5m)");
        }
        return Durations.parse(rest);
    }

    private static Schedule parseCron(String rest) {
        int last = rest.lastIndexOf(' ');
        if (last < 0) {
            throw new IllegalArgumentException(
                    "expected a cron expression followed by a time zone (e.g. 'cron 0 2 * * * Europe/Paris')");
        }
        String zoneText = rest.substring(last + 1);
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneText);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException(
                    "the last word, '" + zoneText + "', is not a time zone (e.g. UTC or Europe/Paris)", e);
        }
        return cron(rest.substring(0, last), zone);
    }

    /**
     * The one-line text of this schedule, read back by {@link #parse} into an equal schedule: {@code
     * cron <expression> <zone id>}, {@code every <ISO-8601 duration>} or {@code fixed-delay
     * <ISO-8601 duration>}. Stable across versions, as it is stored.
     */
    public String text() {
        switch (kind) {
            case CRON:
                return "cron " + expression + " " + zone.getId();
            case EVERY:
                return "every " + duration;
            default:
                return "fixed-delay " + duration;
        }
    }

    /** How the ticks are placed. */
    public Kind kind() {
        return kind;
    }

    /**
     * Whether ticks are counted from the end of the previous run (a {@link #fixedDelay} schedule)
     * rather than from the clock alone: such a schedule has no tick while a run is active.
     */
    public boolean isFixedDelay() {
        return kind == Kind.FIXED_DELAY;
    }

    /** The cron expression (white space normalised, macros as written), for a cron schedule. */
    public Optional<String> expression() {
        return Optional.ofNullable(expression);
    }

    /** The zone of a cron schedule's local times; empty for rates and delays, which need none. */
    public Optional<ZoneId> zone() {
        return Optional.ofNullable(zone);
    }

    /** The interval of an {@link #every} schedule or the delay of a {@link #fixedDelay} one. */
    public Optional<Duration> interval() {
        return Optional.ofNullable(duration);
    }

    /** Equal when of the same kind with the same expression text and zone, or the same duration. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Schedule)) {
            return false;
        }
        Schedule other = (Schedule) o;
        return kind == other.kind
                && Objects.equals(expression, other.expression)
                && Objects.equals(zone, other.zone)
                && Objects.equals(duration, other.duration);
    }

    /** Consistent with {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(kind, expression, zone, duration);
    }

    /** The {@link #text()}. */
    @Override
    public String toString() {
        return text();
    }
}
