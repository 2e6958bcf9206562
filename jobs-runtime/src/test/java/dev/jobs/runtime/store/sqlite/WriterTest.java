package dev.jobs.runtime.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.runtime.StoreException;
import dev.jobs.runtime.SynchronousMode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group-committing writer on its own, on a throwaway SQLite file with one table
 * {@code t(k TEXT PRIMARY KEY)}. Several operations are forced into one batch by holding the
 * writer thread in a first operation until the others are queued.
 */
class WriterTest {

    @TempDir
    Path dir;

    private Path file;
    private Database database;
    private Writer writer;
    private final CountDownLatch inBlocker = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void open() throws SQLException {
        file = dir.resolve("writer.db");
        database = new Database(file, SynchronousMode.NORMAL, Duration.ofSeconds(5));
        Connection connection = database.openWriter();
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
        }
        writer = new Writer(database, connection, 100, "test-writer");
    }

    @AfterEach
    void closeWriter() {
        release.countDown();
        writer.close();
    }

    /** Holds the writer thread (in its own batch) until {@link #release} opens; returns once it is held. */
    private CompletableFuture<Void> blockWriter() throws InterruptedException {
        return blockWriter(writer);
    }

    private CompletableFuture<Void> blockWriter(Writer writer) throws InterruptedException {
        CompletableFuture<Void> blocker = writer.submit(tx -> {
            inBlocker.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertThat(inBlocker.await(10, TimeUnit.SECONDS))
                .as("the writer runs the blocking op")
                .isTrue();
        return blocker;
    }

    private static Writer.Op<String> insert(String... keys) {
        return tx -> {
            PreparedStatement s = tx.prepare("INSERT INTO t (k) VALUES (?)");
            for (String k : keys) {
                s.setString(1, k);
                s.executeUpdate();
            }
            return String.join(",", keys);
        };
    }

    /** The committed keys, read on a connection of its own (as another process would). */
    private List<String> committedKeys() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT k FROM t ORDER BY k")) {
            List<String> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            return keys;
        }
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the future did not settle", e);
        }
        throw new AssertionError("expected the future to fail, but it completed with " + future.join());
    }

    @Test
    void aFailingOperationRollsBackOnlyItselfAndTheRestOfItsBatchCommits() throws Exception {
        CompletableFuture<Void> blocker = blockWriter();
        // queued while the writer is held, so they run in one transaction; proof: when a's commit is
        // visible to another connection, so is f's, the last one queued
        List<List<String>> seenAtACommit = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> a = writer.submit(insert("a"), () -> {
            try {
                seenAtACommit.add(committedKeys());
            } catch (SQLException ex) {
                throw new IllegalStateException(ex);
            }
        });
        CompletableFuture<String> b = writer.submit(insert("b1", "a")); // b1 goes in, then a duplicate key fails
        CompletableFuture<String> c = writer.submit(insert("c"));
        CompletableFuture<String> d = writer.submit(tx -> {
            insert("d1").apply(tx);
            throw new IllegalStateException("bug in an op");
        });
        CompletableFuture<String> e = writer.submitStatement(insert("a")); // one statement, no savepoint: fails alone
        CompletableFuture<String> f = writer.submit(insert("f"));
        release.countDown();

        blocker.get(10, TimeUnit.SECONDS);
        assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(c.get(10, TimeUnit.SECONDS)).isEqualTo("c");
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("f");
        assertThat(failureOf(b)).isInstanceOf(StoreException.class).hasMessageContaining("UNIQUE");
        assertThat(failureOf(d)).isInstanceOf(IllegalStateException.class).hasMessage("bug in an op");
        assertThat(failureOf(e)).isInstanceOf(StoreException.class).hasMessageContaining("UNIQUE");
        // b's and d's first inserts were undone with them
        assertThat(committedKeys()).containsExactly("a", "c", "f");
        assertThat(seenAtACommit).containsExactly(List.of("a", "c", "f"));
    }

    @Test
    void onCommitCallbacksRunInSubmissionOrderAfterTheCommitAndBeforeTheFutures() throws Exception {
        CompletableFuture<Void> blocker = blockWriter();
        int n = 20;
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            String key = String.format("k%02d", i);
            Writer.Op<String> op = i == 7
                    ? tx -> {
                        throw new SQLException("op 7 fails");
                    }
                    : insert(key);
            futures.add(writer.submit(op, () -> {
                order.add(index);
                try {
                    if (!committedKeys().contains(key)) {
                        problems.add("callback " + index + " ran before its write was committed");
                    }
                } catch (SQLException ex) {
                    problems.add("callback " + index + ": " + ex);
                }
                synchronized (futures) {
                    for (int j = index; j < futures.size(); j++) {
                        // (the failed op 7's future settles when it fails, before the commit: it wrote nothing)
                        if (j != 7 && futures.get(j).isDone()) {
                            problems.add("the future of op " + j + " completed before callback " + index + " ran");
                        }
                    }
                }
            }));
        }
        release.countDown();
        blocker.get(10, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            if (i == 7) {
                assertThat(failureOf(futures.get(i)))
                        .isInstanceOf(StoreException.class)
                        .hasMessageContaining("op 7 fails");
            } else {
                futures.get(i).get(10, TimeUnit.SECONDS);
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != 7) {
                expected.add(i); // a failed op's callback never runs
            }
        }
        assertThat(order).containsExactlyElementsOf(expected);
        assertThat(problems).isEmpty();
    }

    @Test
    void closeCommitsEverythingQueuedBeforeItAndReturnsOnlyOnceItIsCommitted() throws Exception {
        CompletableFuture<Void> blocker = blockWriter();
        List<CompletableFuture<String>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(writer.submit(insert("q" + i)));
        }
        // close() from another thread while the writer is held: whenever it gets in, all of these came first
        CompletableFuture<Void> closing = CompletableFuture.runAsync(writer::close);
        release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(blocker).isDone();
        for (CompletableFuture<String> f : queued) {
            assertThat(f).as("settled when close() returned").isDone();
            assertThat(f.get()).startsWith("q");
        }
        assertThat(committedKeys()).hasSize(10).contains("q0", "q9");
    }

    @Test
    void aSubmitAfterCloseFailsAtOnceWithAClosedStoreException() throws Exception {
        writer.close();
        CompletableFuture<String> late = writer.submit(insert("late"));
        assertThat(late).as("failed without waiting for anything").isCompletedExceptionally();
        assertThat(failureOf(late)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> writer.execute(insert("after")))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThat(committedKeys()).isEmpty();
    }

    @Test
    void closingTwiceIsHarmless() throws Exception {
        writer.submit(insert("a"));
        writer.close();
        writer.close();
        assertThat(committedKeys()).containsExactly("a");
    }

    @Test
    void closeWhileOthersKeepSubmittingLeavesNoFutureUnsettled() throws Exception {
        List<CompletableFuture<String>> futures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch going = new CountDownLatch(2);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            String prefix = "t" + t + "-";
            Thread thread = new Thread(() -> {
                going.countDown();
                for (int i = 0; i < 2_000; i++) {
                    futures.add(writer.submit(insert(prefix + i)));
                }
            });
            thread.start();
            submitters.add(thread);
        }
        assertThat(going.await(10, TimeUnit.SECONDS)).isTrue();
        writer.close();
        for (Thread thread : submitters) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
            assertThat(thread.isAlive()).isFalse();
        }
        long committed = 0;
        for (CompletableFuture<String> f : futures) {
            assertThat(f)
                    .as("every future is settled once close() returned and the submitters stopped")
                    .isDone();
            if (!f.isCompletedExceptionally()) {
                committed++;
            } else {
                assertThat(failureOf(f)).isInstanceOf(StoreException.class).hasMessageContaining("closed");
            }
        }
        assertThat(committedKeys()).hasSize((int) committed);
    }

    @Test
    void aBatchThatFailsAsAWholeFailsEveryFutureInItCommitsNothingAndRunsNoCallback() throws Exception {
        CompletableFuture<Void> blocker = blockWriter();
        List<String> callbacks = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> before = writer.submit(insert("before"), () -> callbacks.add("before"));
        // a single statement whose error may have rolled back the whole transaction (not a constraint): the
        // writer cannot tell what survived, so the batch fails
        CompletableFuture<String> failing = writer.submitStatement(tx -> {
            throw new SQLException("disk I/O error");
        });
        CompletableFuture<String> after = writer.submit(insert("after"), () -> callbacks.add("after"));
        release.countDown();
        blocker.get(10, TimeUnit.SECONDS);
        for (CompletableFuture<String> f : List.of(before, failing, after)) {
            assertThat(failureOf(f)).isInstanceOf(StoreException.class).hasMessageContaining("disk I/O error");
        }
        assertThat(committedKeys()).isEmpty();
        assertThat(callbacks).isEmpty();
    }

    @Test
    void aSingleStatementOpThatThrowsABugFailsAloneAndItsCallbackNeverRuns() throws Exception {
        CompletableFuture<Void> blocker = blockWriter();
        List<String> callbacks = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> before = writer.submit(insert("before"), () -> callbacks.add("before"));
        CompletableFuture<String> buggy = writer.submitStatement(
                tx -> {
                    throw new IllegalStateException("bug in a statement op");
                },
                () -> callbacks.add("buggy"));
        CompletableFuture<String> after = writer.submitStatement(insert("after"), () -> callbacks.add("after"));
        release.countDown();
        blocker.get(10, TimeUnit.SECONDS);
        assertThat(failureOf(buggy)).isInstanceOf(IllegalStateException.class).hasMessage("bug in a statement op");
        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo("before");
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo("after");
        assertThat(callbacks).containsExactly("before", "after");
        assertThat(committedKeys()).containsExactly("after", "before");
    }

    @Test
    void theWriterCommitsAgainAfterABatchFailed() throws Exception {
        CompletableFuture<String> failing = writer.submitStatement(tx -> {
            throw new SQLException("disk I/O error");
        });
        assertThat(failureOf(failing)).isInstanceOf(StoreException.class);
        assertThat(writer.execute(insert("next"))).isEqualTo("next");
        assertThat(committedKeys()).containsExactly("next");
    }

    @Test
    void onceTheDatabaseIsLostEveryQueuedWriteFailsWithTheReason() throws Exception {
        CompletableFuture<Void> blocker = blockWriter();
        CompletableFuture<String> a = writer.submit(insert("a"));
        CompletableFuture<String> b = writer.submitStatement(insert("b"));
        database.markLost(new StoreException("the file was replaced"));
        release.countDown();
        blocker.get(10, TimeUnit.SECONDS); // its batch began before the loss
        for (CompletableFuture<String> f : List.of(a, b)) {
            assertThat(failureOf(f)).isInstanceOf(StoreException.class).hasMessageContaining("the file was replaced");
        }
        assertThat(committedKeys()).isEmpty();
    }

    @Test
    void aBatchTakesAtMostTheConfiguredNumberOfOperations() throws Exception {
        Connection connection = database.openWriter();
        Writer small = new Writer(database, connection, 2, "test-writer-small");
        try {
            CompletableFuture<Void> blocker = blockWriter(small);
            List<List<String>> seenAtCommit = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (String key : List.of("a", "b", "c", "d", "e")) {
                futures.add(small.submit(insert(key), () -> {
                    try {
                        seenAtCommit.add(committedKeys());
                    } catch (SQLException ex) {
                        throw new IllegalStateException(ex);
                    }
                }));
            }
            release.countDown();
            blocker.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<String> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
            // each callback sees its own transaction's writes and those of earlier ones, never a later one's
            assertThat(seenAtCommit)
                    .containsExactly(
                            List.of("a", "b"),
                            List.of("a", "b"),
                            List.of("a", "b", "c", "d"),
                            List.of("a", "b", "c", "d"),
                            List.of("a", "b", "c", "d", "e"));
        } finally {
            small.close();
        }
    }

    @Test
    void aCallbackThatThrowsNeitherFailsItsWriteNorStopsTheNextCallbacks() throws Exception {
        CompletableFuture<Void> blocker = blockWriter();
        List<String> callbacks = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<String> a = writer.submit(insert("a"), () -> {
            throw new IllegalStateException("callback bug");
        });
        CompletableFuture<String> b = writer.submit(insert("b"), () -> callbacks.add("b"));
        release.countDown();
        blocker.get(10, TimeUnit.SECONDS);
        assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("b");
        assertThat(callbacks).containsExactly("b");
        assertThat(committedKeys()).containsExactly("a", "b");
    }

    @Test
    void executeRethrowsTheFailureOfItsOperationUnwrapped() {
        assertThatThrownBy(() -> writer.execute(tx -> {
                    throw new IllegalArgumentException("bad op");
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad op");
    }
}
