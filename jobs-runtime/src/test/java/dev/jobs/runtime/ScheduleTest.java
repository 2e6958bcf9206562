package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void cronTextNamesTheExpressionAndTheZone() {
        assertThat(Schedule.cron("0 2 * * *", PARIS).text()).isEqualTo("cron 0 2 * * * Europe/Paris");
    }

    @Test
    void cronTextRoundTrips() {
        Schedule s = Schedule.cron("30 0 9 * * MON-FRI", ZoneId.of("America/New_York"));
        assertThat(Schedule.parse(s.text())).isEqualTo(s).hasSameHashCodeAs(s);
    }

    @Test
    void macroTextRoundTrips() {
        Schedule s = Schedule.cron("@daily", ZoneId.of("UTC"));
        assertThat(s.text()).isEqualTo("cron @daily UTC");
        assertThat(Schedule.parse(s.text())).isEqualTo(s);
    }

    @Test
    void cronWithAnOffsetZoneRoundTrips() {
        Schedule s = Schedule.cron("0 2 * * *", ZoneOffset.ofHours(2));
        assertThat(s.text()).isEqualTo("cron 0 2 * * * +02:00");
        assertThat(Schedule.parse(s.text())).isEqualTo(s);
    }

    @Test
    void everyTextIsTheIsoDurationAndRoundTrips() {
        Schedule s = Schedule.every(Duration.ofMinutes(1));
        assertThat(s.text()).isEqualTo("every PT1M");
        assertThat(Schedule.parse(s.text())).isEqualTo(s);
    }

    @Test
    void fixedDelayTextIsTheIsoDurationAndRoundTrips() {
        Schedule s = Schedule.fixedDelay(Duration.ofMinutes(5));
        assertThat(s.text()).isEqualTo("fixed-delay PT5M");
        assertThat(Schedule.parse(s.text())).isEqualTo(s);
    }

    @Test
    void expressionWhiteSpaceIsNormalised() {
        assertThat(Schedule.cron("  0   2 * *\t* ", PARIS)).isEqualTo(Schedule.cron("0 2 * * *", PARIS));
    }

    @Test
    void parseAcceptsShortUnits() {
        assertThat(Schedule.parse("every 5m")).isEqualTo(Schedule.every(Duration.ofMinutes(5)));
        assertThat(Schedule.parse("every 90s")).isEqualTo(Schedule.every(Duration.ofSeconds(90)));
        assertThat(Schedule.parse("every 2d")).isEqualTo(Schedule.every(Duration.ofDays(2)));
        assertThat(Schedule.parse("fixed-delay 1h30m")).isEqualTo(Schedule.fixedDelay(Duration.ofMinutes(90)));
    }

    @Test
    void parseAcceptsAllUnitsTogetherAndAnyCase() {
        assertThat(Schedule.parse("EVERY 1D2H3M4S"))
                .isEqualTo(Schedule.every(
                        Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4)));
    }

    @Test
    void parseAcceptsIsoDurationsWithDays() {
        assertThat(Schedule.parse("every P1D")).isEqualTo(Schedule.every(Duration.ofDays(1)));
    }

    @Test
    void parseRejectsAnUnknownKind() {
        assertThatThrownBy(() -> Schedule.parse("hourly"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'hourly'")
                .hasMessageContaining("cron, every or fixed-delay");
    }

    @Test
    void parseRejectsACronWithoutZone() {
        assertThatThrownBy(() -> Schedule.parse("cron 0 2 * * *"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cron 0 2 * * *'")
                .hasMessageContaining("'*', is not a time zone");
    }

    @Test
    void parseRejectsAnUnknownZone() {
        assertThatThrownBy(() -> Schedule.parse("cron 0 2 * * * Mars/Olympus"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Mars/Olympus', is not a time zone");
    }

    @Test
    void parseRejectsAMissingDuration() {
        assertThatThrownBy(() -> Schedule.parse("every"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration is missing");
    }

    @Test
    void parseRejectsAnUnknownUnit() {
        assertThatThrownBy(() -> Schedule.parse("every 5x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'5x' is not understood");
    }

    @Test
    void parseRejectsABadIsoDuration() {
        assertThatThrownBy(() -> Schedule.parse("every PT5Q"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'PT5Q' is not a valid ISO-8601 duration");
    }

    @Test
    void parseRejectsAnOverflowingDuration() {
        assertThatThrownBy(() -> Schedule.parse("every 99999999999999999999d"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }

    @Test
    void parseRejectsAnIntervalUnderOneSecond() {
        assertThatThrownBy(() -> Schedule.parse("every PT0.5S"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter than the minimum of one second");
    }

    @Test
    void everyRejectsAnIntervalUnderOneSecond() {
        assertThatThrownBy(() -> Schedule.every(Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0.999S");
    }

    @Test
    void fixedDelayRejectsANegativeDelay() {
        assertThatThrownBy(() -> Schedule.fixedDelay(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fixed-delay PT-5S");
    }

    @Test
    void cronRejectsAValueOutOfRangeQuotingTheExpression() {
        assertThatThrownBy(() -> Schedule.cron("61 * * * *", PARIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'61 * * * *'")
                .hasMessageContaining("61 not in range [0, 59]");
    }

    @Test
    void cronRejectsTheWrongNumberOfFields() {
        assertThatThrownBy(() -> Schedule.cron("* * * *", PARIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'* * * *' has 4 fields: expected 5");
    }

    @Test
    void cronRejectsGarbage() {
        assertThatThrownBy(() -> Schedule.cron("a b c d e", PARIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'a b c d e' is invalid");
    }

    @Test
    void cronRejectsAnEmptyExpression() {
        assertThatThrownBy(() -> Schedule.cron("  ", PARIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is empty");
    }

    @Test
    void cronRejectsAnUnknownMacro() {
        assertThatThrownBy(() -> Schedule.cron("@fortnightly", PARIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'@fortnightly' is not a known macro");
    }

    @Test
    void cronRejectsAnExpressionThatNeverMatches() {
        assertThatThrownBy(() -> Schedule.cron("0 0 30 2 *", PARIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0 0 30 2 *' never matches");
    }

    @Test
    void cronRejectsQuartzOnlySyntax() {
        assertThatThrownBy(() -> Schedule.cron("0 0 0 L * *", PARIS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0 0 0 L * *'");
    }

    @Test
    void accessorsDescribeACron() {
        Schedule s = Schedule.cron("0 2 * * *", PARIS);
        assertThat(s.kind()).isEqualTo(Schedule.Kind.CRON);
        assertThat(s.zone()).contains(PARIS);
        assertThat(s.expression()).contains("0 2 * * *");
        assertThat(s.interval()).isEmpty();
        assertThat(s.isFixedDelay()).isFalse();
    }

    @Test
    void accessorsDescribeAFixedDelay() {
        Schedule s = Schedule.fixedDelay(Duration.ofMinutes(5));
        assertThat(s.kind()).isEqualTo(Schedule.Kind.FIXED_DELAY);
        assertThat(s.zone()).isEmpty();
        assertThat(s.interval()).contains(Duration.ofMinutes(5));
        assertThat(s.isFixedDelay()).isTrue();
    }

    @Test
    void schedulesOfDifferentKindsWithTheSameDurationDiffer() {
        assertThat(Schedule.every(Duration.ofMinutes(5))).isNotEqualTo(Schedule.fixedDelay(Duration.ofMinutes(5)));
    }

    @Test
    void cronsInDifferentZonesDiffer() {
        assertThat(Schedule.cron("0 2 * * *", PARIS)).isNotEqualTo(Schedule.cron("0 2 * * *", ZoneId.of("UTC")));
    }

    @Test
    void toStringIsTheText() {
        assertThat(Schedule.every(Duration.ofSeconds(30))).hasToString("every PT30S");
    }
}
