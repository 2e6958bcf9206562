package dev.jobs.runtime.store.sqlite;

import dev.jobs.runtime.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few connections for queries, separate from the writer's, so reads never wait for a commit
 * (WAL lets readers and the writer work at once).
 */
public final class ReadPool implements AutoCloseable {

    /** A query run on a pooled connection. */
    @FunctionalInterface
    public interface Read<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final Database database;
    private final BlockingQueue<Connection> idle;
    private final AtomicInteger opened = new AtomicInteger();
    private final int size;
    private volatile boolean closed;

    public ReadPool(Database database, int size) {
        this.database = database;
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    public <T> T read(Read<T> read) {
        if (closed) {
            throw new StoreException("the job store is closed");
        }
        database.ensureAvailable();
        Connection connection = borrow();
        try {
            return read.apply(connection);
        } catch (SQLException e) {
            throw database.translate("a query", e);
        } catch (org.jooq.exception.DataAccessException e) { // a jOOQ query: the driver's exception is inside
            if (e.getCause() instanceof SQLException sql) {
                throw database.translate("a query", sql);
            }
            throw new StoreException("job database " + database.file() + ": a query failed: " + e.getMessage(), e);
        } finally {
            if (closed || !idle.offer(connection)) {
                closeQuietly(connection);
            }
        }
    }

    private Connection borrow() {
        Connection connection = idle.poll();
        if (connection != null) {
            return connection;
        }
        if (opened.incrementAndGet() <= size) {
            try {
                return database.openReader();
            } catch (RuntimeException e) {
                opened.decrementAndGet(); // the slot stays free for the next try
                throw e;
            }
        }
        opened.decrementAndGet();
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection");
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Connection c; (c = idle.poll()) != null; ) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
