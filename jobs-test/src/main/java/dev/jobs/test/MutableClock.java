package dev.jobs.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves by hand. The harness's manager records job times with it, so retention and
 * anything else that looks at stored times can be tested without waiting.
 *
 * <pre>{@code
 * harness.clock().advance(Duration.ofDays(8));
 * assertThat(harness.manager().clean(Duration.ofDays(7)).jobs()).isEqualTo(1);
 * }</pre>
 */
public final class MutableClock extends Clock {
    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    public void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
