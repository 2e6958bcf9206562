package dev.jobs.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobStatus;
import dev.jobs.postgres.testjobs.AddJob;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A JobManager on the PostgreSQL store, and what opening the store does to the schema. */
class PostgresJobManagerTest {

    @RegisterExtension
    static final EmbeddedDatabase.PerClass database = new EmbeddedDatabase.PerClass();

    @TempDir
    Path dir;

    @Test
    void aManagerOnThePostgresStoreRunsAJobToCompletion() throws Exception {
        PostgresStore store = PostgresStore.of(database.dataSource()).schema(EmbeddedDatabase.freshSchema());
        try (JobManager jobs = JobManager.builder()
                .store(store)
                .dataDirectory(dir.resolve("data"))
                .workers(1)
                .build()) {
            JobHandle<Integer> job = jobs.dispatch(new AddJob(2, 3));
            assertThat(job.result().get(30, TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        }
    }

    @Test
    void aClientOnAnotherManagerSeesTheResultOfAJobItsWorkerRan() throws Exception {
        PostgresStore store = PostgresStore.of(database.dataSource()).schema(EmbeddedDatabase.freshSchema());
        try (JobManager worker = worker(store, 1);
                JobManager client = client(store)) {
            JobHandle<Integer> job = client.dispatch(new AddJob(20, 22));
            assertThat(job.result().get(30, TimeUnit.SECONDS)).isEqualTo(42);
            assertThat(worker.handle(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
        }
    }

    /**
     * A client looks up the jobs it waits for by id while they are few, by completion time when
     * more than {@link dev.jobs.runtime.store.JobStore#FINISHED_AMONG_LIMIT}: both bring every
     * result the worker produced.
     */
    @Test
    void aClientWaitingForFewOrManyJobsGetsEveryResultItsWorkerProduced() throws Exception {
        PostgresStore store = PostgresStore.of(database.dataSource()).schema(EmbeddedDatabase.freshSchema());
        try (JobManager worker = worker(store, 4);
                JobManager client = client(store)) {
            for (int count : new int[] {300, 3}) {
                List<JobHandle<Integer>> handles = new java.util.ArrayList<>();
                for (int i = 0; i < count; i++) {
                    handles.add(client.dispatch(new AddJob(i, 1_000)));
                }
                for (int i = 0; i < count; i++) {
                    assertThat(handles.get(i).result().get(60, TimeUnit.SECONDS))
                            .as("job %d of %d", i, count)
                            .isEqualTo(i + 1_000);
                }
            }
            assertThat(worker.list(dev.jobs.runtime.JobQuery.all().limit(1_000)))
                    .hasSize(303)
                    .allMatch(info -> info.status() == JobStatus.COMPLETED);
        }
    }

    private JobManager worker(PostgresStore store, int workers) {
        return JobManager.builder()
                .store(store)
                .dataDirectory(dir.resolve("worker"))
                .workers(workers)
                .build();
    }

    /** A manager that runs no job, on the same store. */
    private JobManager client(PostgresStore store) {
        return JobManager.builder()
                .store(store)
                .dataDirectory(dir.resolve("client"))
                .client()
                .build();
    }

    @Test
    void aCommitOnAnotherStoreIsNotifiedAtOnceNotAtTheNextPoll() throws Exception {
        PostgresStore factory = PostgresStore.of(database.dataSource()).schema(EmbeddedDatabase.freshSchema());
        try (dev.jobs.runtime.store.JobStore watched = factory.open(List.of("pg.add"));
                dev.jobs.runtime.store.JobStore other = factory.open(List.of("pg.add"))) {
            java.util.concurrent.LinkedBlockingQueue<Long> calls = new java.util.concurrent.LinkedBlockingQueue<>();
            // an interval far longer than the test: only a notification can call back in time
            try (AutoCloseable watch =
                    watched.watchChanges(java.time.Duration.ofMinutes(10), () -> calls.add(System.nanoTime()))) {
                assertThat(calls.poll(10, TimeUnit.SECONDS))
                        .as("the first look")
                        .isNotNull();
                Thread.sleep(200);
                calls.clear();
                long before = System.nanoTime();
                dev.jobs.runtime.store.StoreFutures.await(other.insert(
                        new dev.jobs.runtime.store.NewJob(java.util.UUID.randomUUID(), "pg.add", 1, null, 0, 1), null));
                Long at = calls.poll(Watcher.FALLBACK.toMillis() - 500, TimeUnit.MILLISECONDS);
                assertThat(at).as("called back by the notification").isNotNull();
                assertThat(TimeUnit.NANOSECONDS.toMillis(at - before)).isLessThan(1_000);
            }
        }
    }

    @Test
    void storesOpeningTogetherMigrateOnce() throws Exception {
        PostgresStore store = PostgresStore.of(database.dataSource()).schema(EmbeddedDatabase.freshSchema());
        List<Thread> threads = new java.util.ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    store.open(List.of("pg.add")).close();
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertThat(failures).isEmpty();
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery(
                        "SELECT count(*), max(version) FROM \"" + store.schemaName() + "\".jobs_schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(rs.getInt(2)).isEqualTo(Migrations.latestVersion());
        }
    }

    /**
     * A schema at version 5 (migration 6 only drops {@code jobs_seq}, so version 5 is the latest
     * schema with that index back and its record gone) is brought up to date when a node opens
     * it, and the jobs queued in it then run.
     */
    @Test
    void aSchemaOfTheVersionBeforeIsMigratedAndItsQueuedJobsRun() throws Exception {
        PostgresStore store = PostgresStore.of(database.dataSource()).schema(EmbeddedDatabase.freshSchema());
        List<java.util.UUID> queued = new java.util.ArrayList<>();
        try (JobManager client = client(store)) {
            for (int i = 0; i < 3; i++) {
                queued.add(client.dispatch(new AddJob(i, 10)).id());
            }
        }
        String schema = "\"" + store.schemaName() + "\"";
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE UNIQUE INDEX jobs_seq ON " + schema + ".jobs (seq)");
            s.execute("DELETE FROM " + schema + ".jobs_schema_version WHERE version = 6");
        }
        try (JobManager worker = worker(store, 2)) {
            for (int i = 0; i < queued.size(); i++) {
                assertThat(worker.handle(queued.get(i)).result().get(30, TimeUnit.SECONDS))
                        .isEqualTo(i + 10);
            }
        }
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT (SELECT max(version) FROM " + schema + ".jobs_schema_version),"
                        + " to_regclass('" + schema + ".jobs_seq') IS NULL")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(6);
            assertThat(rs.getBoolean(2)).as("jobs_seq dropped").isTrue();
        }
    }

    @Test
    void aSchemaNewerThanTheLibraryRefusesToOpenAndSaysSo() throws Exception {
        PostgresStore store = PostgresStore.of(database.dataSource()).schema(EmbeddedDatabase.freshSchema());
        store.open(List.of()).close();
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO \"" + store.schemaName()
                    + "\".jobs_schema_version VALUES (999, 'from the future', 0)");
        }
        assertThatThrownBy(() -> store.open(List.of()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("schema version 999")
                .hasMessageContaining("upgrade the library");
    }
}
