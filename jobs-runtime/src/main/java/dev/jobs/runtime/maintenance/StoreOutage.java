package dev.jobs.runtime.maintenance;

import java.sql.SQLTransientConnectionException;

/**
 * Recognises a failure that only says the store's database cannot be reached for now: a cause
 * that is the standard JDBC {@link SQLTransientConnectionException}. A store that throws it logs
 * the outage itself, once when it begins and once when it ends (the PostgreSQL store does), so
 * the engine and the background tasks log such failures at DEBUG instead of a warning per attempt.
 */
public final class StoreOutage {

    private StoreOutage() {}

    /** Whether {@code failure} (or one of its causes) is a transient connection failure. */
    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t.getCause() == t) {
                return false;
            }
        }
        return false;
    }
}
