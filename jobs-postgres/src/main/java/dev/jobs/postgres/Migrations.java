package dev.jobs.postgres;

import dev.jobs.runtime.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The PostgreSQL schema as an ordered list of migrations, applied when a store opens in one
 * transaction under {@code pg_advisory_xact_lock}: nodes starting together wait for each other and
 * the first one migrates, the others find the schema up to date. Each applied migration is
 * recorded in {@code jobs_schema_version}; a schema whose recorded version is newer than the
 * newest migration here was written by a newer library, and opening it fails and changes nothing.
 *
 * <p>Types: ids are {@code uuid}, job state is {@code bytea}, parameters and outputs are
 * {@code text} (kept exactly as given, which {@code jsonb} would not do), times are {@code bigint}
 * epoch milliseconds from the caller's clock (never the database's), statuses the
 * {@code JobStatus} names as {@code text}. {@code #.} stands for the schema.
 */
final class Migrations {

    record Migration(int version, String description, List<String> statements) {}

    private static final String ACTIVE = "('QUEUED', 'RUNNING', 'PAUSED', 'WAITING')";

    static final List<Migration> ALL = List.of(
            new Migration(
                    1,
                    "jobs, logs, owners, attempts, schedules, unique keys, resources, deliveries and cascades",
                    List.of(
                            """
                    CREATE TABLE #.jobs (
                      seq             bigint GENERATED ALWAYS AS IDENTITY,
                      id              uuid PRIMARY KEY,
                      name            text NOT NULL,
                      version         integer NOT NULL,
                      data            bytea,
                      status          text NOT NULL,
                      priority        integer NOT NULL DEFAULT 0,
                      progress        double precision,
                      progress_data   text,
                      output          text,
                      error_message   text,
                      error_trace     text,
                      created_at      bigint NOT NULL,
                      started_at      bigint,
                      completed_at    bigint,
                      last_checkpoint bigint,
                      owner           text,
                      lease_until     bigint,
                      attempt         integer NOT NULL DEFAULT 0,
                      control         text,
                      claim           bigint NOT NULL DEFAULT 0,
                      run_started     bigint,
                      lost_runs       integer NOT NULL DEFAULT 0,
                      parameters      text,
                      rerun_of        uuid,
                      run_at          bigint,
                      retry_policy    text,
                      max_attempts    integer,
                      failures        integer NOT NULL DEFAULT 0,
                      schedule        text,
                      scheduled_for   bigint,
                      unique_key      text,
                      limited         boolean NOT NULL DEFAULT false,
                      parent_id       uuid,
                      child_key       text,
                      saves           integer NOT NULL DEFAULT 0,
                      chain_id        uuid,
                      after_id        uuid,
                      chain_continue  boolean NOT NULL DEFAULT false
                    )""",
                            "CREATE UNIQUE INDEX jobs_seq ON #.jobs (seq)",
                            // the claim's order, queued jobs only; limited jobs have their own
                            "CREATE INDEX jobs_ready ON #.jobs (priority DESC, seq) WHERE status = 'QUEUED' AND NOT limited",
                            "CREATE INDEX jobs_ready_limited ON #.jobs (priority DESC, seq) WHERE status = 'QUEUED' AND limited",
                            "CREATE INDEX jobs_delayed ON #.jobs (run_at) WHERE status = 'QUEUED' AND run_at IS NOT NULL",
                            "CREATE INDEX jobs_created ON #.jobs (created_at, id)",
                            "CREATE INDEX jobs_running_owner ON #.jobs (owner) WHERE status = 'RUNNING'",
                            "CREATE INDEX jobs_completed ON #.jobs (completed_at) WHERE completed_at IS NOT NULL",
                            "CREATE UNIQUE INDEX jobs_schedule_tick ON #.jobs (schedule, scheduled_for) WHERE schedule IS NOT NULL",
                            "CREATE INDEX jobs_schedule_active ON #.jobs (schedule) WHERE schedule IS NOT NULL AND status IN "
                                    + ACTIVE,
                            "CREATE UNIQUE INDEX jobs_children ON #.jobs (parent_id, child_key) WHERE parent_id IS NOT NULL",
                            "CREATE INDEX jobs_active_children ON #.jobs (parent_id) WHERE parent_id IS NOT NULL AND status IN "
                                    + ACTIVE,
                            "CREATE INDEX jobs_chain ON #.jobs (chain_id, seq) WHERE chain_id IS NOT NULL",
                            "CREATE INDEX jobs_after ON #.jobs (after_id) WHERE after_id IS NOT NULL",
                            """
                    CREATE TABLE #.job_logs (
                      job_id  uuid NOT NULL,
                      seq     bigint NOT NULL,
                      at      bigint NOT NULL,
                      level   text NOT NULL,
                      message text NOT NULL,
                      PRIMARY KEY (job_id, seq)
                    )""",
                            """
                    CREATE TABLE #.owners (
                      id          text PRIMARY KEY,
                      host        text NOT NULL,
                      pid         bigint NOT NULL,
                      started_at  bigint NOT NULL,
                      lease_until bigint NOT NULL
                    )""",
                            """
                    CREATE TABLE #.job_attempts (
                      job_id  uuid NOT NULL,
                      attempt integer NOT NULL,
                      at      bigint NOT NULL,
                      error   text,
                      trace   text,
                      PRIMARY KEY (job_id, attempt)
                    )""",
                            """
                    CREATE TABLE #.job_schedules (
                      name         text PRIMARY KEY,
                      job_name     text NOT NULL,
                      parameters   text NOT NULL,
                      schedule     text NOT NULL,
                      catch_up     text NOT NULL,
                      catch_up_cap integer NOT NULL,
                      overlap      text NOT NULL,
                      priority     integer NOT NULL,
                      paused       boolean NOT NULL DEFAULT false,
                      anchor       bigint NOT NULL,
                      last_tick    bigint,
                      pending_tick bigint,
                      next_check   bigint,
                      last_job     text,
                      dropped      bigint NOT NULL DEFAULT 0,
                      version      bigint NOT NULL DEFAULT 0,
                      created_at   bigint NOT NULL,
                      updated_at   bigint NOT NULL
                    )""",
                            "CREATE INDEX job_schedules_next ON #.job_schedules (next_check) WHERE NOT paused",
                            """
                    CREATE TABLE #.job_unique_keys (
                      key    text PRIMARY KEY,
                      job_id uuid NOT NULL,
                      scope  text NOT NULL,
                      until  bigint
                    )""",
                            """
                    CREATE TABLE #.job_resources (
                      job_id   uuid NOT NULL,
                      resource text NOT NULL,
                      max      integer NOT NULL,
                      PRIMARY KEY (job_id, resource)
                    )""",
                            "CREATE INDEX job_resources_holders ON #.job_resources (resource, job_id)",
                            """
                    CREATE TABLE #.job_deliveries (
                      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                      delivery    text NOT NULL,
                      job_id      uuid NOT NULL,
                      url         text NOT NULL,
                      event       text NOT NULL,
                      attempt     integer NOT NULL,
                      at          bigint NOT NULL,
                      http_status integer,
                      error       text,
                      delivered   boolean NOT NULL
                    )""",
                            "CREATE INDEX job_deliveries_job ON #.job_deliveries (job_id, id)",
                            """
                    CREATE TABLE #.job_cascades (
                      seq    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                      job_id uuid NOT NULL,
                      name   text NOT NULL
                    )""")),
            new Migration(
                    2,
                    "the ends that queue or cancel other jobs, and delivery records deleted with their job",
                    List.of(
                            // SQLite's triggers jobs_step_ended, jobs_child_ended and
                            // jobs_parent_cancelled (its migrations 11 and 13) as one row trigger:
                            // every way a job ends (its run, a cancel, recovery, on any node) does
                            // them in the same transaction. Times are the ending job's completion
                            // time, never the database clock. A cancel it makes fires it again,
                            // which cancels the rest of a chain or family in turn.
                            """
                    CREATE FUNCTION #.jobs_status_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF NEW.status IN ('COMPLETED', 'FAILED', 'CANCELLED')
                          AND OLD.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED') THEN
                        IF NEW.chain_id IS NOT NULL THEN
                          UPDATE #.jobs SET status = 'QUEUED'
                            WHERE after_id = NEW.id AND status = 'WAITING'
                              AND (NEW.status = 'COMPLETED' OR chain_continue);
                          INSERT INTO #.job_cascades (job_id, name)
                            SELECT id, name FROM #.jobs WHERE after_id = NEW.id AND status = 'WAITING' ORDER BY seq;
                          UPDATE #.jobs SET status = 'CANCELLED', completed_at = NEW.completed_at,
                              error_message = 'the chain step before it (' || NEW.id || ') ended ' || NEW.status
                            WHERE after_id = NEW.id AND status = 'WAITING';
                        END IF;
                        IF NEW.parent_id IS NOT NULL THEN
                          UPDATE #.jobs SET status = 'QUEUED'
                            WHERE id = NEW.parent_id AND status = 'WAITING'
                              AND NOT EXISTS (SELECT 1 FROM #.jobs c WHERE c.parent_id = NEW.parent_id
                                AND c.status IN ('QUEUED', 'RUNNING', 'PAUSED', 'WAITING'));
                        END IF;
                      END IF;
                      IF NEW.status = 'CANCELLED' AND OLD.status <> 'CANCELLED' THEN
                        INSERT INTO #.job_cascades (job_id, name)
                          SELECT id, name FROM #.jobs
                          WHERE parent_id = NEW.id AND status IN ('QUEUED', 'PAUSED', 'WAITING') ORDER BY seq;
                        UPDATE #.jobs SET status = 'CANCELLED', completed_at = NEW.completed_at,
                            error_message = 'its parent ' || NEW.id || ' was cancelled'
                          WHERE parent_id = NEW.id AND status IN ('QUEUED', 'PAUSED', 'WAITING');
                        UPDATE #.jobs SET control = 'CANCEL'
                          WHERE parent_id = NEW.id AND status = 'RUNNING';
                      END IF;
                      RETURN NULL;
                    END
                    $$""", """
                    CREATE TRIGGER jobs_status_changed AFTER UPDATE OF status ON #.jobs
                      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
                      EXECUTE FUNCTION #.jobs_status_changed()""", """
                    CREATE FUNCTION #.job_deliveries_with_job() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      DELETE FROM #.job_deliveries WHERE job_id = OLD.id;
                      RETURN NULL;
                    END
                    $$""", """
                    CREATE TRIGGER job_deliveries_with_job AFTER DELETE ON #.jobs
                      FOR EACH ROW EXECUTE FUNCTION #.job_deliveries_with_job()""")),
            new Migration(
                    3,
                    "a notification on the schema's channel after every change of jobs or schedules",
                    List.of(
                            // one per statement, and PostgreSQL folds equal notifications of one
                            // transaction into one: a bulk insert notifies once
                            """
                    CREATE FUNCTION #.jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      PERFORM pg_notify(TG_ARGV[0], '');
                      RETURN NULL;
                    END
                    $$""",
                            "CREATE TRIGGER jobs_notify AFTER INSERT OR UPDATE OR DELETE ON #.jobs"
                                    + " FOR EACH STATEMENT EXECUTE FUNCTION #.jobs_notify(@channel)",
                            "CREATE TRIGGER job_schedules_notify AFTER INSERT OR UPDATE OR DELETE ON #.job_schedules"
                                    + " FOR EACH STATEMENT EXECUTE FUNCTION #.jobs_notify(@channel)")),
            new Migration(
                    4,
                    "the row trigger of ending jobs fires only for jobs in a chain or a family, or cancelled ones",
                    List.of(
                            // what jobs_status_changed does needs a chain step, a child, or a
                            // cancelled job (whose children it cancels): a plain job's claim or end
                            // no longer calls the plpgsql function at all
                            "DROP TRIGGER jobs_status_changed ON #.jobs", """
                    CREATE TRIGGER jobs_status_changed AFTER UPDATE OF status ON #.jobs
                      FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
                        AND (NEW.chain_id IS NOT NULL OR NEW.parent_id IS NOT NULL OR NEW.status = 'CANCELLED'))
                      EXECUTE FUNCTION #.jobs_status_changed()""")),
            new Migration(
                    5,
                    "indexes that let a run's fenced write find its row by id, and the look for jobs finished"
                            + " by other nodes skip this node's rows; claims notify nobody",
                    List.of(
                            // A fenced write (id, RUNNING, owner, claim) could be planned on the
                            // owner index, whose rows are every running job of the owner: with the
                            // statistics a bulk load leaves stale, a set-based completion of 250 runs
                            // walked 250 x 250 index entries (30-50 ms). With the id in the index the
                            // lookup is one entry whichever index is chosen.
                            "DROP INDEX #.jobs_running_owner",
                            "CREATE INDEX jobs_running_owner ON #.jobs (owner, id) WHERE status = 'RUNNING'",
                            // finishedSince reads the rows other owners finished lately; by the
                            // finish time alone it fetched this node's own completions too (7,000
                            // heap rows per look during a bulk run), on every notification. With the
                            // owner in the index, it is compared there and no own row is fetched
                            // (retention still finds rows by their finish time).
                            "DROP INDEX #.jobs_completed",
                            "CREATE INDEX jobs_completed ON #.jobs (completed_at, owner) WHERE completed_at IS NOT NULL",
                            // controlsFor, on every notification: the few running rows with a pause or
                            // cancel request, not every running row of the owner
                            "CREATE INDEX jobs_controls ON #.jobs (owner) WHERE status = 'RUNNING' AND control IS NOT NULL",
                            // a transaction that sets jobs.quiet (a claim: no node waits for one)
                            // notifies nobody; every other change still notifies every node
                            """
                    CREATE OR REPLACE FUNCTION #.jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF current_setting('jobs.quiet', true) IS DISTINCT FROM 'on' THEN
                        PERFORM pg_notify(TG_ARGV[0], '');
                      END IF;
                      RETURN NULL;
                    END
                    $$""")),
            new Migration(
                    6,
                    "no index of its own for the identity column seq",
                    List.of(
                            // seq is unique by construction (an identity column) and no query looks a
                            // row up by it: it orders rows inside jobs_ready, jobs_ready_limited and
                            // jobs_chain. Its own index took one more entry on every row version (an
                            // insert, every claim and every completion), about 10% of bulk throughput.
                            "DROP INDEX IF EXISTS #.jobs_seq")));

    static int latestVersion() {
        return ALL.get(ALL.size() - 1).version();
    }

    private Migrations() {}

    /**
     * Creates the schema if needed and brings it up to date, in one transaction on
     * {@code connection} under an advisory lock of the schema.
     *
     * @param schema the schema's name as given
     * @param quoted the schema's name as an SQL identifier
     * @param channel the channel notified on every change
     */
    static void apply(Connection connection, String schema, String quoted, String channel, String describe)
            throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            try (PreparedStatement lock =
                    connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('dev.jobs.migrate:' || ?))")) {
                lock.setString(1, schema);
                lock.executeQuery().close();
            }
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE SCHEMA IF NOT EXISTS " + quoted);
                s.execute("CREATE TABLE IF NOT EXISTS " + quoted + ".jobs_schema_version ("
                        + "version integer PRIMARY KEY, description text NOT NULL, applied_at bigint NOT NULL)");
                int version;
                try (ResultSet rs = s.executeQuery("SELECT max(version) FROM " + quoted + ".jobs_schema_version")) {
                    rs.next();
                    version = rs.getInt(1);
                }
                if (version > latestVersion()) {
                    throw new StoreException(describe + " has schema version " + version
                            + ", but this jobs library only knows versions up to " + latestVersion()
                            + "; it was written by a newer version of the library: upgrade the library"
                            + " on this node (nothing was changed)");
                }
                for (Migration migration : ALL) {
                    if (migration.version() <= version) {
                        continue;
                    }
                    for (String sql : migration.statements()) {
                        s.execute(sql.replace("#.", quoted + ".").replace("@channel", literal(channel)));
                    }
                    try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + quoted
                            + ".jobs_schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                        record.setInt(1, migration.version());
                        record.setString(2, migration.description());
                        record.setLong(3, System.currentTimeMillis());
                        record.executeUpdate();
                    }
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** An SQL string literal. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
