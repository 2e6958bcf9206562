package dev.jobs.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.StoreFutures;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hot statements' plans on a table PostgreSQL has no statistics for yet, as after a bulk load
 * (autovacuum analyzes a new table a minute later at the earliest): the indexes must let each reach
 * its rows without reading this node's other rows. Both plans below were found in a bulk benchmark, where
 * they cost 30-50 ms per statement and halved the throughput.
 */
class PostgresQueryPlanTest {
    private static final String NAME = "plan.job";
    private static final String SELF = "node-self";
    private static final int RUNNING = 1_500;
    private static final int FINISHED = 1_500;
    private static final int QUEUED = 1_500;

    @RegisterExtension
    static final EmbeddedDatabase.PerClass database = new EmbeddedDatabase.PerClass();

    private PostgresJobStore store;
    private List<ClaimedJob> running;
    private List<ClaimedJob> finished;

    /**
     * {@value #FINISHED} jobs this node finished, {@value #RUNNING} it runs and {@value #QUEUED}
     * queued, never analyzed.
     */
    @BeforeEach
    void fillWithoutStatistics() throws Exception {
        store = (PostgresJobStore) PostgresStore.of(database.dataSource())
                .schema(EmbeddedDatabase.freshSchema())
                .open(List.of(NAME));
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < RUNNING + FINISHED; i++) {
            batch.add(new NewJob(UUID.randomUUID(), NAME, 1, new byte[] {1}, 0, 1_000 + i));
        }
        StoreFutures.await(store.insertAll(batch, null));
        List<ClaimedJob> claimed = store.claim(SELF, RUNNING + FINISHED, 5_000, 60_000);
        assertThat(claimed).hasSize(RUNNING + FINISHED);
        List<CompletableFuture<Boolean>> completions = new ArrayList<>();
        finished = claimed.subList(0, FINISHED);
        for (ClaimedJob job : finished) {
            completions.add(store.complete(job.claim(SELF), "1", 1.0, null, 6_000));
        }
        for (CompletableFuture<Boolean> completion : completions) {
            assertThat(StoreFutures.await(completion)).isTrue();
        }
        running = claimed.subList(FINISHED, claimed.size());
        List<NewJob> queued = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            queued.add(new NewJob(UUID.randomUUID(), NAME, 1, new byte[] {1}, 0, 7_000 + i));
        }
        StoreFutures.await(store.insertAll(queued, null));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void aRunsFencedWriteFindsItsRowWithoutReadingTheOwnersOtherRunningJobs() throws Exception {
        ClaimedJob job = running.get(running.size() / 2);
        JsonNode plan;
        try (Connection c = database.dataSource().getConnection()) {
            noSequentialScans(c);
            c.setAutoCommit(false); // EXPLAIN ANALYZE runs the update: rolled back below
            try (Sql.Bind b = store.saveProgress.explained().on(c)) {
                b.fence(job.claim(SELF)).set("progress", 0.5).set("progress_data", null);
                plan = plan(b.query());
            } finally {
                c.rollback();
            }
        }
        assertThat(rowsRemovedByFilter(plan))
                .as("rows read and thrown away in %s", plan)
                .isZero();
    }

    @Test
    void theLookForJobsFinishedElsewhereReadsNoneOfThisNodesRows() throws Exception {
        JsonNode plan;
        try (Connection c = database.dataSource().getConnection()) {
            // a table this small is read whole at least as fast; a real one holds days of history
            noSequentialScans(c);
            try (Sql.Bind b = store.finishedSince.explained().on(c)) {
                plan = plan(b.set("since", 5_000L).set("self", SELF).query());
            }
        }
        assertThat(rowsRemovedByFilter(plan))
                .as("rows read and thrown away in %s", plan)
                .isZero();
        assertThat(store.finishedSince(0, SELF)).isEmpty();
        assertThat(store.finishedSince(0, "node-other")).hasSize(FINISHED);
    }

    @Test
    void theLookForTheJobsAwaitedReadsOnlyTheirRowsEvenWithAPlanMadeForAnyIds() throws Exception {
        List<UUID> awaited = List.of(
                finished.get(0).id(), finished.get(1).id(), running.get(0).id());
        JsonNode plan;
        try (Connection c = database.dataSource().getConnection()) {
            try (var s = c.createStatement()) {
                // the plan a pooled statement keeps after five runs, made without the array's length
                s.execute("SET plan_cache_mode = force_generic_plan");
            }
            try (Sql.Bind b = store.finishedAmong.explained().on(c)) {
                plan = plan(b.set("ids", c.createArrayOf("uuid", awaited.toArray()))
                        .set("self", "node-other")
                        .query());
            }
        }
        assertThat(indexesScanned(plan)).as("indexes scanned by %s", plan).containsOnly("jobs_pkey");
        assertThat(plan.path("Actual Rows").asLong() + rowsRemovedByFilter(plan))
                .as("rows fetched by %s", plan)
                .isEqualTo(awaited.size());
        assertThat(store.finishedAmong(awaited, "node-other")).hasSize(2);
    }

    @Test
    void theLookForPauseAndCancelRequestsReadsOnlyRunsThatHaveOne() throws Exception {
        ClaimedJob asked = running.get(7);
        assertThat(store.requestControl(asked.id(), dev.jobs.runtime.store.Control.PAUSE))
                .isTrue();
        JsonNode plan;
        try (Connection c = database.dataSource().getConnection()) {
            noSequentialScans(c);
            try (Sql.Bind b = store.controlsFor.explained().on(c)) {
                plan = plan(b.set("owner", SELF).query());
            }
        }
        assertThat(rowsRemovedByFilter(plan))
                .as("rows read and thrown away in %s", plan)
                .isZero();
        assertThat(store.controlsFor(SELF)).containsOnlyKeys(asked.id());
    }

    @Test
    void theLookForQueuedWorkStopsAtTheFirstQueuedJob() throws Exception {
        JsonNode plan;
        try (Connection c = database.dataSource().getConnection()) {
            noSorts(c); // as the store's own transaction sets
            try (Sql.Bind b = store.hasQueued.explained().on(c)) {
                plan = plan(b.query());
            }
        }
        assertThat(mostRowsOfANode(plan))
                .as("rows read by one node of %s", plan)
                .isLessThanOrEqualTo(1);
        assertThat(store.hasRunnableQueued()).isTrue();
    }

    @Test
    void aDispatchLooksAtOneQueuedJobToKnowWhetherItWouldOvertakeOne() throws Exception {
        NewJob job = new NewJob(UUID.randomUUID(), NAME, 1, new byte[] {1}, 0, 9_000);
        JsonNode plan;
        try (Connection c = database.dataSource().getConnection()) {
            noSorts(c); // as the store sets for this statement
            c.setAutoCommit(false); // EXPLAIN ANALYZE runs the insert: rolled back below
            try (Sql.Bind b =
                    store.newJob(store.insertClaimedIfFirst.explained().on(c), job)) {
                plan = plan(b.set("status", "QUEUED")
                        .set("owner", SELF)
                        .set("lease_until", 60_000L)
                        .set("now", 9_000L)
                        .query());
            } finally {
                c.rollback();
            }
        }
        assertThat(mostRowsOfANode(plan))
                .as("rows read by one node of %s", plan)
                .isLessThanOrEqualTo(1);
        // the queued jobs are ahead of it: it is queued behind them, not claimed
        assertThat(StoreFutures.await(store.insertClaimedIfFirst(job, SELF, 60_000L)))
                .isFalse();
    }

    private static void noSorts(Connection c) throws java.sql.SQLException {
        try (var s = c.createStatement()) {
            s.execute("SET enable_sort = off");
        }
    }

    private static void noSequentialScans(Connection c) throws java.sql.SQLException {
        try (var s = c.createStatement()) {
            s.execute("SET enable_seqscan = off");
        }
    }

    private static JsonNode plan(ResultSet rs) throws Exception {
        assertThat(rs.next()).isTrue();
        return new ObjectMapper().readTree(rs.getString(1)).get(0).get("Plan");
    }

    /** The most rows one node of a plan produced (a bitmap of every queued row shows them all). */
    private static long mostRowsOfANode(JsonNode node) {
        long most = node.path("Actual Rows").asLong(0);
        for (JsonNode child : node.path("Plans")) {
            most = Math.max(most, mostRowsOfANode(child));
        }
        return most;
    }

    /** The index of every scan in a plan; a scan of the table itself counts as "none". */
    private static List<String> indexesScanned(JsonNode node) {
        List<String> indexes = new ArrayList<>();
        String type = node.path("Node Type").asText();
        if (type.contains("Scan") && !type.equals("Bitmap Heap Scan")) {
            indexes.add(node.path("Index Name").asText("none"));
        }
        for (JsonNode child : node.path("Plans")) {
            indexes.addAll(indexesScanned(child));
        }
        return indexes;
    }

    /** Rows a plan fetched and then dropped by a condition it could not check in an index. */
    private static long rowsRemovedByFilter(JsonNode node) {
        long removed = node.path("Rows Removed by Filter").asLong(0);
        for (JsonNode child : node.path("Plans")) {
            removed += rowsRemovedByFilter(child);
        }
        return removed;
    }
}
