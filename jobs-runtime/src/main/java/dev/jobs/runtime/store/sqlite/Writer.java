package dev.jobs.runtime.store.sqlite;

import dev.jobs.runtime.StoreException;
import dev.jobs.runtime.store.StoreFutures;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of the store, with group commit: callers on any thread submit operations; one
 * thread takes everything queued (up to a batch size), runs it in one {@code BEGIN IMMEDIATE}
 * transaction, commits once, and only then completes each caller's future. Many dispatches,
 * transitions and checkpoints thus share one commit (one fsync in FULL mode).
 *
 * <p>Each operation runs inside its own savepoint, so one failing operation (a constraint, a bug)
 * fails only its own caller; the others in the batch still commit.
 */
public final class Writer implements AutoCloseable {

    /** One unit of work run on the writer thread inside the current transaction. */
    @FunctionalInterface
    public interface Op<T> {
        T apply(Tx tx) throws SQLException;
    }

    /** The writer's view of the open transaction: prepared statements are cached across commits. */
    public static final class Tx {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Tx(Connection connection) {
            this.connection = connection;
        }

        public PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }

        public Connection connection() {
            return connection;
        }

        void closeStatements() {
            for (PreparedStatement s : statements.values()) {
                try {
                    s.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            statements.clear();
        }
    }

    /** {@code atomic}: a single statement, which SQLite applies whole or not at all, so it needs no savepoint. */
    private record Request<T>(Op<T> op, CompletableFuture<T> future, boolean atomic, Runnable onCommit) {}

    private static final Logger LOG = LoggerFactory.getLogger(Writer.class);
    private static final Request<Void> STOP = new Request<>(tx -> null, new CompletableFuture<>(), true, null);

    private final Database database;
    private final Connection connection;
    private final Tx tx;
    private final BlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final Thread thread;
    private volatile boolean closed;

    public Writer(Database database, Connection connection, int maxBatch, String threadName) {
        this.database = database;
        this.connection = connection;
        this.tx = new Tx(connection);
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues {@code op}; the future completes after the transaction that ran it commits. */
    public <T> CompletableFuture<T> submit(Op<T> op) {
        return submit(op, false, null);
    }

    /**
     * Like {@link #submit}, and runs {@code onCommit} on the writer thread once the op is
     * committed, before its future and those of later ops complete: what it publishes comes
     * before anything a later write makes happen.
     */
    public <T> CompletableFuture<T> submit(Op<T> op, Runnable onCommit) {
        return submit(op, false, onCommit);
    }

    /**
     * Queues an {@code op} that runs exactly one statement. It skips the savepoint: SQLite undoes a
     * failed statement by itself.
     */
    public <T> CompletableFuture<T> submitStatement(Op<T> op) {
        return submit(op, true, null);
    }

    /** {@link #submitStatement} with an {@code onCommit} as in {@link #submit(Op, Runnable)}. */
    public <T> CompletableFuture<T> submitStatement(Op<T> op, Runnable onCommit) {
        return submit(op, true, onCommit);
    }

    private final Object gate = new Object();

    private <T> CompletableFuture<T> submit(Op<T> op, boolean atomic, Runnable onCommit) {
        CompletableFuture<T> future = new CompletableFuture<>();
        synchronized (gate) { // never behind STOP: close() takes the same lock to enqueue it
            if (closed) {
                future.completeExceptionally(new StoreException("the job store is closed"));
                return future;
            }
            queue.add(new Request<>(op, future, atomic, onCommit));
        }
        return future;
    }

    /** Runs {@code op} in the next commit and waits for it. */
    public <T> T execute(Op<T> op) {
        return StoreFutures.await(submit(op));
    }

    private void loop() {
        List<Request<?>> batch = new ArrayList<>(maxBatch);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() stops the writer
            }
            queue.drainTo(batch, maxBatch - 1);
            if (removeStop(batch)) {
                stopping = true;
                queue.drainTo(batch); // finish everything submitted before close
            }
            if (!batch.isEmpty()) {
                runBatch(batch);
            }
            batch.clear();
        }
        for (Request<?> late; (late = queue.poll()) != null; ) {
            late.future().completeExceptionally(new StoreException("the job store is closed"));
        }
        tx.closeStatements();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the job store writer connection failed", e);
        }
    }

    /** Removes the close request from {@code batch} (by identity: no equals of every request), if it is there. */
    private static boolean removeStop(List<Request<?>> batch) {
        for (int i = batch.size() - 1; i >= 0; i--) {
            if (batch.get(i) == STOP) {
                batch.remove(i);
                return true;
            }
        }
        return false;
    }

    private void runBatch(List<Request<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        if (!database.available()) {
            for (Request<?> request : batch) {
                request.future().completeExceptionally(new StoreException(lostMessage()));
            }
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            for (Request<?> request : batch) {
                results.add(runOne(s, request));
            }
            s.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            RuntimeException failure =
                    e instanceof SQLException sql ? database.translate("a write", sql) : (RuntimeException) e;
            for (Request<?> request : batch) {
                request.future().completeExceptionally(failure);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
    }

    private String lostMessage() {
        try {
            database.ensureAvailable();
            return "the job database is unavailable";
        } catch (StoreException e) {
            return e.getMessage();
        }
    }

    private static final Object FAILED = new Object();

    private Object runOne(Statement s, Request<?> request) throws SQLException {
        if (request.atomic()) {
            try {
                return request.op().apply(tx);
            } catch (SQLException e) {
                if (rollsBackTransaction(e)) {
                    throw e; // SQLite may have rolled back the whole transaction: fail the batch
                }
                request.future().completeExceptionally(database.translate("a write", e));
                return FAILED;
            } catch (RuntimeException e) {
                request.future().completeExceptionally(e);
                return FAILED;
            }
        }
        s.execute("SAVEPOINT op");
        try {
            Object result = request.op().apply(tx);
            s.execute("RELEASE op");
            return result;
        } catch (SQLException | RuntimeException e) {
            s.execute("ROLLBACK TO op");
            s.execute("RELEASE op");
            request.future()
                    .completeExceptionally(e instanceof SQLException sql ? database.translate("a write", sql) : e);
            return FAILED;
        }
    }

    /** Errors after which SQLite may roll back the whole transaction, not just the statement. */
    private static boolean rollsBackTransaction(SQLException e) {
        if (e instanceof org.sqlite.SQLiteException sqlite && sqlite.getResultCode() != null) {
            String code = sqlite.getResultCode().name();
            return code.startsWith("SQLITE_FULL")
                    || code.startsWith("SQLITE_IOERR")
                    || code.startsWith("SQLITE_BUSY")
                    || code.startsWith("SQLITE_NOMEM")
                    || code.startsWith("SQLITE_CORRUPT")
                    || code.startsWith("SQLITE_READONLY");
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Request<T> request, Object result) {
        if (result != FAILED) {
            if (request.onCommit() != null) {
                try {
                    request.onCommit().run();
                } catch (RuntimeException e) {
                    LOG.warn("an after-commit callback failed", e);
                }
            }
            request.future().complete((T) result);
        }
    }

    private void rollbackQuietly() {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was open
        }
    }

    /** Commits everything queued so far, then closes the connection. */
    @Override
    public void close() {
        synchronized (gate) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
