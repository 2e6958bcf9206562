package dev.jobs.runtime.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.runtime.Schedule;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Fixed-rate and fixed-delay ticks. */
class TicksEveryTest {

    private static final Instant ANCHOR = Instant.parse("2026-01-01T00:00:00.123Z");

    @Test
    void theFirstTickIsTheAnchor() {
        assertThat(Ticks.next(Schedule.every(Duration.ofMinutes(5)), ANCHOR, ANCHOR.minusSeconds(100)))
                .isEqualTo(ANCHOR);
    }

    @Test
    void nextIsStrictlyAfterATick() {
        Schedule s = Schedule.every(Duration.ofMinutes(5));
        assertThat(Ticks.next(s, ANCHOR, ANCHOR.plus(Duration.ofMinutes(10))))
                .isEqualTo(ANCHOR.plus(Duration.ofMinutes(15)));
    }

    @Test
    void ticksStayOnTheAnchorsGridOverALongGap() {
        Schedule s = Schedule.every(Duration.ofMinutes(90));
        Instant after = ANCHOR.plus(Duration.ofDays(1000)).plusSeconds(1);
        // 1000 days are 16000 intervals of 90 minutes exactly
        assertThat(Ticks.next(s, ANCHOR, after))
                .isEqualTo(ANCHOR.plus(Duration.ofMinutes(90).multipliedBy(16_001)));
    }

    @Test
    void ticksKeepTheAnchorsFractionOfASecond() {
        Schedule s = Schedule.every(Duration.ofSeconds(7));
        assertThat(Ticks.next(s, ANCHOR, ANCHOR.plusSeconds(20))).isEqualTo(ANCHOR.plusSeconds(21));
    }

    @Test
    void aCenturyOfSecondsIsStillArithmetic() {
        Schedule s = Schedule.every(Duration.ofSeconds(1));
        Instant after = ANCHOR.plus(Duration.ofDays(36_525)).plusMillis(500);
        assertThat(Ticks.next(s, ANCHOR, after))
                .isEqualTo(ANCHOR.plus(Duration.ofDays(36_525)).plusSeconds(1));
    }

    @Test
    void fixedDelayFirstTickIsTheAnchor() {
        assertThat(Ticks.nextAfterEnd(Schedule.fixedDelay(Duration.ofMinutes(5)), ANCHOR, null))
                .isEqualTo(ANCHOR);
    }

    @Test
    void fixedDelayTicksTheDelayAfterTheEndOfTheRun() {
        Instant end = ANCHOR.plus(Duration.ofMinutes(17));
        assertThat(Ticks.nextAfterEnd(Schedule.fixedDelay(Duration.ofMinutes(5)), ANCHOR, end))
                .isEqualTo(ANCHOR.plus(Duration.ofMinutes(22)));
    }

    @Test
    void fixedDelayIsDueOnceItsTickHasCome() {
        Instant end = ANCHOR.plus(Duration.ofMinutes(17));
        Due d = Ticks.dueAfterEnd(
                Schedule.fixedDelay(Duration.ofMinutes(5)), ANCHOR, end, end.plus(Duration.ofHours(3)));
        assertThat(d.times()).containsExactly(ANCHOR.plus(Duration.ofMinutes(22)));
        assertThat(d.next()).isEmpty();
    }

    @Test
    void fixedDelayIsNotDueBeforeItsTick() {
        Instant end = ANCHOR.plus(Duration.ofMinutes(17));
        Due d = Ticks.dueAfterEnd(Schedule.fixedDelay(Duration.ofMinutes(5)), ANCHOR, end, end.plusSeconds(60));
        assertThat(d.times()).isEmpty();
        assertThat(d.next()).contains(ANCHOR.plus(Duration.ofMinutes(22)));
    }

    @Test
    void fixedDelayHasNoTimelineForNext() {
        assertThatThrownBy(() -> Ticks.next(Schedule.fixedDelay(Duration.ofMinutes(5)), ANCHOR, ANCHOR))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fixed-delay");
    }

    @Test
    void nextAfterEndRejectsARateSchedule() {
        assertThatThrownBy(() -> Ticks.nextAfterEnd(Schedule.every(Duration.ofMinutes(5)), ANCHOR, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a fixed-delay schedule");
    }
}
