package dev.jobs.runtime.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.CatchUp;
import dev.jobs.runtime.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is due after a downtime, for each catch-up policy. */
class TicksDueTest {

    private static final Instant ANCHOR = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Schedule MINUTELY = Schedule.every(Duration.ofMinutes(1));
    private static final Schedule MINUTELY_CRON = Schedule.cron("* * * * *", ZoneOffset.UTC);

    /** Ticked at the anchor, then down: the ticks at minutes 1..10 were missed; now is 10m30s. */
    private static final Instant NOW = ANCHOR.plus(Duration.ofSeconds(630));

    private static Instant minute(int m) {
        return ANCHOR.plus(Duration.ofMinutes(m));
    }

    private static List<Instant> minutes(int from, int to) {
        List<Instant> out = new ArrayList<>();
        for (int m = from; m <= to; m++) {
            out.add(minute(m));
        }
        return out;
    }

    private static Due due(Schedule s, CatchUp policy, int cap) {
        return Ticks.due(s, ANCHOR, ANCHOR, NOW, policy, cap, GRACE);
    }

    @Test
    void skipAfterTenMissedTicksRunsNothingAndWaitsForTheNextTick() {
        Due d = due(MINUTELY, CatchUp.SKIP, 100);
        assertThat(d.times()).isEmpty();
        assertThat(d.next()).contains(minute(11));
        assertThat(d.lastTick()).isEqualTo(minute(10));
        assertThat(d.dropped()).isEqualTo(10);
    }

    @Test
    void onceAfterTenMissedTicksRunsOneAtTheLatestMissedTick() {
        Due d = due(MINUTELY, CatchUp.ONCE, 100);
        assertThat(d.times()).containsExactly(minute(10));
        assertThat(d.next()).contains(minute(11));
        assertThat(d.dropped()).isEqualTo(9);
    }

    @Test
    void allAfterTenMissedTicksRunsTenInOrder() {
        Due d = due(MINUTELY, CatchUp.ALL, 100);
        assertThat(d.times()).isEqualTo(minutes(1, 10));
        assertThat(d.lastTick()).isEqualTo(minute(10));
        assertThat(d.dropped()).isZero();
        assertThat(d.droppedExact()).isTrue();
    }

    @Test
    void allKeepsTheOldestTicksUpToTheCapAndCountsTheRest() {
        Due d = due(MINUTELY, CatchUp.ALL, 3);
        assertThat(d.times()).containsExactly(minute(1), minute(2), minute(3));
        assertThat(d.dropped()).isEqualTo(7);
        assertThat(d.lastTick()).isEqualTo(minute(10));
    }

    @Test
    void cronSkipAfterTenMissedTicksRunsNothing() {
        Due d = due(MINUTELY_CRON, CatchUp.SKIP, 100);
        assertThat(d.times()).isEmpty();
        assertThat(d.next()).contains(minute(11));
        assertThat(d.dropped()).isEqualTo(10);
    }

    @Test
    void cronOnceAfterTenMissedTicksRunsOneAtTheLatest() {
        Due d = due(MINUTELY_CRON, CatchUp.ONCE, 100);
        assertThat(d.times()).containsExactly(minute(10));
        assertThat(d.lastTick()).isEqualTo(minute(10));
    }

    @Test
    void cronAllAfterTenMissedTicksRunsTenInOrder() {
        Due d = due(MINUTELY_CRON, CatchUp.ALL, 100);
        assertThat(d.times()).isEqualTo(minutes(1, 10));
        assertThat(d.next()).contains(minute(11));
    }

    @Test
    void cronAllKeepsTheOldestTicksUpToTheCap() {
        Due d = due(MINUTELY_CRON, CatchUp.ALL, 4);
        assertThat(d.times()).isEqualTo(minutes(1, 4));
        assertThat(d.dropped()).isEqualTo(6);
        assertThat(d.droppedExact()).isTrue();
    }

    @Test
    void aTickWithinTheGraceRunsEvenWhenSkipping() {
        Due d = Ticks.due(MINUTELY, ANCHOR, minute(9), minute(10).plusSeconds(2), CatchUp.SKIP, 100, GRACE);
        assertThat(d.times()).containsExactly(minute(10));
        assertThat(d.dropped()).isZero();
    }

    @Test
    void theOnTimeTickRunsExactlyWithZeroGrace() {
        Due d = Ticks.due(MINUTELY, ANCHOR, minute(9), minute(10), CatchUp.SKIP, 100, Duration.ZERO);
        assertThat(d.times()).containsExactly(minute(10));
    }

    @Test
    void skipRunsTheOnTimeTickButNotTheMissedOnesBeforeIt() {
        Due d = Ticks.due(MINUTELY, ANCHOR, ANCHOR, minute(10).plusSeconds(1), CatchUp.SKIP, 100, GRACE);
        assertThat(d.times()).containsExactly(minute(10));
        assertThat(d.dropped()).isEqualTo(9);
    }

    @Test
    void nothingIsDueBeforeTheNextTick() {
        Due d = Ticks.due(MINUTELY, ANCHOR, minute(3), minute(3).plusSeconds(20), CatchUp.ALL, 100, GRACE);
        assertThat(d.times()).isEmpty();
        assertThat(d.next()).contains(minute(4));
        assertThat(d.lastTick()).isEqualTo(minute(3));
        assertThat(d.dropped()).isZero();
    }

    @Test
    void aNeverTickedRateSchedulesTicksAtTheAnchor() {
        Due d = Ticks.due(MINUTELY, ANCHOR, null, ANCHOR, CatchUp.ONCE, 100, GRACE);
        assertThat(d.times()).containsExactly(ANCHOR);
        assertThat(d.next()).contains(minute(1));
    }

    @Test
    void aNeverTickedScheduleBeforeItsFirstTickHasNothingDue() {
        Schedule nightly = Schedule.cron("0 2 * * *", ZoneOffset.UTC);
        Due d = Ticks.due(nightly, ANCHOR, null, ANCHOR.plusSeconds(60), CatchUp.ALL, 100, GRACE);
        assertThat(d.times()).isEmpty();
        assertThat(d.lastTick()).isNull();
        assertThat(d.next()).contains(Instant.parse("2026-01-01T02:00:00Z"));
    }

    @Test
    void aNeverTickedCronCountsATickExactlyAtTheAnchor() {
        Due d = Ticks.due(MINUTELY_CRON, ANCHOR, null, ANCHOR, CatchUp.ONCE, 100, GRACE);
        assertThat(d.times()).containsExactly(ANCHOR);
    }

    @Test
    void aMonthOfPerSecondRateTicksIsArithmetic() {
        Schedule perSecond = Schedule.every(Duration.ofSeconds(1));
        Instant now = ANCHOR.plus(Duration.ofDays(30)).plusMillis(300);
        Due d = Ticks.due(perSecond, ANCHOR, ANCHOR, now, CatchUp.ONCE, 100, GRACE);
        assertThat(d.times()).containsExactly(ANCHOR.plus(Duration.ofDays(30)));
        assertThat(d.dropped()).isEqualTo(30L * 86_400 - 1);
        assertThat(d.droppedExact()).isTrue();
        assertThat(d.next()).contains(ANCHOR.plus(Duration.ofDays(30)).plusSeconds(1));
    }

    @Test
    void aMonthOfPerSecondRateTicksWithAllStopsAtTheCap() {
        Schedule perSecond = Schedule.every(Duration.ofSeconds(1));
        Instant now = ANCHOR.plus(Duration.ofDays(30));
        Due d = Ticks.due(perSecond, ANCHOR, ANCHOR, now, CatchUp.ALL, 5, GRACE);
        assertThat(d.times()).hasSize(5).startsWith(ANCHOR.plusSeconds(1)).endsWith(ANCHOR.plusSeconds(5));
        assertThat(d.dropped()).isEqualTo(30L * 86_400 - 5);
    }

    @Test
    void aMonthOfPerSecondCronTicksFindsTheLatestWithoutCountingThemAll() {
        Schedule perSecond = Schedule.cron("* * * * * *", ZoneOffset.UTC);
        Instant now = ANCHOR.plus(Duration.ofDays(30)).plusMillis(300);
        Due d = Ticks.due(perSecond, ANCHOR, ANCHOR, now, CatchUp.ONCE, 100, GRACE);
        assertThat(d.times()).containsExactly(ANCHOR.plus(Duration.ofDays(30)));
        assertThat(d.droppedExact()).isFalse();
        assertThat(d.dropped()).isEqualTo(Ticks.COUNT_LIMIT - 1);
        assertThat(d.next()).contains(ANCHOR.plus(Duration.ofDays(30)).plusSeconds(1));
    }

    @Test
    void theLatestMissedTickOfASparseCronIsFoundFarBack() {
        Schedule yearly = Schedule.cron("@yearly", ZoneOffset.UTC);
        Instant now = Instant.parse("2031-06-01T00:00:00Z");
        Due d = Ticks.due(yearly, ANCHOR, ANCHOR, now, CatchUp.ONCE, 100, GRACE);
        assertThat(d.times()).containsExactly(Instant.parse("2031-01-01T00:00:00Z"));
        assertThat(d.dropped()).isEqualTo(4);
        assertThat(d.next()).contains(Instant.parse("2032-01-01T00:00:00Z"));
    }

    @Test
    void aCapBelowOneIsRejected() {
        assertThatThrownBy(() -> Ticks.due(MINUTELY, ANCHOR, null, NOW, CatchUp.ALL, 0, GRACE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cap 0");
    }

    @Test
    void aNegativeGraceIsRejected() {
        assertThatThrownBy(() -> Ticks.due(MINUTELY, ANCHOR, null, NOW, CatchUp.ALL, 10, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("grace PT-1S is negative");
    }

    @Test
    void dueRejectsAFixedDelaySchedule() {
        Schedule delay = Schedule.fixedDelay(Duration.ofMinutes(1));
        assertThatThrownBy(() -> Ticks.due(delay, ANCHOR, null, NOW, CatchUp.ALL, 10, GRACE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nextAfterEnd");
    }
}
