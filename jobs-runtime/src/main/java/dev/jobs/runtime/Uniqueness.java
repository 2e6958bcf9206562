package dev.jobs.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a unique key ({@link DispatchOptions#uniqueKey(String, Uniqueness)}) keeps a second
 * dispatch with the same key from creating a second job. Immutable.
 *
 * <pre>{@code
 * // an API layer that retries its requests: the same request never makes two jobs
 * jobs.dispatchByName("sync", json, DispatchOptions.defaults().uniqueKey("sync:user:42"));
 * // at most one report per day, whatever happens to the first
 * DispatchOptions.defaults().uniqueKey("report:" + day, Uniqueness.forPeriod(Duration.ofDays(1)));
 * }</pre>
 */
public final class Uniqueness {

    /** Which rule a key follows. */
    public enum Scope {
        /** While the job holding the key is QUEUED, RUNNING or PAUSED (waiting for a retry included). */
        WHILE_ACTIVE,
        /** For a period after the job holding the key was dispatched, whatever its status. */
        PERIOD,
        /** For as long as the key is stored, whatever happens to the job. */
        FOREVER
    }

    private static final Uniqueness WHILE_ACTIVE = new Uniqueness(Scope.WHILE_ACTIVE, null);
    private static final Uniqueness FOREVER = new Uniqueness(Scope.FOREVER, null);

    private final Scope scope;
    private final Duration period;

    private Uniqueness(Scope scope, Duration period) {
        this.scope = scope;
        this.period = period;
    }

    /** The key is held while its job is active: once it has finished, the key makes a new job. The default. */
    public static Uniqueness whileActive() {
        return WHILE_ACTIVE;
    }

    /**
     * The key is held for {@code period} after its job was dispatched.
     *
     * @throws IllegalArgumentException a period that is not positive
     */
    public static Uniqueness forPeriod(Duration period) {
        Objects.requireNonNull(period, "period");
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a uniqueness period must be positive: " + period);
        }
        return new Uniqueness(Scope.PERIOD, period);
    }

    /** The key is held for good: the key makes one job, ever (until the key is deleted with the database). */
    public static Uniqueness forever() {
        return FOREVER;
    }

    public Scope scope() {
        return scope;
    }

    /** The period of {@link Scope#PERIOD}, else null. */
    public Duration period() {
        return period;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Uniqueness u && scope == u.scope && Objects.equals(period, u.period);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, period);
    }

    @Override
    public String toString() {
        return scope == Scope.PERIOD ? "PERIOD(" + period + ")" : scope.name();
    }
}
