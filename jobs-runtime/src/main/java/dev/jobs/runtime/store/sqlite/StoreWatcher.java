package dev.jobs.runtime.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices changes other processes make to the database file. It reads SQLite's
 * {@code PRAGMA data_version} (a counter in shared memory, no table read) every interval, and only
 * when it moved calls {@code onChange}, which then looks at the few rows that matter: pause or
 * cancel requests for jobs running here, newly queued work, jobs finished elsewhere.
 */
public final class StoreWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreWatcher.class);

    private final Database database;
    private final Duration interval;
    private final Runnable onChange;
    private final Thread thread;
    private final Object identity;
    private volatile boolean closed;
    /** The last reaction to a change failed: later failures are not logged again until one works. */
    private boolean failing;

    public StoreWatcher(Database database, Duration interval, Runnable onChange) {
        this.database = database;
        this.identity = database.fileIdentity();
        this.interval = interval;
        this.onChange = onChange;
        this.thread = new Thread(this::loop, "jobs-watcher");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * Whether the file is still the one opened. A deleted or replaced file marks the database lost:
     * SQLite would go on writing to the unlinked file, and every "committed" write would vanish.
     */
    private boolean fileStillThere() {
        Object now = database.fileIdentity();
        if (identity == null
                || identity == Database.UNKNOWN_IDENTITY
                || now == Database.UNKNOWN_IDENTITY
                || java.util.Objects.equals(identity, now)) {
            return true; // unchanged, or not known either way (a stat that failed is no proof the file is gone)
        }
        String problem = "job database " + database.file() + " was deleted or replaced while this manager had it open; "
                + "nothing more is written to it and no job is claimed. Restore the file or stop this process, "
                + "then start a manager on the right file (jobs running here resume from their last checkpoint there)";
        database.markLost(new dev.jobs.runtime.StoreException(problem));
        LOG.error(problem);
        return false;
    }

    private void loop() {
        while (!closed && database.available()) {
            watchUntilError();
            if (!closed) {
                try {
                    Thread.sleep(1_000); // then open a new connection and go on
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void watchUntilError() {
        long last = Long.MIN_VALUE;
        try (Connection connection = database.openReader();
                Statement s = connection.createStatement()) {
            while (!closed) {
                if (!fileStillThere()) {
                    return;
                }
                long version;
                try (ResultSet rs = s.executeQuery("PRAGMA data_version")) {
                    rs.next();
                    version = rs.getLong(1);
                }
                if (version != last) {
                    last = version;
                    try {
                        onChange.run();
                        failing = false;
                    } catch (RuntimeException e) {
                        // not lost: the next poll reacts again (the version is forgotten), and the first failure is a
                        // WARN
                        last = Long.MIN_VALUE;
                        if (!failing) {
                            LOG.warn(
                                    "reacting to a database change failed ({}); retrying at every poll until it works",
                                    e.getMessage());
                        }
                        failing = true;
                    }
                }
                Thread.sleep(interval.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | RuntimeException e) {
            if (!closed) {
                LOG.warn("the job store watcher failed ({}); it starts again in a second", e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
