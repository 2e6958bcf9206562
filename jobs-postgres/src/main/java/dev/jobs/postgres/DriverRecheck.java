package dev.jobs.postgres;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.core.BaseConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the PostgreSQL JDBC driver's 1 ms wait out of every notification the {@link Watcher}
 * receives.
 *
 * <p>{@code PGConnection.getNotifications(timeout)} returns a notification only after asking the
 * socket whether another message follows, with a read that gives up after 1 ms when none does
 * ({@code PGStream.hasMessagePending}). The driver means to ask that way at most once a second,
 * but it records the time of the question only when the read returns, not when it times out, so
 * it asks after every notification: each one reached the manager 1.1 ms after its commit, more
 * than a third of the pickup latency the benchmark measured. Setting the time of the next such
 * question far ahead makes the driver answer from what is already received (its buffer and the
 * socket's), which is all a watcher needs: it waits for the next message in the blocking read of
 * {@code getNotifications(timeout)}, unchanged.
 *
 * <p>The field is the driver's own ({@code PGStream.nextStreamAvailableCheckTime}), reached by
 * reflection; {@code DriverRecheckTest} fails the build if the pinned driver no longer has it. With
 * another driver where it is missing, nothing changes but the wait. The old value is put back
 * before the connection returns to the pool.
 */
final class DriverRecheck {

    private static final Logger LOG = LoggerFactory.getLogger(DriverRecheck.class);

    private final Object stream;
    private final Field field;
    private final long before;

    private DriverRecheck(Object stream, Field field, long before) {
        this.stream = stream;
        this.field = field;
        this.before = before;
    }

    /**
     * Turns the wait off on {@code connection}'s socket; {@code null} when the driver has no such
     * field (the wait stays). Call {@link #restore} before the connection goes back to the pool.
     */
    static DriverRecheck turnOff(Connection connection) {
        try {
            Object executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
            Field streamField = field(executor.getClass(), "pgStream");
            Object stream = streamField.get(executor);
            Field next = field(stream.getClass(), "nextStreamAvailableCheckTime");
            long before = next.getLong(stream);
            next.setLong(stream, Long.MAX_VALUE);
            return new DriverRecheck(stream, next, before);
        } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
            LOG.debug("notifications keep the JDBC driver's 1 ms recheck ({})", e.toString());
            return null;
        }
    }

    /** Puts the driver's own value back. */
    void restore() {
        try {
            field.setLong(stream, before);
        } catch (IllegalAccessException | RuntimeException e) {
            LOG.debug("could not put the JDBC driver's recheck time back ({})", e.toString());
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // a superclass may declare it
            }
        }
        throw new NoSuchFieldException(type.getName() + "." + name);
    }
}
