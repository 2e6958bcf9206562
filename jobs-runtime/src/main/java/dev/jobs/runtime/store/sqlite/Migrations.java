package dev.jobs.runtime.store.sqlite;

import static dev.jobs.runtime.store.sqlite.Tables.SCHEMA_APPLIED_AT;
import static dev.jobs.runtime.store.sqlite.Tables.SCHEMA_DESCRIPTION;
import static dev.jobs.runtime.store.sqlite.Tables.SCHEMA_VERSION;
import static dev.jobs.runtime.store.sqlite.Tables.SCHEMA_VERSION_NUMBER;
import static org.jooq.impl.DSL.max;

import dev.jobs.runtime.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * The store's schema as an ordered list of migrations, applied at startup inside one IMMEDIATE
 * transaction. Each applied migration is recorded in {@code jobs_schema_version}. A database whose
 * recorded version is newer than the newest migration here was written by a newer library: opening
 * it fails and changes nothing, because this code cannot know what the newer columns mean.
 */
final class Migrations {

    record Migration(int version, String description, List<String> statements) {}

    static final List<Migration> ALL = List.of(
            new Migration(
                    1,
                    "jobs, job_logs and owners tables",
                    List.of(
                            """
                    CREATE TABLE jobs (
                      id              TEXT PRIMARY KEY,
                      name            TEXT NOT NULL,
                      version         INTEGER NOT NULL,
                      data            BLOB,
                      status          TEXT NOT NULL,
                      priority        INTEGER NOT NULL DEFAULT 0,
                      progress        REAL,
                      progress_data   TEXT,
                      output          TEXT,
                      error_message   TEXT,
                      error_trace     TEXT,
                      created_at      INTEGER NOT NULL,
                      started_at      INTEGER,
                      completed_at    INTEGER,
                      last_checkpoint INTEGER,
                      owner           TEXT,
                      lease_until     INTEGER,
                      attempt         INTEGER NOT NULL DEFAULT 0,
                      control         TEXT
                    )""",
                            "CREATE INDEX jobs_ready ON jobs (priority DESC) WHERE status = 'QUEUED'",
                            "CREATE INDEX jobs_status_created ON jobs (status, created_at)",
                            "CREATE INDEX jobs_created ON jobs (created_at)",
                            "CREATE INDEX jobs_running_owner ON jobs (owner) WHERE status = 'RUNNING'",
                            """
                    CREATE TABLE job_logs (
                      job_id  TEXT NOT NULL,
                      seq     INTEGER NOT NULL,
                      at      INTEGER NOT NULL,
                      level   TEXT NOT NULL,
                      message TEXT NOT NULL,
                      PRIMARY KEY (job_id, seq)
                    ) WITHOUT ROWID""",
                            """
                    CREATE TABLE owners (
                      id          TEXT PRIMARY KEY,
                      host        TEXT NOT NULL,
                      pid         INTEGER NOT NULL,
                      started_at  INTEGER NOT NULL,
                      lease_until INTEGER NOT NULL
                    )""")),
            new Migration(
                    2,
                    "index finished jobs by completion time and owner; drop the status index",
                    List.of(
                            "CREATE INDEX jobs_completed ON jobs (completed_at, owner) WHERE completed_at IS NOT NULL",
                            // every status change rewrote it; queued and running rows have partial indexes,
                            // and listing by status walks jobs_created with a limit
                            "DROP INDEX jobs_status_created")),
            new Migration(
                    3,
                    "fencing token per claim, run start mark, runs lost with their process",
                    List.of(
                            "ALTER TABLE jobs ADD COLUMN claim INTEGER NOT NULL DEFAULT 0",
                            "ALTER TABLE jobs ADD COLUMN run_started INTEGER",
                            "ALTER TABLE jobs ADD COLUMN lost_runs INTEGER NOT NULL DEFAULT 0",
                            // rows running under an older library: their runs had started (attempt counted at claim)
                            "UPDATE jobs SET run_started = coalesce(started_at, created_at), claim = 1 WHERE status = 'RUNNING'")),
            new Migration(
                    4,
                    "parameters as given at dispatch, and the job a rerun repeats",
                    List.of(
                            "ALTER TABLE jobs ADD COLUMN parameters TEXT",
                            "ALTER TABLE jobs ADD COLUMN rerun_of TEXT")),
            new Migration(
                    5,
                    "run time of delayed jobs",
                    List.of(
                            "ALTER TABLE jobs ADD COLUMN run_at INTEGER",
                            // the earliest future run time (the scheduler sleeps until then); the claim
                            // keeps walking jobs_ready in priority order and steps over jobs not yet due
                            "CREATE INDEX jobs_delayed ON jobs (run_at) WHERE status = 'QUEUED' AND run_at IS NOT NULL")),
            new Migration(
                    6,
                    "retries: the policy a job was dispatched with, its failed attempts and their errors",
                    List.of(
                            "ALTER TABLE jobs ADD COLUMN retry_policy TEXT",
                            "ALTER TABLE jobs ADD COLUMN max_attempts INTEGER",
                            "ALTER TABLE jobs ADD COLUMN failures INTEGER NOT NULL DEFAULT 0",
                            """
                    CREATE TABLE job_attempts (
                      job_id  TEXT NOT NULL,
                      attempt INTEGER NOT NULL,
                      at      INTEGER NOT NULL,
                      error   TEXT,
                      trace   TEXT,
                      PRIMARY KEY (job_id, attempt)
                    ) WITHOUT ROWID""")),
            new Migration(
                    7,
                    "recurring schedules, and the schedule and tick a job was created for",
                    List.of(
                            """
                    CREATE TABLE job_schedules (
                      name         TEXT PRIMARY KEY,
                      job_name     TEXT NOT NULL,
                      parameters   TEXT NOT NULL,
                      schedule     TEXT NOT NULL,
                      catch_up     TEXT NOT NULL,
                      catch_up_cap INTEGER NOT NULL,
                      overlap      TEXT NOT NULL,
                      priority     INTEGER NOT NULL,
                      paused       INTEGER NOT NULL DEFAULT 0,
                      anchor       INTEGER NOT NULL,
                      last_tick    INTEGER,
                      pending_tick INTEGER,
                      next_check   INTEGER,
                      last_job     TEXT,
                      dropped      INTEGER NOT NULL DEFAULT 0,
                      version      INTEGER NOT NULL DEFAULT 0,
                      created_at   INTEGER NOT NULL,
                      updated_at   INTEGER NOT NULL
                    )""",
                            "CREATE INDEX job_schedules_next ON job_schedules (next_check) WHERE paused = 0",
                            "ALTER TABLE jobs ADD COLUMN schedule TEXT",
                            "ALTER TABLE jobs ADD COLUMN scheduled_for INTEGER",
                            // one job per tick of a schedule, however many managers tick it
                            "CREATE UNIQUE INDEX jobs_schedule_tick ON jobs (schedule, scheduled_for) WHERE schedule IS NOT NULL",
                            // whether a schedule has an active job (overlap), however long its history
                            "CREATE INDEX jobs_schedule_active ON jobs (schedule) WHERE schedule IS NOT NULL "
                                    + "AND status IN ('QUEUED', 'RUNNING', 'PAUSED')")),
            new Migration(
                    8,
                    "jobs not yet due leave the index of ready jobs until they are due",
                    List.of(
                            // run_at stays what it was (what JobInfo.runAt shows); waiting_until is set
                            // while a job is not due and cleared when it becomes due, so the claim's
                            // index holds due jobs only and never steps over delayed ones
                            "ALTER TABLE jobs ADD COLUMN waiting_until INTEGER",
                            "UPDATE jobs SET waiting_until = run_at WHERE status IN ('QUEUED', 'PAUSED') AND run_at IS NOT NULL",
                            "DROP INDEX jobs_ready",
                            "CREATE INDEX jobs_ready ON jobs (priority DESC) WHERE status = 'QUEUED' AND waiting_until IS NULL",
                            "DROP INDEX jobs_delayed",
                            "CREATE INDEX jobs_waiting ON jobs (waiting_until) "
                                    + "WHERE status = 'QUEUED' AND waiting_until IS NOT NULL")),
            new Migration(
                    9,
                    "unique keys of idempotent dispatches",
                    List.of("ALTER TABLE jobs ADD COLUMN unique_key TEXT", """
                    CREATE TABLE job_unique_keys (
                      key    TEXT PRIMARY KEY,
                      job_id TEXT NOT NULL,
                      scope  TEXT NOT NULL,
                      until  INTEGER
                    ) WITHOUT ROWID""")),
            new Migration(
                    10,
                    "concurrency limits: the resources a job holds while it runs",
                    List.of(
                            "ALTER TABLE jobs ADD COLUMN limited INTEGER NOT NULL DEFAULT 0",
                            """
                    CREATE TABLE job_resources (
                      job_id   TEXT NOT NULL,
                      resource TEXT NOT NULL,
                      max      INTEGER NOT NULL,
                      PRIMARY KEY (job_id, resource)
                    ) WITHOUT ROWID""",
                            "CREATE INDEX job_resources_holders ON job_resources (resource, job_id)",
                            // unlimited jobs are claimed from their own index: a queue of limited jobs
                            // waiting for a resource never stands in front of them
                            "DROP INDEX jobs_ready",
                            "CREATE INDEX jobs_ready ON jobs (priority DESC) "
                                    + "WHERE status = 'QUEUED' AND waiting_until IS NULL AND limited = 0",
                            "CREATE INDEX jobs_ready_limited ON jobs (priority DESC) "
                                    + "WHERE status = 'QUEUED' AND waiting_until IS NULL AND limited = 1")),
            new Migration(
                    11,
                    "child jobs and chains: WAITING jobs, queued again by the end of what they wait for",
                    List.of(
                            "ALTER TABLE jobs ADD COLUMN parent_id TEXT",
                            "ALTER TABLE jobs ADD COLUMN child_key TEXT",
                            "ALTER TABLE jobs ADD COLUMN saves INTEGER NOT NULL DEFAULT 0",
                            "ALTER TABLE jobs ADD COLUMN chain_id TEXT",
                            "ALTER TABLE jobs ADD COLUMN after_id TEXT",
                            "ALTER TABLE jobs ADD COLUMN chain_continue INTEGER NOT NULL DEFAULT 0",
                            "CREATE UNIQUE INDEX jobs_children ON jobs (parent_id, child_key) WHERE parent_id IS NOT NULL",
                            "CREATE INDEX jobs_active_children ON jobs (parent_id) WHERE parent_id IS NOT NULL "
                                    + "AND status IN ('QUEUED', 'RUNNING', 'PAUSED', 'WAITING')",
                            "CREATE INDEX jobs_chain ON jobs (chain_id) WHERE chain_id IS NOT NULL",
                            "CREATE INDEX jobs_after ON jobs (after_id) WHERE after_id IS NOT NULL",
                            // a WAITING job of a schedule is active too (its overlap policy applies)
                            "DROP INDEX jobs_schedule_active",
                            "CREATE INDEX jobs_schedule_active ON jobs (schedule) WHERE schedule IS NOT NULL "
                                    + "AND status IN ('QUEUED', 'RUNNING', 'PAUSED', 'WAITING')",
                            // The ends that queue or cancel other jobs are triggers, so that every way a
                            // job ends (its run, a cancel, recovery, in any process) does them in the
                            // same transaction. Their time is the ending job's completion time, never
                            // the database's clock. Each WHEN reads only the row: free for other jobs.
                            //
                            // a chain step ended: the next one is queued if this one completed (or the
                            // next goes on regardless), else cancelled, which cancels the rest in turn
                            """
                    CREATE TRIGGER jobs_step_ended AFTER UPDATE OF status ON jobs
                    WHEN NEW.chain_id IS NOT NULL
                      AND NEW.status IN ('COMPLETED', 'FAILED', 'CANCELLED')
                      AND OLD.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
                    BEGIN
                      UPDATE jobs SET status = 'QUEUED'
                        WHERE after_id = NEW.id AND status = 'WAITING'
                          AND (NEW.status = 'COMPLETED' OR chain_continue = 1);
                      UPDATE jobs SET status = 'CANCELLED', completed_at = NEW.completed_at,
                          error_message = 'the chain step before it (' || NEW.id || ') ended ' || NEW.status
                        WHERE after_id = NEW.id AND status = 'WAITING';
                    END""",
                            // a child ended: its parent, if it waits and this was its last active
                            // child, is queued again
                            """
                    CREATE TRIGGER jobs_child_ended AFTER UPDATE OF status ON jobs
                    WHEN NEW.parent_id IS NOT NULL
                      AND NEW.status IN ('COMPLETED', 'FAILED', 'CANCELLED')
                      AND OLD.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
                    BEGIN
                      UPDATE jobs SET status = 'QUEUED'
                        WHERE id = NEW.parent_id AND status = 'WAITING'
                          AND NOT EXISTS (SELECT 1 FROM jobs c WHERE c.parent_id = NEW.parent_id
                            AND c.status IN ('QUEUED', 'RUNNING', 'PAUSED', 'WAITING'));
                    END""",
                            // a job was cancelled: its active children are too (a running one is
                            // asked to stop, like any cancel of a running job)
                            """
                    CREATE TRIGGER jobs_parent_cancelled AFTER UPDATE OF status ON jobs
                    WHEN NEW.status = 'CANCELLED' AND OLD.status <> 'CANCELLED'
                    BEGIN
                      UPDATE jobs SET status = 'CANCELLED', completed_at = NEW.completed_at,
                          error_message = 'its parent ' || NEW.id || ' was cancelled'
                        WHERE parent_id = NEW.id AND status IN ('QUEUED', 'PAUSED', 'WAITING');
                      UPDATE jobs SET control = 'CANCEL'
                        WHERE parent_id = NEW.id AND status = 'RUNNING';
                    END""")),
            new Migration(
                    12,
                    "webhook deliveries: one row per attempt, deleted with their job",
                    List.of(
                            """
                    CREATE TABLE job_deliveries (
                      id          INTEGER PRIMARY KEY,
                      delivery    TEXT NOT NULL,
                      job_id      TEXT NOT NULL,
                      url         TEXT NOT NULL,
                      event       TEXT NOT NULL,
                      attempt     INTEGER NOT NULL,
                      at          INTEGER NOT NULL,
                      http_status INTEGER,
                      error       TEXT,
                      delivered   INTEGER NOT NULL
                    )""",
                            "CREATE INDEX job_deliveries_job ON job_deliveries (job_id, id)",
                            // whatever deletes a job (retention, clean, the sqlite3 shell) deletes its
                            // delivery records in the same transaction, without a change to each delete
                            """
                    CREATE TRIGGER job_deliveries_with_job AFTER DELETE ON jobs
                    BEGIN
                      DELETE FROM job_deliveries WHERE job_id = OLD.id;
                    END""")),
            new Migration(
                    13,
                    "the jobs the triggers cancel are journaled, so that one process publishes their Cancelled events",
                    List.of(
                            """
                    CREATE TABLE job_cascades (
                      seq    INTEGER PRIMARY KEY,
                      job_id TEXT NOT NULL,
                      name   TEXT NOT NULL
                    )""",
                            "DROP TRIGGER jobs_step_ended",
                            "DROP TRIGGER jobs_parent_cancelled",
                            // as in migration 11, and each job cancelled is journaled first
                            """
                    CREATE TRIGGER jobs_step_ended AFTER UPDATE OF status ON jobs
                    WHEN NEW.chain_id IS NOT NULL
                      AND NEW.status IN ('COMPLETED', 'FAILED', 'CANCELLED')
                      AND OLD.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
                    BEGIN
                      UPDATE jobs SET status = 'QUEUED'
                        WHERE after_id = NEW.id AND status = 'WAITING'
                          AND (NEW.status = 'COMPLETED' OR chain_continue = 1);
                      INSERT INTO job_cascades (job_id, name)
                        SELECT id, name FROM jobs WHERE after_id = NEW.id AND status = 'WAITING';
                      UPDATE jobs SET status = 'CANCELLED', completed_at = NEW.completed_at,
                          error_message = 'the chain step before it (' || NEW.id || ') ended ' || NEW.status
                        WHERE after_id = NEW.id AND status = 'WAITING';
                    END""",
                            """
                    CREATE TRIGGER jobs_parent_cancelled AFTER UPDATE OF status ON jobs
                    WHEN NEW.status = 'CANCELLED' AND OLD.status <> 'CANCELLED'
                    BEGIN
                      INSERT INTO job_cascades (job_id, name)
                        SELECT id, name FROM jobs
                        WHERE parent_id = NEW.id AND status IN ('QUEUED', 'PAUSED', 'WAITING');
                      UPDATE jobs SET status = 'CANCELLED', completed_at = NEW.completed_at,
                          error_message = 'its parent ' || NEW.id || ' was cancelled'
                        WHERE parent_id = NEW.id AND status IN ('QUEUED', 'PAUSED', 'WAITING');
                      UPDATE jobs SET control = 'CANCEL'
                        WHERE parent_id = NEW.id AND status = 'RUNNING';
                    END""")));

    static int latestVersion() {
        return ALL.get(ALL.size() - 1).version();
    }

    private Migrations() {}

    /** Brings the schema up to date; runs inside the caller's IMMEDIATE transaction. */
    static void apply(Connection connection, String databaseName) throws SQLException {
        DSLContext dsl = DSL.using(connection, SQLDialect.SQLITE);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS jobs_schema_version ("
                    + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)");
        }
        Integer current =
                dsl.select(max(SCHEMA_VERSION_NUMBER)).from(SCHEMA_VERSION).fetchOne(0, Integer.class);
        int version = current == null ? 0 : current;
        if (version > latestVersion()) {
            throw new StoreException(databaseName + " has schema version " + version
                    + ", but this jobs library only knows versions up to " + latestVersion()
                    + "; it was written by a newer version of the library: upgrade the library (nothing was changed)");
        }
        for (Migration migration : ALL) {
            if (migration.version() <= version) {
                continue;
            }
            try (Statement s = connection.createStatement()) {
                for (String sql : migration.statements()) {
                    s.execute(sql);
                }
            }
            dsl.insertInto(SCHEMA_VERSION, SCHEMA_VERSION_NUMBER, SCHEMA_DESCRIPTION, SCHEMA_APPLIED_AT)
                    .values(migration.version(), migration.description(), System.currentTimeMillis())
                    .execute();
        }
    }
}
