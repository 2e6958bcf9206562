package dev.jobs.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock a test moves by hand. The harness's manager records job times with it, so retention and
 * anything else that looks at stored times can be tested without waiting. Moving the harness's
 * clock also tells its managers, so a delayed job, or a job waiting for a retry, that is due at
 * the new time runs at once.
 *
 * <pre>{@code
 * harness.clock().advance(Duration.ofDays(8));
 * assertThat(harness.manager().clean(Duration.ofDays(7)).jobs()).isEqualTo(1);
 * }</pre>
 */
public final class MutableClock extends Clock {
    private volatile Instant now;
    /** Told after every move: the harness's managers, which then look for jobs now due. */
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public MutableClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration duration) {
        synchronized (this) {
            now = now.plus(duration);
        }
        moved();
    }

    public void set(Instant instant) {
        now = Objects.requireNonNull(instant, "instant");
        moved();
    }

    /** Calls {@code listener} after every move until the returned handle is run. */
    Runnable onMove(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void moved() {
        for (Runnable listener : listeners) {
            listener.run();
        }
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
