package dev.jobs.runtime.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.runtime.Schedule;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ticks of cron schedules away from daylight-saving transitions. */
class TicksCronTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Instant ANCHOR = Instant.parse("2026-01-01T00:00:00Z");

    private static Instant next(String expression, ZoneId zone, Instant after) {
        return Ticks.next(Schedule.cron(expression, zone), ANCHOR, after);
    }

    private static List<Instant> ticks(String expression, ZoneId zone, Instant after, int n) {
        List<Instant> out = new ArrayList<>();
        Instant t = after;
        for (int i = 0; i < n; i++) {
            t = next(expression, zone, t);
            out.add(t);
        }
        return out;
    }

    @Test
    void fiveFieldsRunAtTheLocalTimeInTheZone() {
        assertThat(next("0 2 * * *", ZoneId.of("Europe/Paris"), Instant.parse("2026-06-10T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-06-11T00:00:00Z"));
    }

    @Test
    void nextIsStrictlyAfterATickItself() {
        assertThat(next("0 2 * * *", UTC, Instant.parse("2026-06-11T02:00:00Z")))
                .isEqualTo(Instant.parse("2026-06-12T02:00:00Z"));
    }

    @Test
    void nextIsStrictlyAfterAnInstantWithinTheTickSecond() {
        assertThat(next("0 2 * * *", UTC, Instant.parse("2026-06-11T02:00:00.5Z")))
                .isEqualTo(Instant.parse("2026-06-12T02:00:00Z"));
    }

    @Test
    void aSixthFieldIsSecondsFirst() {
        assertThat(next("30 0 2 * * *", UTC, Instant.parse("2026-06-10T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-06-11T02:00:30Z"));
    }

    @Test
    void everySecondCronTicksEachSecond() {
        assertThat(ticks("* * * * * *", UTC, Instant.parse("2026-06-10T12:00:00.250Z"), 3))
                .containsExactly(
                        Instant.parse("2026-06-10T12:00:01Z"),
                        Instant.parse("2026-06-10T12:00:02Z"),
                        Instant.parse("2026-06-10T12:00:03Z"));
    }

    @Test
    void dayOfWeekSevenAndZeroAreBothSunday() {
        Instant after = Instant.parse("2026-06-10T12:00:00Z"); // a Wednesday
        Instant seven = next("0 0 * * 7", UTC, after);
        assertThat(seven).isEqualTo(next("0 0 * * 0", UTC, after));
        assertThat(seven.atZone(UTC).getDayOfWeek()).isEqualTo(DayOfWeek.SUNDAY);
    }

    @Test
    void dayNamesAreAccepted() {
        List<Instant> t = ticks("0 9 * * MON-FRI", UTC, Instant.parse("2026-06-12T12:00:00Z"), 2); // a Friday
        assertThat(t).containsExactly(Instant.parse("2026-06-15T09:00:00Z"), Instant.parse("2026-06-16T09:00:00Z"));
    }

    @Test
    void monthNamesAreAccepted() {
        assertThat(next("0 0 1 JAN *", UTC, Instant.parse("2026-06-10T12:00:00Z")))
                .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEitherAsCrontabDoes() {
        // the 13th or any Friday
        assertThat(ticks("0 0 13 * FRI", UTC, Instant.parse("2026-11-26T12:00:00Z"), 3))
                .containsExactly(
                        Instant.parse("2026-11-27T00:00:00Z"),
                        Instant.parse("2026-12-04T00:00:00Z"),
                        Instant.parse("2026-12-11T00:00:00Z"));
    }

    @Test
    void yearlyAndAnnuallyRunOnTheFirstOfJanuary() {
        Instant after = Instant.parse("2026-06-10T12:00:00Z");
        assertThat(next("@yearly", UTC, after)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(next("@annually", UTC, after)).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    }

    @Test
    void monthlyRunsOnTheFirstOfTheMonth() {
        assertThat(next("@monthly", UTC, Instant.parse("2026-06-10T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-07-01T00:00:00Z"));
    }

    @Test
    void weeklyRunsOnSundayMidnight() {
        assertThat(next("@weekly", UTC, Instant.parse("2026-06-10T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-06-14T00:00:00Z"));
    }

    @Test
    void dailyAndMidnightRunAtLocalMidnight() {
        ZoneId tokyo = ZoneId.of("Asia/Tokyo");
        Instant after = Instant.parse("2026-06-10T12:00:00Z");
        assertThat(next("@daily", tokyo, after)).isEqualTo(Instant.parse("2026-06-10T15:00:00Z"));
        assertThat(next("@midnight", tokyo, after)).isEqualTo(Instant.parse("2026-06-10T15:00:00Z"));
    }

    @Test
    void hourlyRunsOnTheHour() {
        assertThat(next("@hourly", UTC, Instant.parse("2026-06-10T12:34:56Z")))
                .isEqualTo(Instant.parse("2026-06-10T13:00:00Z"));
    }

    @Test
    void macrosAreCaseInsensitive() {
        assertThat(next("@DAILY", UTC, Instant.parse("2026-06-10T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-06-11T00:00:00Z"));
    }

    @Test
    void theTwentyNinthOfFebruaryWaitsForALeapYear() {
        assertThat(next("0 0 29 2 *", UTC, Instant.parse("2026-06-10T12:00:00Z")))
                .isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
    }

    @Test
    void noTickBeforeTheAnchor() {
        Instant anchor = Instant.parse("2026-06-10T12:00:00Z");
        Instant t = Ticks.next(Schedule.cron("0 0 * * *", UTC), anchor, Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(t).isEqualTo(ZonedDateTime.parse("2026-06-11T00:00:00Z").toInstant());
    }
}
