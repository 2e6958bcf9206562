package dev.jobs.postgres;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store's database can be reached, as the last connection attempts found it, and the
 * two log lines of an outage: one WARN naming the database when it becomes unreachable, one INFO
 * when it is back. While it is unreachable the store says it is not {@link
 * PostgresJobStore#available() available}, so that the engine claims nothing; the lease renewal
 * and the watcher keep trying, with their own periods and backoff, and the first of them the
 * database answers ends the outage (a connection from a pool is not an answer: the server may be
 * closing it).
 */
final class Reachability {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresJobStore.class);

    private final String describe;
    /** {@code System.currentTimeMillis()} when the outage began, 0 while reachable. */
    private final AtomicLong downSince = new AtomicLong();
    /** Outages begun (each logged once): for tests. */
    private final java.util.concurrent.atomic.AtomicInteger outages = new java.util.concurrent.atomic.AtomicInteger();

    Reachability(String describe) {
        this.describe = describe;
    }

    /**
     * Whether {@code e} says the server cannot be reached: SQLSTATE class 08 (connection
     * exception), a server shutting down, restarting or starting up (57P01, 57P02, 57P03), or a
     * pool that timed out waiting for a connection.
     */
    static boolean connectionLost(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return true; // a pool's timeout waiting for a connection (HikariCP's, for one)
        }
        for (SQLException s = e; s != null; s = s.getNextException()) {
            String state = s.getSQLState();
            if (state != null
                    && (state.startsWith("08")
                            || state.equals("57P01")
                            || state.equals("57P02")
                            || state.equals("57P03"))) {
                return true;
            }
        }
        return false;
    }

    boolean reachable() {
        return downSince.get() == 0;
    }

    /**
     * A connection failed: the first failure of an outage is logged (WARN), the others are not.
     * Returns the standard JDBC exception for a connection failure that may succeed on retry,
     * which the runtime recognises as an outage this store reports itself.
     */
    SQLTransientConnectionException lost(SQLException e) {
        if (downSince.compareAndSet(0, Math.max(1, System.currentTimeMillis()))) {
            outages.incrementAndGet();
            LOG.warn(
                    "the job database ({}) is unreachable ({}); the jobs' stored state is kept, this node claims no"
                            + " jobs and tries again with backoff until it is back",
                    describe,
                    e.getMessage());
        }
        return new SQLTransientConnectionException(e.getMessage(), e.getSQLState(), e);
    }

    /** How many outages began (each logged once). */
    int outages() {
        return outages.get();
    }

    /** The database answered (a statement ran, or failed with an error of its own): ends an outage (INFO). */
    void back() {
        if (downSince.get() == 0) {
            return;
        }
        long since = downSince.getAndSet(0);
        if (since != 0) {
            LOG.info(
                    "the job database ({}) is reachable again after {} ms; claiming resumes",
                    describe,
                    System.currentTimeMillis() - since);
        }
    }
}
