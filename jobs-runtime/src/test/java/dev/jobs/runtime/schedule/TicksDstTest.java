package dev.jobs.runtime.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.runtime.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cron ticks across the 2026 daylight-saving transitions. Europe/Paris: 29 March 02:00 -> 03:00,
 * 25 October 03:00 -> 02:00. America/New_York: 8 March 02:00 -> 03:00, 1 November 02:00 -> 01:00.
 */
class TicksDstTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Instant ANCHOR = Instant.parse("2026-01-01T00:00:00Z");

    /** An instant written as local time with its offset and zone, e.g. 2026-03-29T03:00+02:00. */
    private static Instant local(String text, ZoneId zone) {
        return ZonedDateTime.parse(text + "[" + zone.getId() + "]").toInstant();
    }

    private static List<Instant> ticks(String expression, ZoneId zone, Instant from, Instant to) {
        Schedule s = Schedule.cron(expression, zone);
        List<Instant> out = new ArrayList<>();
        for (Instant t = Ticks.next(s, ANCHOR, from); !t.isAfter(to); t = Ticks.next(s, ANCHOR, t)) {
            out.add(t);
        }
        return out;
    }

    private static List<Instant> hourly(Instant first, int n) {
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(first.plus(Duration.ofHours(i)));
        }
        return out;
    }

    @Test
    void parisTimeInTheSpringGapRunsOnceWhenTheGapEnds() {
        assertThat(ticks(
                        "30 2 * * *",
                        PARIS,
                        local("2026-03-28T12:00+01:00", PARIS),
                        local("2026-03-30T12:00+02:00", PARIS)))
                .containsExactly(local("2026-03-29T03:00+02:00", PARIS), local("2026-03-30T02:30+02:00", PARIS));
    }

    @Test
    void parisSpringGapTickIsThreeOClockLocal() {
        Instant t = Ticks.next(Schedule.cron("30 2 * * *", PARIS), ANCHOR, local("2026-03-28T12:00+01:00", PARIS));
        assertThat(t).isEqualTo(local("2026-03-29T03:00+02:00", PARIS));
    }

    @Test
    void newYorkTimeInTheSpringGapRunsOnceWhenTheGapEnds() {
        assertThat(ticks(
                        "30 2 * * *",
                        NEW_YORK,
                        local("2026-03-07T12:00-05:00", NEW_YORK),
                        local("2026-03-09T12:00-04:00", NEW_YORK)))
                .containsExactly(local("2026-03-08T03:00-04:00", NEW_YORK), local("2026-03-09T02:30-04:00", NEW_YORK));
    }

    @Test
    void allTimesInTheSpringGapRunOnceTogether() {
        // every quarter of the skipped hour: one tick, at 03:00
        assertThat(ticks(
                        "*/15 2 * * *",
                        NEW_YORK,
                        local("2026-03-08T00:00-05:00", NEW_YORK),
                        local("2026-03-08T23:00-04:00", NEW_YORK)))
                .containsExactly(local("2026-03-08T03:00-04:00", NEW_YORK));
    }

    @Test
    void aShiftedTickDoesNotDoubleTheTickAtTheEndOfTheGap() {
        assertThat(ticks(
                        "0 1-3 * * *",
                        PARIS,
                        local("2026-03-29T00:00+01:00", PARIS),
                        local("2026-03-29T12:00+02:00", PARIS)))
                .containsExactly(local("2026-03-29T01:00+01:00", PARIS), local("2026-03-29T03:00+02:00", PARIS));
    }

    @Test
    void parisRepeatedTimeRunsOnceTheFirstTime() {
        assertThat(ticks(
                        "30 2 * * *",
                        PARIS,
                        local("2026-10-24T12:00+02:00", PARIS),
                        local("2026-10-26T12:00+01:00", PARIS)))
                .containsExactly(local("2026-10-25T02:30+02:00", PARIS), local("2026-10-26T02:30+01:00", PARIS));
    }

    @Test
    void parisRepeatedTimeDoesNotRunAgainWhenAskedDuringTheSecondPass() {
        Instant t = Ticks.next(Schedule.cron("30 2 * * *", PARIS), ANCHOR, local("2026-10-25T02:15+01:00", PARIS));
        assertThat(t).isEqualTo(local("2026-10-26T02:30+01:00", PARIS));
    }

    @Test
    void parisRepeatedTimeDoesNotRunAgainWhenAskedAfterTheFirstOccurrence() {
        // cron-utils alone answers 02:30+01:00 the same day: a second run of a daily job
        Instant t = Ticks.next(Schedule.cron("30 2 * * *", PARIS), ANCHOR, local("2026-10-25T02:45+02:00", PARIS));
        assertThat(t).isEqualTo(local("2026-10-26T02:30+01:00", PARIS));
    }

    @Test
    void newYorkRepeatedTimeDoesNotRunAgainWhenAskedAfterTheFirstOccurrence() {
        Instant t =
                Ticks.next(Schedule.cron("30 1 * * *", NEW_YORK), ANCHOR, local("2026-11-01T01:45-04:00", NEW_YORK));
        assertThat(t).isEqualTo(local("2026-11-02T01:30-05:00", NEW_YORK));
    }

    @Test
    void newYorkRepeatedTimeRunsOnceTheFirstTime() {
        assertThat(ticks(
                        "30 1 * * *",
                        NEW_YORK,
                        local("2026-10-31T12:00-04:00", NEW_YORK),
                        local("2026-11-02T12:00-05:00", NEW_YORK)))
                .containsExactly(local("2026-11-01T01:30-04:00", NEW_YORK), local("2026-11-02T01:30-05:00", NEW_YORK));
    }

    @Test
    void parisHourlyRunsEveryRealHourOnceAcrossSpringForward() {
        Instant from = local("2026-03-28T22:00+01:00", PARIS);
        List<Instant> t = ticks("0 * * * *", PARIS, from, from.plus(Duration.ofHours(8)));
        assertThat(t).isEqualTo(hourly(from.plus(Duration.ofHours(1)), 8));
        assertThat(t).contains(local("2026-03-29T01:00+01:00", PARIS), local("2026-03-29T03:00+02:00", PARIS));
    }

    @Test
    void parisHourlyRunsEveryRealHourOnceAcrossFallBack() {
        Instant from = local("2026-10-24T22:00+02:00", PARIS);
        List<Instant> t = ticks("0 * * * *", PARIS, from, from.plus(Duration.ofHours(8)));
        assertThat(t).isEqualTo(hourly(from.plus(Duration.ofHours(1)), 8));
        assertThat(t).contains(local("2026-10-25T02:00+02:00", PARIS), local("2026-10-25T02:00+01:00", PARIS));
    }

    @Test
    void newYorkHourlyRunsEveryRealHourOnceAcrossSpringForward() {
        Instant from = local("2026-03-07T22:00-05:00", NEW_YORK);
        assertThat(ticks("0 * * * *", NEW_YORK, from, from.plus(Duration.ofHours(8))))
                .isEqualTo(hourly(from.plus(Duration.ofHours(1)), 8));
    }

    @Test
    void newYorkHourlyRunsEveryRealHourOnceAcrossFallBack() {
        Instant from = local("2026-10-31T22:00-04:00", NEW_YORK);
        List<Instant> t = ticks("0 * * * *", NEW_YORK, from, from.plus(Duration.ofHours(8)));
        assertThat(t).isEqualTo(hourly(from.plus(Duration.ofHours(1)), 8));
        assertThat(t).contains(local("2026-11-01T01:00-04:00", NEW_YORK), local("2026-11-01T01:00-05:00", NEW_YORK));
    }

    @Test
    void hourlyAskedFromTheFirstPassOfTheRepeatedHourGetsTheSecondPass() {
        // 02:50 summer time; the next real hour is 02:00 winter time, local time going backwards
        Instant t = Ticks.next(Schedule.cron("0 * * * *", PARIS), ANCHOR, local("2026-10-25T02:50+02:00", PARIS));
        assertThat(t).isEqualTo(local("2026-10-25T02:00+01:00", PARIS));
    }

    @Test
    void everyMinuteOfTheSkippedHourIsSkippedInRealTime() {
        Instant from = local("2026-03-29T01:58+01:00", PARIS);
        assertThat(ticks("* * * * *", PARIS, from, from.plus(Duration.ofMinutes(3))))
                .containsExactly(
                        local("2026-03-29T01:59+01:00", PARIS),
                        local("2026-03-29T03:00+02:00", PARIS),
                        local("2026-03-29T03:01+02:00", PARIS));
    }

    @Test
    void everyAtFixedRateIgnoresTheTransition() {
        Instant anchor = local("2026-03-28T12:00+01:00", PARIS);
        Instant t = Ticks.next(Schedule.every(Duration.ofDays(1)), anchor, anchor);
        assertThat(t).isEqualTo(local("2026-03-29T13:00+02:00", PARIS));
    }
}
