package dev.jobs.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.runtime.StoreException;
import dev.jobs.runtime.store.Claim;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.StoreFutures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The group-commit writer: writes queued together commit in one transaction, a failing write fails
 * only its own future, fenced set-based writes report per row whether they applied, and callbacks
 * run after the commit in submission order. To make a batch deterministic, a first write holds the
 * writer until every other write is queued behind it.
 */
class GroupCommitTest {

    @RegisterExtension
    static final EmbeddedDatabase.PerClass database = new EmbeddedDatabase.PerClass();

    private static String table() throws Exception {
        String schema = EmbeddedDatabase.freshSchema();
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE TABLE " + schema + ".t (id uuid PRIMARY KEY, owner text NOT NULL, v integer NOT NULL)");
        }
        return schema;
    }

    /** {@code n} rows (owner-0, owner-1, ..., v = 0); their ids. */
    private static List<UUID> rows(String schema, int n) throws Exception {
        List<UUID> ids = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            for (int i = 0; i < n; i++) {
                UUID id = UUID.randomUUID();
                ids.add(id);
                s.execute("INSERT INTO " + schema + ".t VALUES ('" + id + "', 'owner-" + i + "', 0)");
            }
        }
        return ids;
    }

    private static int count(String schema, String where) throws Exception {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema + ".t WHERE " + where)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static GroupCommit writer() {
        return new GroupCommit(database.dataSource(), "test", (what, e) -> new StoreException(what + ": " + e, e));
    }

    /** Holds the writer (inside its transaction) until {@code release} counts down. */
    private static CompletableFuture<Void> hold(GroupCommit writer, CountDownLatch entered, CountDownLatch release) {
        return writer.work(
                "holding",
                null,
                c -> {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                },
                null);
    }

    @Test
    void aFailingInsertInABatchFailsOnlyItsOwnFuture() throws Exception {
        String schema = table();
        Sql insert = Sql.of(schema, "INSERT INTO #.t (id, owner, v) VALUES (:id, :owner, :v)");
        List<String> committed = Collections.synchronizedList(new ArrayList<>());
        UUID duplicate = UUID.randomUUID();
        try (GroupCommit writer = writer()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> held = hold(writer, entered, release);
            entered.await();
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                UUID id = i == 4 ? duplicate : i == 2 ? duplicate : UUID.randomUUID();
                int n = i;
                futures.add(writer.statement(
                        "insert " + i,
                        id,
                        insert,
                        b -> b.set("id", id).set("owner", "o").set("v", n),
                        count -> count,
                        () -> committed.add("insert " + n)));
            }
            release.countDown();
            held.get();
            for (int i = 0; i < 6; i++) {
                if (i == 4) {
                    int failed = i;
                    assertThatThrownBy(() -> StoreFutures.await(futures.get(failed)))
                            .isInstanceOf(StoreException.class)
                            .hasMessageContaining("insert 4");
                } else {
                    assertThat(StoreFutures.await(futures.get(i))).isEqualTo(1);
                }
            }
        }
        assertThat(count(schema, "true")).isEqualTo(5);
        assertThat(count(schema, "id = '" + duplicate + "' AND v = 2")).isEqualTo(1);
        assertThat(committed).containsExactly("insert 0", "insert 1", "insert 2", "insert 3", "insert 5");
    }

    @Test
    void aFencedSetBasedUpdateSaysPerRowWhetherItApplied() throws Exception {
        String schema = table();
        List<UUID> ids = rows(schema, 5);
        String single = "UPDATE #.t SET v = :v WHERE id = :id AND owner = :owner";
        Sql one = Sql.of(schema, single);
        GroupCommit.SetForm set = new GroupCommit.SetForm(
                Sql.of(
                        schema,
                        "UPDATE #.t t SET v = u.v FROM unnest(CAST(:a0 AS uuid[]), CAST(:a1 AS text[]),"
                                + " CAST(:a2 AS int4[])) AS u(id, owner, v) WHERE t.id = u.id AND t.owner = u.owner"
                                + " RETURNING t.id"),
                new String[] {"uuid", "text", "int4"},
                new Class<?>[] {UUID.class, String.class, Integer.class});
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Boolean>> futures = new ArrayList<>();
        try (GroupCommit writer = writer()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> held = hold(writer, entered, release);
            entered.await();
            for (int i = 0; i < 5; i++) {
                UUID id = ids.get(i);
                String owner = i == 1 || i == 3 ? "someone-else" : "owner-" + i; // a lost fence
                int n = i;
                futures.add(writer.statement(
                        "update " + i,
                        id,
                        one,
                        b -> b.set("id", id).set("owner", owner).set("v", 10 + n),
                        set,
                        new Object[] {id, owner, 10 + n},
                        count -> count == 1,
                        () -> order.add(n)));
            }
            release.countDown();
            held.get();
            List<Boolean> results = new ArrayList<>();
            for (CompletableFuture<Boolean> f : futures) {
                results.add(StoreFutures.await(f));
            }
            assertThat(results).containsExactly(true, false, true, false, true);
        }
        assertThat(count(schema, "v >= 10")).isEqualTo(3);
        assertThat(count(schema, "id = '" + ids.get(1) + "' AND v = 0")).isEqualTo(1);
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void aCycleThatBeginsWithASetBasedStatementRunsUnderTheIdleLimit() throws Exception {
        String schema = table();
        List<UUID> ids = rows(schema, 3);
        // v = 1 when the statement ran under a transaction-local idle limit, -1 when under none
        String limited = "CASE WHEN current_setting('idle_in_transaction_session_timeout') = '0' THEN -1 ELSE 1 END";
        Sql one = Sql.of(schema, "UPDATE #.t SET v = " + limited + " WHERE id = :id");
        GroupCommit.SetForm set = new GroupCommit.SetForm(
                Sql.of(
                        schema,
                        "UPDATE #.t t SET v = " + limited + " FROM unnest(CAST(:a0 AS uuid[])) AS u(id)"
                                + " WHERE t.id = u.id RETURNING t.id"),
                new String[] {"uuid"},
                new Class<?>[] {UUID.class});
        List<CompletableFuture<Boolean>> futures = new ArrayList<>();
        try (GroupCommit writer = writer()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> held = hold(writer, entered, release);
            entered.await();
            // queued behind the held cycle: the next cycle is these three, one set-based statement
            for (UUID id : ids) {
                futures.add(writer.statement(
                        "update " + id,
                        id,
                        one,
                        b -> b.set("id", id),
                        set,
                        new Object[] {id},
                        count -> count == 1,
                        null));
            }
            release.countDown();
            held.get();
            for (CompletableFuture<Boolean> f : futures) {
                assertThat(StoreFutures.await(f)).isTrue();
            }
        }
        assertThat(count(schema, "v = 1")).isEqualTo(3);
    }

    @Test
    void aLoneWriteRunsUnderTheIdleLimit() throws Exception {
        String schema = table();
        UUID id = UUID.randomUUID();
        Sql insert = Sql.of(
                schema,
                "INSERT INTO #.t (id, owner, v) VALUES (:id, 'o', CASE WHEN"
                        + " current_setting('idle_in_transaction_session_timeout') = '0' THEN -1 ELSE 1 END)");
        try (GroupCommit writer = writer()) {
            CompletableFuture<Integer> inserted =
                    writer.statement("insert", id, insert, b -> b.set("id", id), n -> n, null);
            assertThat(StoreFutures.await(inserted).intValue()).isEqualTo(1);
        }
        assertThat(count(schema, "v = 1")).isEqualTo(1);
    }

    @Test
    void aLoneWriteThatSetsTheIdleLimitItselfIsNotSentOneMore() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit writer = writer()) {
            CompletableFuture<Void> lone = writer.workLimitingIdle(
                    "lone",
                    UUID.randomUUID(),
                    c -> {
                        seen.add(show(c)); // before its own limit: the writer sent none
                        try (Statement s = c.createStatement()) {
                            s.execute(PostgresJobStore.IDLE_LIMIT);
                        }
                        seen.add(show(c));
                        return null;
                    },
                    null);
            StoreFutures.await(lone);
        }
        assertThat(seen).containsExactly("0", "5s");
    }

    private static String show(Connection c) throws java.sql.SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW idle_in_transaction_session_timeout")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void writesOfOneJobKeepTheirOrderWhenGrouped() throws Exception {
        String schema = table();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Sql insert = Sql.of(schema, "INSERT INTO #.t (id, owner, v) VALUES (:id, 'o', 0)");
        Sql bump = Sql.of(schema, "UPDATE #.t SET v = v * 10 + :v WHERE id = :id");
        try (GroupCommit writer = writer()) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> held = hold(writer, entered, release);
            entered.await();
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            futures.add(writer.statement("a", a, insert, x -> x.set("id", a), n -> n, null));
            futures.add(writer.statement("a1", a, bump, x -> x.set("id", a).set("v", 1), n -> n, null));
            futures.add(writer.statement("b", b, insert, x -> x.set("id", b), n -> n, null));
            futures.add(writer.statement("a2", a, bump, x -> x.set("id", a).set("v", 2), n -> n, null));
            futures.add(writer.statement("b1", b, bump, x -> x.set("id", b).set("v", 1), n -> n, null));
            release.countDown();
            held.get();
            for (CompletableFuture<Integer> f : futures) {
                assertThat(StoreFutures.await(f)).isEqualTo(1);
            }
        }
        // a's bumps ran after its insert and in their order (0 -> 1 -> 12); b's after b's insert
        assertThat(count(schema, "id = '" + a + "' AND v = 12")).isEqualTo(1);
        assertThat(count(schema, "id = '" + b + "' AND v = 1")).isEqualTo(1);
    }

    @Test
    void concurrentCompletionsOfTheStoreAreFencedOneByOne() throws Exception {
        String name = "pg.group";
        JobStore store = PostgresStore.of(database.dataSource())
                .schema(EmbeddedDatabase.freshSchema())
                .open(List.of(name));
        try {
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                jobs.add(new NewJob(UUID.randomUUID(), name, 1, new byte[] {1}, 0, 1_000 + i));
            }
            StoreFutures.await(store.insertAll(jobs, null));
            List<ClaimedJob> claimed = store.claim("owner-1", 40, 2_000, 60_000);
            assertThat(claimed).hasSize(40);
            List<CompletableFuture<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < claimed.size(); i++) {
                ClaimedJob job = claimed.get(i);
                long token = i % 10 == 3 ? job.token() + 1 : job.token(); // every tenth: a stale claim
                futures.add(store.complete(new Claim(job.id(), "owner-1", token), "\"ok\"", null, null, 3_000));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(StoreFutures.await(futures.get(i))).isEqualTo(i % 10 != 3);
            }
            long completed = jobs.stream()
                    .filter(j -> store.find(j.id()).orElseThrow().status() == dev.jobs.JobStatus.COMPLETED)
                    .count();
            assertThat(completed).isEqualTo(36);
        } finally {
            store.close();
        }
    }
}
