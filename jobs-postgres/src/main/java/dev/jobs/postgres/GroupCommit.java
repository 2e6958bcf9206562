package dev.jobs.postgres;

import dev.jobs.runtime.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntFunction;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the PostgreSQL store: callers on any thread submit writes; one thread takes
 * everything queued (up to {@link #MAX_BATCH}), runs it in one transaction on one pooled
 * connection, commits once, and only then runs each write's {@code onCommit} and completes its
 * future, in the order the writes were submitted. Many dispatches, starts, checkpoints and
 * completions thus share one commit (one WAL flush) and, mostly, one round trip per kind.
 *
 * <p>A write is either a single fenced statement with named binds (a run's write, a plain insert),
 * whose result is its update count, or any work on the connection. Writes of one statement are
 * sent as one JDBC batch (one round trip; the update count of each row says whether its fenced
 * write applied). To group them a write may move before writes submitted earlier, but never before
 * one about the same job (the same key), so the writes of one run keep their order.
 *
 * <p>A failing write fails only its own future: when anything in the batch fails, the whole
 * transaction is rolled back and the batch runs again one write at a time, each in a savepoint of
 * its own (a write PostgreSQL chose as a deadlock's victim is run again, up to 3 times); the writes
 * that succeed commit together.
 */
final class GroupCommit implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** The most writes in one transaction. */
    static final int MAX_BATCH = 512;

    private static final int DEADLOCK_RETRIES = 3;

    /** Binds one execution of a single-statement write. */
    interface Binder {
        void bind(Sql.Bind b) throws SQLException;
    }

    /**
     * The set-based form of a single-statement write: one statement for many rows, whose
     * parameters {@code :a0}, {@code :a1}, ... are arrays of the PostgreSQL types {@code types}
     * (Java element classes {@code classes}), one element per write, typically read with
     * {@code unnest(...)}; it returns the key ({@code uuid}) of each row it wrote. {@code
     * limitingIdle} is the same statement after {@link PostgresJobStore#IDLE_LIMIT}, in one round
     * trip: the first statement of a cycle.
     */
    record SetForm(Sql statement, Sql limitingIdle, String[] types, Class<?>[] classes) {
        SetForm(Sql statement, String[] types, Class<?>[] classes) {
            this(statement, statement.after(PostgresJobStore.IDLE_LIMIT), types, classes);
        }
    }

    /** Turns an {@link SQLException} into the store's exception, naming the write. */
    interface Translate {
        StoreException apply(String what, SQLException e);
    }

    private static final class Request<T> {
        final String what;
        final Object key;
        final Sql statement;
        final Binder binder;
        final IntFunction<T> fromCount;
        final PostgresJobStore.Work<T> work;
        final Runnable onCommit;
        SetForm set;
        Object[] row;
        /** Its work begins with {@link PostgresJobStore#IDLE_LIMIT} in its first round trip. */
        boolean limitsIdle;

        final CompletableFuture<T> future = new CompletableFuture<>();
        T result;
        RuntimeException failure;

        Request(
                String what,
                Object key,
                Sql statement,
                Binder binder,
                IntFunction<T> fromCount,
                PostgresJobStore.Work<T> work,
                Runnable onCommit) {
            this.what = what;
            this.key = key;
            this.statement = statement;
            this.binder = binder;
            this.fromCount = fromCount;
            this.work = work;
            this.onCommit = onCommit;
        }

        T runAlone(Connection c) throws SQLException {
            if (statement == null) {
                return work.apply(c);
            }
            try (Sql.Bind b = statement.on(c)) {
                binder.bind(b);
                return fromCount.apply(b.update());
            }
        }

        void applyCount(int count) {
            result = fromCount.apply(count);
        }

        void finish() {
            if (failure != null) {
                future.completeExceptionally(failure);
                return;
            }
            if (onCommit != null) {
                try {
                    onCommit.run();
                } catch (RuntimeException e) {
                    LOG.warn("a callback after committing {} failed", what, e);
                }
            }
            future.complete(result);
        }
    }

    /** Writes run together: one request, or several of one statement sent as one JDBC batch. */
    private static final class Step {
        final Sql statement;
        final SetForm set;
        final List<Request<?>> requests = new ArrayList<>(4);
        final Set<Object> keys = new HashSet<>(4);

        Step(Sql statement, SetForm set) {
            this.statement = statement;
            this.set = set;
        }
    }

    private static final Request<Void> STOP = new Request<>("stop", null, null, null, null, c -> null, null);

    private final DataSource dataSource;
    private final String name;
    private final Translate translate;
    private final BlockingQueue<Request<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopped;

    GroupCommit(DataSource dataSource, String name, Translate translate) {
        this.dataSource = dataSource;
        this.name = name;
        this.translate = translate;
        this.thread = new Thread(this::loop, "jobs-postgres-writer-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A single-statement write about {@code key} (a job id): its result is made of its update
     * count. Writes of the same statement share one JDBC batch.
     */
    <T> CompletableFuture<T> statement(
            String what, Object key, Sql statement, Binder binder, IntFunction<T> fromCount, Runnable onCommit) {
        return submit(new Request<>(what, key, statement, binder, fromCount, null, onCommit));
    }

    /**
     * A single-statement write that also has a set-based form: alone it runs {@code statement};
     * with others of the same form, one execution of {@code set} writes them all ({@code row}: this
     * write's element of each array). The result is made of the update count, 1 when the set-based
     * statement returned {@code key}.
     */
    <T> CompletableFuture<T> statement(
            String what,
            Object key,
            Sql statement,
            Binder binder,
            SetForm set,
            Object[] row,
            IntFunction<T> fromCount,
            Runnable onCommit) {
        Request<T> r = new Request<>(what, key, statement, binder, fromCount, null, onCommit);
        r.set = set;
        r.row = row;
        return submit(r);
    }

    /** Any write about {@code key}, run in the batch's transaction. */
    <T> CompletableFuture<T> work(String what, Object key, PostgresJobStore.Work<T> work, Runnable onCommit) {
        return submit(new Request<>(what, key, null, null, null, work, onCommit));
    }

    /**
     * A write whose first statement begins with {@link PostgresJobStore#IDLE_LIMIT}: when it is a
     * cycle's only write (a dispatch on a quiet node), the cycle sends no limit of its own, one
     * round trip less.
     */
    <T> CompletableFuture<T> workLimitingIdle(
            String what, Object key, PostgresJobStore.Work<T> work, Runnable onCommit) {
        Request<T> r = new Request<>(what, key, null, null, null, work, onCommit);
        r.limitsIdle = true;
        return submit(r);
    }

    private <T> CompletableFuture<T> submit(Request<T> request) {
        if (stopped) {
            request.future.completeExceptionally(closed());
            return request.future;
        }
        queue.add(request);
        if (stopped && queue.remove(request)) { // closed meanwhile: the writer may be gone
            request.future.completeExceptionally(closed());
        }
        return request.future;
    }

    private StoreException closed() {
        return new StoreException("the job store in " + name + " is closed; open a new JobManager to use it again");
    }

    private void loop() {
        List<Request<?>> batch = new ArrayList<>(MAX_BATCH);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                stop = true;
            }
            queue.drainTo(batch, MAX_BATCH - batch.size());
            if (batch.remove(STOP)) {
                stop = true;
                queue.drainTo(batch); // what was queued before close() still commits
            }
            for (int from = 0; from < batch.size(); from += MAX_BATCH) {
                run(batch.subList(from, Math.min(batch.size(), from + MAX_BATCH)));
            }
            batch.clear();
        }
        for (Request<?> r; (r = queue.poll()) != null; ) {
            r.future.completeExceptionally(closed());
        }
    }

    /** Runs one batch in one transaction, then completes its futures in submission order. */
    private void run(List<Request<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try {
                    together(c, batch);
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    rollback(c, e);
                    if (e instanceof SQLException sql && !usable(c)) {
                        // the connection is gone (a server restart, a pool's connection the server
                        // closed): running the writes one by one on it would only fail each with
                        // "connection closed", hiding the outage; the batch fails with its cause
                        for (Request<?> r : batch) {
                            r.failure = translate.apply(r.what, sql);
                        }
                    } else {
                        if (batch.size() > 1) {
                            LOG.debug(
                                    "a batch of {} writes failed ({}); running them one by one",
                                    batch.size(),
                                    e.toString());
                        }
                        oneByOne(c, batch);
                        try {
                            c.commit();
                        } catch (SQLException failed) {
                            for (Request<?> r : batch) {
                                if (r.failure == null) {
                                    r.failure = translate.apply(r.what, failed);
                                }
                            }
                        }
                    }
                }
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // the pool resets or drops a broken connection
                }
            }
        } catch (SQLException e) {
            for (Request<?> r : batch) {
                if (r.failure == null) {
                    r.failure = translate.apply(r.what, e);
                }
            }
        } catch (RuntimeException e) {
            for (Request<?> r : batch) {
                if (r.failure == null) {
                    r.failure = e;
                }
            }
        }
        for (Request<?> r : batch) {
            r.finish();
        }
    }

    /** Whether the connection can still run statements. */
    private static boolean usable(Connection c) {
        try {
            return !c.isClosed() && c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void rollback(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    /**
     * The fast path: every write of the batch, each statement's writes as one JDBC batch. The
     * transaction's idle limit goes first: in the same round trip as the first statement when that
     * is a set-based one (a busy writer's cycle begins with one) or a lone write that sends it
     * itself, else as a statement of its own.
     */
    private static void together(Connection c, List<Request<?>> batch) throws SQLException {
        for (Request<?> r : batch) {
            r.result = null;
            r.failure = null;
        }
        List<Step> steps = plan(batch);
        Step first = steps.get(0);
        boolean firstSetBased = first.set != null && first.requests.size() > 1;
        if (firstSetBased) {
            together(c, first, true);
        } else if (!(batch.size() == 1 && batch.get(0).limitsIdle)) {
            PostgresJobStore.limitIdleInTransaction(c);
        }
        for (Step step : firstSetBased ? steps.subList(1, steps.size()) : steps) {
            if (step.requests.size() == 1) {
                runAlone(step.requests.get(0), c);
                continue;
            }
            if (step.set != null) {
                together(c, step, false);
                continue;
            }
            try (Sql.Bind b = step.statement.on(c)) {
                for (Request<?> r : step.requests) {
                    r.binder.bind(b);
                    b.addBatch();
                }
                int[] counts = b.statement().executeBatch();
                for (int i = 0; i < counts.length; i++) {
                    step.requests.get(i).applyCount(counts[i]);
                }
            }
        }
    }

    /** One set-based statement for every write of the step; a write applied if its key came back. */
    private static void together(Connection c, Step step, boolean limitingIdle) throws SQLException {
        List<Object[]> rows = new ArrayList<>(step.requests.size());
        for (Request<?> r : step.requests) {
            rows.add(r.row);
        }
        Set<Object> written = runSet(c, step.set, rows, limitingIdle);
        for (Request<?> r : step.requests) {
            r.applyCount(written.contains(r.key) ? 1 : 0);
        }
    }

    /**
     * Runs {@code form} once for {@code rows}, after the transaction's idle limit when {@code
     * limitingIdle}; the keys it returned.
     */
    static Set<Object> runSet(Connection c, SetForm form, List<Object[]> rows, boolean limitingIdle)
            throws SQLException {
        int n = rows.size();
        Set<Object> written = new HashSet<>(n * 2);
        try (Sql.Bind b = (limitingIdle ? form.limitingIdle() : form.statement()).on(c)) {
            for (int column = 0; column < form.types().length; column++) {
                Object[] values = (Object[]) java.lang.reflect.Array.newInstance(form.classes()[column], n);
                for (int i = 0; i < n; i++) {
                    values[i] = rows.get(i)[column];
                }
                b.set("a" + column, c.createArrayOf(form.types()[column], values));
            }
            try (java.sql.ResultSet rs = limitingIdle ? b.queryFirstResultSet() : b.query()) {
                while (rs.next()) {
                    written.add(rs.getObject(1));
                }
            }
        }
        return written;
    }

    private static <T> void runAlone(Request<T> r, Connection c) throws SQLException {
        r.result = r.runAlone(c);
    }

    /**
     * Groups the writes of one statement into one step. A write joins the last step of its
     * statement only if no write in a later step is about the same key (it moves before those).
     */
    private static List<Step> plan(List<Request<?>> batch) {
        List<Step> steps = new ArrayList<>();
        for (Request<?> r : batch) {
            Step target = null;
            if (r.statement != null) {
                for (int i = steps.size() - 1; i >= 0; i--) {
                    Step s = steps.get(i);
                    if (r.key == null || s.keys.contains(r.key)) {
                        break; // a write about the same job stays after it (and out of its step)
                    }
                    if (s.statement == r.statement && s.set == r.set) {
                        target = s;
                        break;
                    }
                }
            }
            if (target == null) {
                target = new Step(r.statement, r.set);
                steps.add(target);
            }
            target.requests.add(r);
            if (r.key != null) {
                target.keys.add(r.key);
            }
        }
        return steps;
    }

    /** The slow path after a failure: each write in a savepoint, so that a failure is its own. */
    private void oneByOne(Connection c, List<Request<?>> batch) {
        try {
            PostgresJobStore.limitIdleInTransaction(c); // the rollback ended the fast path's limit
        } catch (SQLException e) {
            LOG.debug("could not limit the idle time of the writes run one by one ({})", e.getMessage());
            rollback(c, e); // the writes below then run without the limit, as a transaction of their own
        }
        for (Request<?> r : batch) {
            r.result = null;
            r.failure = null;
            for (int attempt = 1; ; attempt++) {
                Savepoint savepoint;
                try {
                    savepoint = c.setSavepoint();
                } catch (SQLException e) {
                    r.failure = translate.apply(r.what, e);
                    break;
                }
                try {
                    runAlone(r, c);
                    c.releaseSavepoint(savepoint);
                    break;
                } catch (SQLException e) {
                    undo(c, savepoint, e);
                    if (attempt <= DEADLOCK_RETRIES && PostgresJobStore.retryable(e)) {
                        LOG.debug("{} was rolled back ({}); running it again", r.what, e.getMessage());
                        continue;
                    }
                    r.failure = translate.apply(r.what, e);
                    break;
                } catch (RuntimeException e) {
                    undo(c, savepoint, e);
                    r.failure = e;
                    break;
                }
            }
        }
    }

    private static void undo(Connection c, Savepoint savepoint, Exception cause) {
        try {
            c.rollback(savepoint);
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    /** Commits what is queued, then stops the writer thread. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        queue.add(STOP);
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
