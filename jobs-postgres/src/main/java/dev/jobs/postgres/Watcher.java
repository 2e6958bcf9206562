package dev.jobs.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices commits of other connections and nodes: {@code LISTEN} on the schema's channel (a trigger
 * notifies it after every change of jobs or schedules) on a connection of its own, held while it
 * watches. Notifications can be lost (a dropped connection, a pool that resets it), so it also
 * calls back after {@link #FALLBACK} or the watch interval, whichever is longer, without one: the
 * polling fallback. When listening fails it tries again with backoff (up to {@link #MAX_BACKOFF});
 * meanwhile it calls back every interval while the database answers, and not at all while it is
 * {@link Reachability unreachable} (the outage is logged once by the store; it calls back when it
 * listens again, for whatever changed meanwhile).
 */
final class Watcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Watcher.class);

    /** The longest time without a callback, whatever the notifications. */
    static final Duration FALLBACK = Duration.ofSeconds(2);

    /** The longest wait between two attempts to listen again. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final javax.sql.DataSource dataSource;
    private final String channel;
    private final String describe;
    private final long intervalMillis;
    private final long fallbackNanos;
    private final Reachability reachability;
    private final Runnable onChange;
    private final BooleanSupplier storeClosed;
    private final Thread thread;
    private volatile boolean closed;

    Watcher(
            javax.sql.DataSource dataSource,
            String channel,
            String describe,
            Duration interval,
            Runnable onChange,
            BooleanSupplier storeClosed,
            Reachability reachability) {
        this.dataSource = dataSource;
        this.channel = channel;
        this.describe = describe;
        this.intervalMillis = Math.max(1, interval.toMillis());
        this.fallbackNanos = Math.max(FALLBACK.toNanos(), interval.toNanos());
        this.reachability = reachability;
        this.onChange = onChange;
        this.storeClosed = storeClosed;
        this.thread = new Thread(this::loop, "jobs-postgres-watcher");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private boolean stopped() {
        return closed || storeClosed.getAsBoolean();
    }

    private void loop() {
        long backoff = 100;
        while (!stopped()) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
                }
                reachability.back();
                backoff = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                DriverRecheck recheck = DriverRecheck.turnOff(c);
                try {
                    callBack(); // whatever happened while not listening
                    long lastCall = System.nanoTime();
                    while (!stopped()) {
                        // a short wait, so that close() returns soon
                        PGNotification[] notes = pg.getNotifications((int) Math.min(intervalMillis, 250));
                        boolean due = System.nanoTime() - lastCall >= fallbackNanos;
                        if ((notes != null && notes.length > 0) || due) {
                            callBack();
                            lastCall = System.nanoTime();
                        }
                    }
                } finally {
                    if (recheck != null) {
                        recheck.restore();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped()) {
                    return;
                }
                if (e instanceof SQLException sql && Reachability.connectionLost(sql)) {
                    reachability.lost(sql); // logged once per outage, by the store
                    LOG.debug(
                            "listening for changes on {} failed ({}); again in {} ms",
                            describe,
                            e.getMessage(),
                            backoff);
                } else {
                    LOG.warn(
                            "listening for changes on {} failed ({}); polling every {} ms and listening again in {} ms",
                            describe,
                            e.getMessage(),
                            intervalMillis,
                            backoff);
                }
                long until = System.currentTimeMillis() + backoff;
                while (!stopped() && System.currentTimeMillis() < until) {
                    if (reachability.reachable()) {
                        callBack();
                    }
                    sleep(Math.min(intervalMillis, backoff));
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    private void callBack() {
        if (stopped()) {
            return;
        }
        try {
            onChange.run();
        } catch (RuntimeException e) {
            LOG.debug("a reaction to a change failed: {}", e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
