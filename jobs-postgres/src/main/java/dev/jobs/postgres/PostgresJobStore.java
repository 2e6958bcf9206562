package dev.jobs.postgres;

import dev.jobs.JobStatus;
import dev.jobs.runtime.StoreException;
import dev.jobs.runtime.store.Claim;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.Control;
import dev.jobs.runtime.store.JobRow;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.ScheduleRow;
import dev.jobs.runtime.store.StoreFutures;
import dev.jobs.runtime.store.Transition;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import javax.sql.DataSource;

/**
 * The PostgreSQL store: every read and write of the store SPI as hand-written SQL on connections
 * of the caller's {@link DataSource}. The writes of runs and dispatches go through one writer
 * thread with group commit ({@link GroupCommit}), and so does the lease renewal: concurrent writes
 * share one transaction, and their futures complete after its commit, on the writer thread, in
 * submission order. Other writes (control from outside a run, registering and sweeping owners,
 * recovery, retention, schedules) are one transaction each on a pooled connection, on the caller's
 * thread.
 *
 * <p>As in the SQLite store, every status change is a compare-and-set guarded by the source
 * statuses of its {@link Transition}, and every write of a run is fenced by its {@link Claim}
 * (status RUNNING, owner, claim token). Claims take rows with {@code FOR UPDATE SKIP LOCKED}, so
 * nodes claiming together never take one job twice and never wait for each other. Where SQLite
 * relies on its single writer, this store takes row locks or advisory locks (unique keys, limited
 * claims, a wait for children). Times always come from the caller.
 */
final class PostgresJobStore implements JobStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostgresJobStore.class);

    private final DataSource dataSource;
    private final String schema;
    private final String channel;
    private final String describe;
    /** Whether the database answers: see {@link Reachability}. */
    private final Reachability reachability;

    private volatile boolean closed;
    private final List<Watcher> watchers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final GroupCommit writer;

    // ---------------------------------------------------------------- the SQL, one place per flow

    /** The columns of a {@link JobRow}, read by {@link #row}. */
    private static final String ROW_FIELDS = "id, name, version, status, priority, progress, progress_data, output,"
            + " error_message, error_trace, created_at, started_at, completed_at, last_checkpoint, owner, lease_until,"
            + " attempt + CASE WHEN status = 'RUNNING' AND run_started IS NULL THEN 1 ELSE 0 END,"
            + " control, parameters, rerun_of, run_at, failures, max_attempts, schedule, scheduled_for, unique_key,"
            + " limited, parent_id, chain_id, after_id";

    /** What a claim returns, read by {@link #claimedJob}. */
    private static final String CLAIMED_FIELDS =
            "id, name, version, data, attempt, priority, seq, claim, failures, retry_policy,"
                    + " last_checkpoint IS NOT NULL, saves";

    /** What a claim ({@link Transition#CLAIM}) sets. Binds: owner, lease_until, now. */
    private static final String CLAIMED = "status = 'RUNNING', owner = :owner, lease_until = :lease_until,"
            + " started_at = coalesce(started_at, :now), claim = claim + 1, run_started = NULL,"
            + " error_message = NULL, error_trace = NULL";

    /** The guard of a run's write: still RUNNING under its claim. Binds: id, owner, claim. */
    private static final String HELD = "id = :id AND status = 'RUNNING' AND owner = :owner AND claim = :claim";

    /** The attempt count with this run counted (a run whose start was not written counts now). */
    private static final String ATTEMPT_COUNTED = "attempt = attempt + CASE WHEN run_started IS NULL THEN 1 ELSE 0 END";

    /** Binds: progress, progress_data. */
    private static final String PROGRESS =
            "progress = CAST(:progress AS double precision), progress_data = CAST(:progress_data AS text)";

    /** The state a run saves; null data keeps the last saved state. Binds: data, version, now, progress. */
    private static final String SAVED_STATE = "data = coalesce(CAST(:data AS bytea), data),"
            + " version = CASE WHEN CAST(:data AS bytea) IS NULL THEN version ELSE CAST(:version AS integer) END,"
            + " last_checkpoint = CASE WHEN CAST(:data AS bytea) IS NULL THEN last_checkpoint"
            + " ELSE CAST(:now AS bigint) END,"
            + " saves = CASE WHEN CAST(:data AS bytea) IS NULL THEN saves ELSE saves + 1 END, " + PROGRESS;

    /** A run ends: no lease, no pending control. */
    private static final String RUN_ENDS = "lease_until = NULL, control = NULL";

    /** A run ends and the row is free for the next claim (a cancelled row keeps its owner). */
    private static final String RELEASED =
            RUN_ENDS + ", owner = CASE WHEN control = 'CANCEL' THEN owner ELSE NULL END, run_started = NULL";

    private static final String STATUS_AFTER_STOP =
            "CASE WHEN control = 'PAUSE' THEN 'PAUSED'" + " WHEN control = 'CANCEL' THEN 'CANCELLED' ELSE 'QUEUED' END";

    private static final String COMPLETED_IF_CANCELLED =
            "CASE WHEN control = 'CANCEL' THEN CAST(:now AS bigint) ELSE NULL END";

    private static final String NEW_COLUMNS = "id, name, version, data, priority, created_at, parameters, rerun_of,"
            + " run_at, retry_policy, max_attempts, schedule, scheduled_for, unique_key, limited,"
            + " parent_id, child_key, chain_id, after_id, chain_continue, status, attempt";

    private static final String NEW_VALUES = ":id, :name, :version, CAST(:data AS bytea), :priority, :created_at,"
            + " CAST(:parameters AS text), CAST(:rerun_of AS uuid), CAST(:run_at AS bigint),"
            + " CAST(:retry_policy AS text), CAST(:max_attempts AS integer), CAST(:schedule AS text),"
            + " CAST(:scheduled_for AS bigint), CAST(:unique_key AS text), :limited, CAST(:parent_id AS uuid),"
            + " CAST(:child_key AS text), CAST(:chain_id AS uuid), CAST(:after_id AS uuid), :chain_continue";

    private final Sql insert;
    private final GroupCommit.SetForm insertSet;
    private final GroupCommit.SetForm completeSet;
    private final GroupCommit.SetForm checkpointSet;
    private final GroupCommit.SetForm startSet;
    private final GroupCommit.SetForm progressSet;
    private final Sql insertTickJob;
    final Sql insertClaimedIfFirst;
    private final Sql insertClaimedIfFirstInIndexOrder;
    private final Sql insertResource;
    private final Sql keyLock;
    private final Sql keyHolder;
    private final Sql statusOf;
    private final Sql holdKey;
    private final Sql claim;
    private final Sql limitedLock;
    private final Sql claimLimited;
    private final Sql start;
    private final Sql checkpoint;
    private final Sql complete;
    private final Sql fail;
    private final Sql recordAttempt;
    private final Sql retry;
    private final Sql stopCancelled;
    private final Sql stopPaused;
    private final Sql stopUnsaved;
    private final Sql stop;
    private final Sql lockActiveChildren;
    private final Sql waitChildren;
    private final Sql heldRow;
    private final Sql childWithKey;
    private final Sql children;
    private final Sql chainSteps;
    private final Sql anyCascade;
    private final Sql takeCascades;
    private final Sql release;
    private final Sql move;
    private final Sql ask;
    private final Sql askHeld;
    private final Sql withdrawPause;
    /**
     * Package-private for the plan test, as are {@link #finishedSince}, {@link #finishedAmong} and
     * {@link #controlsFor}.
     */
    final Sql saveProgress;

    private final Sql insertLog;
    private final Sql insertOwner;
    private final Sql renewOwner;
    private final Sql renewJobLeases;
    private final Sql deleteOwner;
    private final Sql allOwners;
    private final Sql find;
    private final Sql unresolved;
    private final Sql idsStartingWith;
    final Sql finishedSince;
    private final Sql finishedSinceIndexed;
    final Sql finishedAmong;
    final Sql controlsFor;
    private final Sql nextRunAt;
    final Sql hasQueued;
    private final Sql hasQueuedInIndexOrder;
    private final Sql countQueued;
    private final Sql unreadable;
    private final Sql logs;
    private final Sql lastLogSeq;
    private final Sql failedAttempts;
    private final Sql resourcesOf;
    private final Sql deleteByCutoff;
    private final Sql deleteKeepingNewest;
    private final Sql deleteLogs;
    private final Sql deleteAttempts;
    private final Sql deleteResources;
    private final Sql recordDelivery;
    private final Sql deliveriesOf;
    private final PostgresSchedules schedules;
    private final String runnable;

    PostgresJobStore(DataSource dataSource, String schema, String quoted, String describe, Collection<String> names) {
        this.dataSource = dataSource;
        this.schema = quoted;
        this.channel = channel(schema);
        this.describe = describe;
        this.reachability = new Reachability(describe);
        this.runnable = names.isEmpty() ? "false" : "name IN (" + literals(names) + ")";
        String queued = "status = 'QUEUED'";
        String due = "(run_at IS NULL OR run_at <= :now)";
        insert = sql("INSERT INTO #.jobs (" + NEW_COLUMNS + ") VALUES (" + NEW_VALUES + ", :status, 0)");
        insertTickJob = sql("INSERT INTO #.jobs (" + NEW_COLUMNS + ") VALUES (" + NEW_VALUES + ", 'QUEUED', 0)"
                + " ON CONFLICT (schedule, scheduled_for) WHERE schedule IS NOT NULL DO NOTHING");
        // one statement (one round trip of the writer's cycle): claimed by the dispatching node when
        // no job it would have to overtake is queued, else queued (or waiting) for a claim. OFFSET 0
        // keeps the look one subquery: pulled up into the five CASEs it was run five times
        // (PostgresQueryPlanTest)
        String insertClaimedIfFirstText = ("INSERT INTO #.jobs (" + NEW_COLUMNS
                + ", owner, lease_until, started_at, claim)"
                + " SELECT " + NEW_VALUES + ", CASE WHEN a.ahead THEN CAST(:status AS text) ELSE 'RUNNING' END, 0,"
                + " CASE WHEN a.ahead THEN NULL ELSE CAST(:owner AS text) END,"
                + " CASE WHEN a.ahead THEN NULL ELSE CAST(:lease_until AS bigint) END,"
                + " CASE WHEN a.ahead THEN NULL ELSE CAST(:created_at AS bigint) END,"
                + " CASE WHEN a.ahead THEN 0 ELSE 1 END"
                + " FROM (SELECT "
                + firstQueued(queued + " AND NOT limited AND priority >= :priority AND " + due + " AND " + runnable)
                + " IS NOT NULL AS ahead OFFSET 0) a RETURNING status = 'RUNNING'");
        insertClaimedIfFirst = sql(insertClaimedIfFirstText);
        // the look for a job ahead in the ready index's order, which it stops at: with stale
        // statistics PostgreSQL would rather gather every queued row and sort them. Only this
        // statement goes without sorts; the rest of the writer's transaction keeps the default
        insertClaimedIfFirstInIndexOrder = sql(IDLE_LIMIT + "SET LOCAL enable_sort = off; " + insertClaimedIfFirstText
                + "; SET LOCAL enable_sort TO DEFAULT");
        insertResource = sql("INSERT INTO #.job_resources (job_id, resource, max) VALUES (:id, :resource, :max)");
        keyLock = sql("SELECT pg_advisory_xact_lock(hashtext(:lock_key))");
        keyHolder = sql("SELECT job_id, scope, until FROM #.job_unique_keys WHERE key = :key");
        statusOf = sql("SELECT status FROM #.jobs WHERE id = :id");
        holdKey = sql("INSERT INTO #.job_unique_keys (key, job_id, scope, until) VALUES (:key, :id, :scope,"
                + " CAST(:until AS bigint)) ON CONFLICT (key) DO UPDATE SET job_id = EXCLUDED.job_id,"
                + " scope = EXCLUDED.scope, until = EXCLUDED.until");
        // the claim walks the ready index in its order (priority, seq) and stops at the limit; with
        // stale statistics (a bulk insert not yet analyzed) PostgreSQL would rather sort every
        // queued row for each claim (~100 ms per claim of 256 with 100,000 queued). The setting
        // ends with the claim's transaction, and goes in the same round trip as the claim. So does
        // jobs.quiet: a claim wakes no node's watcher (migration 5), as nothing waits for one
        claim = sql(IDLE_LIMIT + "SET LOCAL enable_sort = off; SET LOCAL jobs.quiet = 'on'; UPDATE #.jobs SET "
                + CLAIMED
                + " WHERE id IN (SELECT id FROM #.jobs WHERE " + queued
                + " AND NOT limited AND " + due + " AND " + runnable
                + " ORDER BY priority DESC, seq LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING " + CLAIMED_FIELDS
                // and, in the same round trip, whether a limited job waits (rare: only then the
                // limited claim below takes its lock and its turn)
                + "; SELECT " + firstQueued(queued + " AND limited AND " + due + " AND " + runnable) + " IS NOT NULL");
        // limited claims of every node take turns (one transaction-scoped lock), so that each counts
        // the holders the others made; taken only when a limited job is queued
        limitedLock = sql("SELECT pg_advisory_xact_lock(hashtext(:lock_key)) FROM (SELECT 1 FROM #.jobs WHERE " + queued
                + " AND limited AND " + due + " AND " + runnable + " LIMIT 1) q");
        claimLimited = sql("UPDATE #.jobs SET " + CLAIMED + " WHERE id = (SELECT j.id FROM #.jobs j WHERE j.status ="
                + " 'QUEUED' AND j.limited AND (j.run_at IS NULL OR j.run_at <= :now) AND "
                + (names.isEmpty() ? "false" : "j.name IN (" + literals(names) + ")")
                + " AND NOT EXISTS (SELECT 1 FROM #.job_resources r WHERE r.job_id = j.id AND r.max <="
                + " (SELECT count(*) FROM #.jobs rj JOIN #.job_resources h ON h.job_id = rj.id"
                + " AND h.resource = r.resource WHERE rj.status = 'RUNNING'))"
                + " ORDER BY j.priority DESC, j.seq LIMIT 1 FOR UPDATE OF j SKIP LOCKED) RETURNING " + CLAIMED_FIELDS);
        start = sql("UPDATE #.jobs SET run_started = :now, attempt = attempt + 1 WHERE " + HELD
                + " AND run_started IS NULL");
        checkpoint = sql("UPDATE #.jobs SET " + SAVED_STATE + ", " + ATTEMPT_COUNTED
                + ", run_started = coalesce(run_started, CAST(:now AS bigint)), lost_runs = 0 WHERE " + HELD);
        complete = sql("UPDATE #.jobs SET status = 'COMPLETED', output = CAST(:output AS text), " + PROGRESS
                + ", completed_at = :now, " + RUN_ENDS + ", " + ATTEMPT_COUNTED + " WHERE " + HELD);
        fail = sql("UPDATE #.jobs SET status = 'FAILED', error_message = CAST(:error_message AS text),"
                + " error_trace = CAST(:error_trace AS text), " + PROGRESS + ", completed_at = :now, " + RUN_ENDS
                + ", " + ATTEMPT_COUNTED + ", failures = failures + 1 WHERE " + HELD);
        recordAttempt = sql("INSERT INTO #.job_attempts (job_id, attempt, at, error, trace)"
                + " SELECT id, failures, :now, CAST(:error_message AS text),"
                + " substr(CAST(:error_trace AS text), 1, 4000) FROM #.jobs WHERE id = :id ON CONFLICT DO NOTHING");
        retry = sql("UPDATE #.jobs SET status = " + STATUS_AFTER_STOP + ", data = coalesce(CAST(:data AS bytea), data),"
                + " version = coalesce(CAST(:version AS integer), version),"
                + " last_checkpoint = CASE WHEN CAST(:data AS bytea) IS NULL THEN last_checkpoint ELSE NULL END,"
                + " saves = CASE WHEN CAST(:data AS bytea) IS NULL THEN saves ELSE 0 END, " + PROGRESS
                + ", run_at = :run_at, error_message = CAST(:error_message AS text),"
                + " error_trace = CAST(:error_trace AS text), failures = failures + 1, completed_at = "
                + COMPLETED_IF_CANCELLED + ", " + RELEASED + ", " + ATTEMPT_COUNTED + " WHERE " + HELD);
        stopCancelled = sql("UPDATE #.jobs SET status = 'CANCELLED', " + PROGRESS + ", completed_at = :now, " + RUN_ENDS
                + ", " + ATTEMPT_COUNTED + " WHERE " + HELD + " AND control = 'CANCEL'");
        stopPaused = sql("UPDATE #.jobs SET status = 'PAUSED', " + SAVED_STATE + ", " + RELEASED + ", "
                + ATTEMPT_COUNTED + " WHERE " + HELD + " AND control = 'PAUSE'");
        stopUnsaved = sql("UPDATE #.jobs SET status = CASE WHEN control = 'CANCEL' THEN 'CANCELLED' ELSE 'PAUSED' END,"
                + " error_message = CASE WHEN control = 'CANCEL' THEN error_message"
                + " ELSE CAST(:error_message AS text) END, completed_at = " + COMPLETED_IF_CANCELLED + ", "
                + RELEASED + ", " + ATTEMPT_COUNTED + " WHERE " + HELD);
        stop = sql("UPDATE #.jobs SET status = " + STATUS_AFTER_STOP + ", " + SAVED_STATE + ", completed_at = "
                + COMPLETED_IF_CANCELLED + ", " + RELEASED + ", " + ATTEMPT_COUNTED + " WHERE " + HELD);
        // a child ending on another node at the same time waits for this lock, then sees the parent
        // WAITING and queues it (its trigger); one that ended before is seen by the wait's update
        lockActiveChildren = sql("SELECT 1 FROM #.jobs WHERE parent_id = :id AND status IN "
                + "('QUEUED', 'RUNNING', 'PAUSED', 'WAITING') FOR UPDATE");
        waitChildren = sql("UPDATE #.jobs j SET status = CASE WHEN control = 'PAUSE' THEN 'PAUSED'"
                + " WHEN control = 'CANCEL' THEN 'CANCELLED' WHEN EXISTS (SELECT 1 FROM #.jobs c"
                + " WHERE c.parent_id = j.id AND c.status IN ('QUEUED', 'RUNNING', 'PAUSED', 'WAITING'))"
                + " THEN 'WAITING' ELSE 'QUEUED' END, " + SAVED_STATE + ", completed_at = "
                + COMPLETED_IF_CANCELLED + ", " + RELEASED + ", " + ATTEMPT_COUNTED
                + " WHERE j.id = :id AND j.status = 'RUNNING' AND j.owner = :owner AND j.claim = :claim");
        heldRow = sql("SELECT 1 FROM #.jobs WHERE " + HELD + " FOR SHARE");
        childWithKey = sql("SELECT id FROM #.jobs WHERE parent_id = :parent_id AND child_key = :child_key");
        children = sql("SELECT " + ROW_FIELDS + " FROM #.jobs WHERE parent_id = :id ORDER BY created_at, seq");
        chainSteps = sql("SELECT " + ROW_FIELDS + " FROM #.jobs WHERE chain_id = :id ORDER BY seq");
        anyCascade = sql("SELECT 1 FROM #.job_cascades LIMIT 1");
        takeCascades = sql("DELETE FROM #.job_cascades WHERE seq IN (SELECT seq FROM #.job_cascades ORDER BY seq"
                + " LIMIT :limit FOR UPDATE SKIP LOCKED) RETURNING seq, job_id, name");
        release = sql("UPDATE #.jobs SET status = " + STATUS_AFTER_STOP + ", completed_at = " + COMPLETED_IF_CANCELLED
                + ", started_at = CASE WHEN attempt = 0 THEN NULL ELSE started_at END, " + RELEASED + " WHERE "
                + HELD);
        move = sql("UPDATE #.jobs SET status = :status, completed_at = CAST(:completed_at AS bigint)"
                + " WHERE id = :id AND status = :expected");
        ask = sql("UPDATE #.jobs SET control = :control WHERE id = :id AND status = 'RUNNING'"
                + " AND (control IS NULL OR control <> 'CANCEL')");
        askHeld = sql(
                "UPDATE #.jobs SET control = :control WHERE " + HELD + " AND (control IS NULL OR control <> 'CANCEL')");
        withdrawPause = sql(
                "UPDATE #.jobs SET control = NULL WHERE id = :id AND status = 'RUNNING'" + " AND control = 'PAUSE'");
        saveProgress = sql("UPDATE #.jobs SET " + PROGRESS + " WHERE " + HELD);
        insertLog = sql("INSERT INTO #.job_logs (job_id, seq, at, level, message)"
                + " SELECT :id, :seq, :at, CAST(:level AS text), CAST(:message AS text)"
                + " WHERE EXISTS (SELECT 1 FROM #.jobs WHERE " + HELD + ")");
        insertOwner = sql("INSERT INTO #.owners (id, host, pid, started_at, lease_until)"
                + " VALUES (:owner, :host, :pid, :started_at, :lease_until)");
        renewOwner = sql("INSERT INTO #.owners (id, host, pid, started_at, lease_until)"
                + " VALUES (:owner, :host, :pid, :started_at, :lease_until)"
                + " ON CONFLICT (id) DO UPDATE SET lease_until = EXCLUDED.lease_until");
        renewJobLeases =
                sql("UPDATE #.jobs SET lease_until = :lease_until WHERE owner = :owner AND status = 'RUNNING'");
        deleteOwner = sql("DELETE FROM #.owners WHERE id = :owner");
        allOwners = sql("SELECT id, host, pid, lease_until FROM #.owners");
        find = sql("SELECT " + ROW_FIELDS + " FROM #.jobs WHERE id = :id");
        unresolved = sql("SELECT " + ROW_FIELDS + " FROM #.jobs WHERE status IN ('QUEUED', 'RUNNING', 'PAUSED',"
                + " 'WAITING') AND NOT (" + runnable + ") ORDER BY seq");
        idsStartingWith = sql(
                "SELECT id FROM #.jobs WHERE left(CAST(id AS text), :length) = :prefix" + " ORDER BY id LIMIT :limit");
        // "another owner" as three conditions jobs_completed (completed_at, owner) can check in the
        // index (before this owner, after it, none): this node's own completions, most of the
        // recent ones, are never fetched
        String finishedBy = "SELECT " + ROW_FIELDS + " FROM #.jobs WHERE completed_at >= :since"
                + " AND status IN ('COMPLETED', 'FAILED', 'CANCELLED') AND ";
        String finishedElsewhere = finishedBy + "owner < CAST(:self AS text) UNION ALL " + finishedBy
                + "owner > CAST(:self AS text) UNION ALL " + finishedBy + "owner IS NULL";
        finishedSince = sql(finishedElsewhere);
        // a plan cached while the table was small reads it whole for ever after (7,000 rows per
        // look in a run dispatching one job at a time): in its own transaction, without that choice
        finishedSinceIndexed = sql(IDLE_LIMIT + "SET LOCAL enable_seqscan = off; " + finishedElsewhere);
        // one primary-key lookup per id, whatever else finished lately
        finishedAmong = sql("SELECT " + ROW_FIELDS + " FROM #.jobs WHERE id = ANY(:ids)"
                + " AND status IN ('COMPLETED', 'FAILED', 'CANCELLED') AND owner IS DISTINCT FROM CAST(:self AS text)");
        controlsFor = sql("SELECT id, control FROM #.jobs WHERE status = 'RUNNING' AND owner = :owner"
                + " AND control IS NOT NULL");
        nextRunAt = sql("SELECT min(run_at) FROM #.jobs WHERE " + queued + " AND run_at > :now AND " + runnable);
        String hasQueuedText = "SELECT 1 WHERE " + firstQueued(queued + " AND NOT limited AND " + runnable) + " OR "
                + firstQueued(queued + " AND limited AND " + runnable);
        hasQueued = sql(hasQueuedText);
        // in a transaction of its own, without sorts: see firstQueued
        hasQueuedInIndexOrder = sql(IDLE_LIMIT + "SET LOCAL enable_sort = off; " + hasQueuedText);
        // the partial indexes of QUEUED rows (jobs_ready, jobs_ready_limited) hold every one of them
        countQueued = sql("SELECT count(*) FROM #.jobs WHERE status = 'QUEUED'");
        unreadable = sql("SELECT id, name, status FROM #.jobs WHERE status IS NULL OR status NOT IN ("
                + literals(java.util.Arrays.stream(JobStatus.values())
                        .map(Enum::name)
                        .toList()) + ") ORDER BY seq");
        logs = sql("SELECT seq, at, level, message FROM #.job_logs WHERE job_id = :id AND seq > :after"
                + " ORDER BY seq LIMIT :limit");
        lastLogSeq = sql("SELECT coalesce(max(seq), 0) FROM #.job_logs WHERE job_id = :id");
        failedAttempts =
                sql("SELECT attempt, at, error, trace FROM #.job_attempts WHERE job_id = :id ORDER BY attempt");
        resourcesOf = sql("SELECT resource, max FROM #.job_resources WHERE job_id = :id ORDER BY resource");
        String terminal = "status IN ('COMPLETED', 'FAILED', 'CANCELLED')";
        deleteByCutoff = sql("DELETE FROM #.jobs WHERE id IN (SELECT id FROM #.jobs WHERE " + terminal
                + " AND completed_at < :cutoff LIMIT :chunk) RETURNING id");
        deleteKeepingNewest = sql("DELETE FROM #.jobs WHERE id IN (SELECT id FROM #.jobs WHERE " + terminal
                + " ORDER BY completed_at DESC, seq DESC LIMIT :chunk OFFSET :keep) RETURNING id");
        deleteLogs = sql("DELETE FROM #.job_logs WHERE job_id = ANY(:ids)");
        deleteAttempts = sql("DELETE FROM #.job_attempts WHERE job_id = ANY(:ids)");
        deleteResources = sql("DELETE FROM #.job_resources WHERE job_id = ANY(:ids)");
        recordDelivery = sql("INSERT INTO #.job_deliveries (delivery, job_id, url, event, attempt, at, http_status,"
                + " error, delivered) VALUES (:delivery, :id, :url, :event, :attempt, :at,"
                + " CAST(:http_status AS integer), CAST(:error AS text), :delivered)");
        deliveriesOf = sql("SELECT delivery, job_id, url, event, attempt, at, http_status, error, delivered"
                + " FROM #.job_deliveries WHERE job_id = :id ORDER BY id LIMIT :limit");
        // the set-based forms of the hot writes: one statement for the writes of many runs (or
        // dispatches) in one group commit; each returns the ids it wrote. Fenced as their
        // single-row forms: id, RUNNING, owner and claim token, per row
        String fenced = " WHERE j.id = v.id AND j.status = 'RUNNING' AND j.owner = v.owner AND j.claim = v.claim"
                + " RETURNING j.id";
        String attemptCounted = "attempt = j.attempt + CASE WHEN j.run_started IS NULL THEN 1 ELSE 0 END";
        insertSet = setForm(
                "INSERT INTO #.jobs (" + NEW_COLUMNS + ") SELECT id, name, version, data, priority, created_at,"
                        + " parameters, rerun_of, run_at, retry_policy, max_attempts, schedule, scheduled_for,"
                        + " unique_key, limited, parent_id, child_key, chain_id, after_id, chain_continue, status, 0"
                        + " FROM unnest(@) WITH ORDINALITY AS v(id, name, version, data, priority, created_at,"
                        + " parameters, rerun_of, run_at, retry_policy, max_attempts, schedule, scheduled_for,"
                        + " unique_key, limited, parent_id, child_key, chain_id, after_id, chain_continue, status, ord)"
                        + " ORDER BY ord RETURNING id",
                "uuid:" + UUID.class.getName(),
                "text:java.lang.String",
                "int4:java.lang.Integer",
                "bytea:[B",
                "int4:java.lang.Integer",
                "int8:java.lang.Long",
                "text:java.lang.String",
                "uuid:" + UUID.class.getName(),
                "int8:java.lang.Long",
                "text:java.lang.String",
                "int4:java.lang.Integer",
                "text:java.lang.String",
                "int8:java.lang.Long",
                "text:java.lang.String",
                "bool:java.lang.Boolean",
                "uuid:" + UUID.class.getName(),
                "text:java.lang.String",
                "uuid:" + UUID.class.getName(),
                "uuid:" + UUID.class.getName(),
                "bool:java.lang.Boolean",
                "text:java.lang.String");
        completeSet = setForm(
                "UPDATE #.jobs j SET status = 'COMPLETED', output = v.output, progress = v.progress,"
                        + " progress_data = v.progress_data, completed_at = v.now, lease_until = NULL, control = NULL, "
                        + attemptCounted
                        + " FROM unnest(@) AS v(id, owner, claim, output, progress, progress_data, now)" + fenced,
                FENCE_TYPES[0],
                FENCE_TYPES[1],
                FENCE_TYPES[2],
                "text:java.lang.String",
                "float8:java.lang.Double",
                "text:java.lang.String",
                "int8:java.lang.Long");
        checkpointSet = setForm(
                "UPDATE #.jobs j SET data = coalesce(v.data, j.data),"
                        + " version = CASE WHEN v.data IS NULL THEN j.version ELSE v.version END,"
                        + " last_checkpoint = CASE WHEN v.data IS NULL THEN j.last_checkpoint ELSE v.now END,"
                        + " saves = CASE WHEN v.data IS NULL THEN j.saves ELSE j.saves + 1 END,"
                        + " progress = v.progress, progress_data = v.progress_data, " + attemptCounted
                        + ", run_started = coalesce(j.run_started, v.now), lost_runs = 0"
                        + " FROM unnest(@) AS v(id, owner, claim, data, version, progress, progress_data, now)"
                        + fenced,
                FENCE_TYPES[0],
                FENCE_TYPES[1],
                FENCE_TYPES[2],
                "bytea:[B",
                "int4:java.lang.Integer",
                "float8:java.lang.Double",
                "text:java.lang.String",
                "int8:java.lang.Long");
        startSet = setForm(
                "UPDATE #.jobs j SET run_started = v.now, attempt = j.attempt + 1 FROM unnest(@) AS v(id, owner,"
                        + " claim, now)" + fenced.replace(" RETURNING", " AND j.run_started IS NULL RETURNING"),
                FENCE_TYPES[0],
                FENCE_TYPES[1],
                FENCE_TYPES[2],
                "int8:java.lang.Long");
        progressSet = setForm(
                "UPDATE #.jobs j SET progress = v.progress, progress_data = v.progress_data"
                        + " FROM unnest(@) AS v(id, owner, claim, progress, progress_data)" + fenced,
                FENCE_TYPES[0],
                FENCE_TYPES[1],
                FENCE_TYPES[2],
                "float8:java.lang.Double",
                "text:java.lang.String");
        schedules = new PostgresSchedules(this, names);
        writer = new GroupCommit(dataSource, describe, this::translate);
    }

    Sql sql(String template) {
        return Sql.of(schema, template);
    }

    /** The arrays of a claim's fence: ids, owners, tokens. */
    private static final String[] FENCE_TYPES = {
        "uuid:" + UUID.class.getName(), "text:java.lang.String", "int8:java.lang.Long"
    };

    /**
     * A set-based statement: {@code @} in {@code template} becomes its array parameters, each
     * {@code type:JavaClass} (a PostgreSQL array element type, the Java class of its elements).
     */
    private GroupCommit.SetForm setForm(String template, String... columns) {
        String[] types = new String[columns.length];
        Class<?>[] classes = new Class<?>[columns.length];
        StringBuilder arrays = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            int colon = columns[i].indexOf(':');
            types[i] = columns[i].substring(0, colon);
            try {
                classes[i] = Class.forName(columns[i].substring(colon + 1));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            arrays.append(i == 0 ? "" : ", ")
                    .append("CAST(:a")
                    .append(i)
                    .append(" AS ")
                    .append(types[i])
                    .append("[])");
        }
        return new GroupCommit.SetForm(sql(template.replace("@", arrays)), types, classes);
    }

    static String channel(String schema) {
        return "jobs_changes_" + schema;
    }

    static String literals(Collection<String> values) {
        return String.join(", ", values.stream().map(Migrations::literal).toList());
    }

    // ---------------------------------------------------------------- connections and transactions

    interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    private void checkOpen() {
        if (closed) {
            throw new StoreException(
                    "the job store in " + describe + " is closed; open a new JobManager to use it again");
        }
    }

    /** How often a transaction chosen as a deadlock's victim (or a serialization failure) is run again. */
    private static final int DEADLOCK_RETRIES = 3;

    /**
     * Runs {@code work} in one transaction on a pooled connection. A transaction PostgreSQL rolled
     * back as a deadlock's victim (two cascades crossing: a parent cancelled while its child ends)
     * changed nothing and runs again.
     */
    <T> T tx(String what, Work<T> work) {
        return tx(what, work, true);
    }

    /**
     * {@link #tx(String, Work)} for work whose first statements begin with {@link #IDLE_LIMIT}
     * themselves, which saves the round trip of sending it alone (a claim, on the pickup path).
     */
    <T> T txLimitingIdle(String what, Work<T> work) {
        return tx(what, work, false);
    }

    private <T> T tx(String what, Work<T> work, boolean limitIdle) {
        for (int attempt = 1; ; attempt++) {
            try {
                return txOnce(what, work, limitIdle);
            } catch (StoreException e) {
                if (attempt > DEADLOCK_RETRIES || !(e.getCause() instanceof SQLException sql) || !retryable(sql)) {
                    throw e;
                }
                LOG.debug("{} was rolled back ({}); running it again", what, sql.getMessage());
            }
        }
    }

    static boolean retryable(SQLException e) {
        return "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
    }

    private <T> T txOnce(String what, Work<T> work, boolean limitIdle) {
        checkOpen();
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                if (limitIdle) {
                    limitIdleInTransaction(c);
                }
                T result = work.apply(c);
                c.commit();
                reachability.back();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(auto);
                } catch (SQLException ignored) {
                    // the pool resets or drops a broken connection
                }
            }
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    /** Runs a read on a pooled connection (its own statement, auto-commit). */
    <T> T read(String what, Work<T> work) {
        checkOpen();
        try (Connection c = dataSource.getConnection()) {
            T result = work.apply(c);
            reachability.back();
            return result;
        } catch (SQLException e) {
            throw translate(what, e);
        }
    }

    /**
     * A write about job {@code key} through the group-commit writer: its future completes after the
     * commit (after {@code onCommit}), or fails with the store's exception.
     */
    private <T> CompletableFuture<T> future(String what, Object key, Work<T> work, Runnable onCommit) {
        checkOpen();
        return writer.work(what, key, work, onCommit);
    }

    /**
     * How long PostgreSQL lets a transaction of this store sit idle before it ends the session. A
     * node frozen in the middle of a transaction (SIGSTOP, a long GC pause, a suspended VM) would
     * otherwise hold its row locks for as long as it is frozen, and the other nodes' recovery of
     * its jobs would wait behind them; ended, its transaction rolls back (it committed nothing) and
     * the locks are free. No transaction of the store is idle for more than milliseconds otherwise.
     */
    static final long IDLE_IN_TRANSACTION_MILLIS = 5_000;

    /** Sets {@link #IDLE_IN_TRANSACTION_MILLIS} for the transaction begun on {@code c}. */
    static void limitIdleInTransaction(Connection c) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.execute(IDLE_LIMIT);
        }
    }

    /** The statement of {@link #limitIdleInTransaction}, to begin a multi-statement with. */
    static final String IDLE_LIMIT =
            "SET LOCAL idle_in_transaction_session_timeout = " + IDLE_IN_TRANSACTION_MILLIS + "; ";

    /**
     * The store's exception for a failed statement. A lost connection begins an outage (or is part
     * of one); any other error is the database's answer, which ends one. A connection handed out by
     * the pool proves nothing: it may be one the server is about to close.
     */
    StoreException translate(String what, SQLException e) {
        String state = e.getSQLState();
        boolean lost = Reachability.connectionLost(e);
        if (!lost) {
            reachability.back();
        }
        if (lost) {
            return new StoreException(
                    "job store in " + describe + ": " + what + " failed: the database is unreachable (" + e.getMessage()
                            + "); check that PostgreSQL is up and the data source's URL",
                    reachability.lost(e));
        }
        String hint = state != null && state.startsWith("23")
                ? "a row with that key is already stored"
                : "check the database's log";
        return new StoreException(
                "job store in " + describe + ": " + what + " failed (" + e.getMessage() + "); " + hint, e);
    }

    private static UUID uuid(ResultSet rs, int i) throws SQLException {
        return rs.getObject(i, UUID.class);
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    /**
     * True when a QUEUED row matches {@code where}, else NULL: a scalar subquery in the ready
     * index's order, which PostgreSQL walks and stops at the first match when sorts are off for
     * the statement (SET LOCAL enable_sort = off). On a table with stale statistics it would
     * rather gather a bitmap of every queued row and sort them: 6-8 ms per look with 100,000
     * queued, measured in the bulk benchmark. (As {@code EXISTS (...)} the ORDER BY and LIMIT are
     * dropped, and the index's order with them.)
     */
    private static String firstQueued(String where) {
        return "(SELECT true FROM #.jobs WHERE " + where + " ORDER BY priority DESC, seq LIMIT 1)";
    }

    @Override
    public boolean available() {
        return !closed && reachability.reachable();
    }

    /** What the store knows of the database's reachability: for tests. */
    Reachability reachability() {
        return reachability;
    }

    // ---------------------------------------------------------------- dispatch

    /** Binds the columns of a new row. */
    Sql.Bind newJob(Sql.Bind b, NewJob job) throws SQLException {
        NewJob.Relation r = job.relation();
        return b.set("id", job.id())
                .set("name", job.name())
                .set("version", job.version())
                .set("data", job.data())
                .set("priority", job.priority())
                .set("created_at", job.createdAt())
                .set("parameters", job.parameters())
                .set("rerun_of", job.rerunOf())
                .set("run_at", job.runAt())
                .set("retry_policy", job.retryPolicy())
                .set("max_attempts", job.maxAttempts())
                .set("schedule", job.schedule())
                .set("scheduled_for", job.scheduledFor())
                .set("unique_key", job.unique() == null ? null : job.unique().key())
                .set("limited", !job.resources().isEmpty())
                .set("parent_id", r == null ? null : r.parent())
                .set("child_key", r == null ? null : r.childKey())
                .set("chain_id", r == null ? null : r.chain())
                .set("after_id", r == null ? null : r.after())
                .set("chain_continue", r != null && r.continueOnFailure());
    }

    /** A new row's elements for {@code insertSet}. */
    private static Object[] newRow(NewJob job) {
        NewJob.Relation r = job.relation();
        return new Object[] {
            job.id(),
            job.name(),
            job.version(),
            job.data(),
            job.priority(),
            job.createdAt(),
            job.parameters(),
            job.rerunOf(),
            job.runAt(),
            job.retryPolicy(),
            job.maxAttempts(),
            job.schedule(),
            job.scheduledFor(),
            job.unique() == null ? null : job.unique().key(),
            !job.resources().isEmpty(),
            r == null ? null : r.parent(),
            r == null ? null : r.childKey(),
            r == null ? null : r.chain(),
            r == null ? null : r.after(),
            r != null && r.continueOnFailure(),
            job.waiting() ? "WAITING" : "QUEUED"
        };
    }

    /** The most rows one set-based insert of {@link #insertAll} writes. */
    private static final int INSERT_CHUNK = 1000;

    private void insertRow(Connection c, NewJob job) throws SQLException {
        try (Sql.Bind b = insert.on(c)) {
            newJob(b, job).set("status", job.waiting() ? "WAITING" : "QUEUED").update();
        }
        holdResources(c, job);
    }

    void holdResources(Connection c, NewJob job) throws SQLException {
        if (job.resources().isEmpty()) {
            return;
        }
        try (Sql.Bind b = insertResource.on(c)) {
            for (NewJob.Resource r : job.resources()) {
                b.set("id", job.id())
                        .set("resource", r.key())
                        .set("max", r.max())
                        .addBatch();
            }
            b.statement().executeBatch();
        }
    }

    /** Inserts a tick's job unless its (schedule, tick) is stored; true if it was inserted. */
    boolean insertTickJob(Connection c, NewJob job) throws SQLException {
        int n;
        try (Sql.Bind b = insertTickJob.on(c)) {
            n = newJob(b, job).update();
        }
        if (n == 1) {
            holdResources(c, job);
        }
        return n == 1;
    }

    @Override
    public CompletableFuture<Void> insert(NewJob job, Runnable onCommit) {
        if (job.resources().isEmpty()) { // one statement: inserts of many callers share a JDBC batch
            checkOpen();
            return writer.statement(
                    "inserting job " + job.id(),
                    job.id(),
                    insert,
                    b -> newJob(b, job).set("status", job.waiting() ? "WAITING" : "QUEUED"),
                    insertSet,
                    newRow(job),
                    count -> null,
                    onCommit);
        }
        return future(
                "inserting job " + job.id(),
                job.id(),
                c -> {
                    insertRow(c, job);
                    return null;
                },
                onCommit);
    }

    @Override
    public CompletableFuture<UUID> insertUnique(NewJob job, Runnable onInserted) {
        NewJob.UniqueKey unique = Objects.requireNonNull(job.unique(), "the job's unique key");
        boolean[] inserted = new boolean[1];
        return future(
                "inserting job " + job.id() + " with unique key " + unique.key(),
                job.id(),
                c -> {
                    inserted[0] = false; // a deadlock's victim runs again
                    // racing dispatches of one key on any node take turns on the key's lock; each
                    // statement after it sees what the one before committed
                    try (Sql.Bind b = keyLock.on(c)) {
                        b.set("lock_key", "dev.jobs.unique:" + schema + ":" + unique.key())
                                .query()
                                .close();
                    }
                    UUID holder = null;
                    try (Sql.Bind b = keyHolder.on(c)) {
                        try (ResultSet rs = b.set("key", unique.key()).query()) {
                            if (rs.next()) {
                                holder = uuid(rs, 1);
                                String scope = rs.getString(2);
                                long until = rs.getLong(3);
                                boolean noUntil = rs.wasNull();
                                boolean held = switch (scope) {
                                    case "FOREVER" -> true;
                                    case "PERIOD" -> noUntil || until > job.createdAt();
                                    default -> isActive(c, holder);
                                };
                                if (!held) {
                                    holder = null;
                                }
                            }
                        }
                    }
                    if (holder != null) {
                        return holder;
                    }
                    try (Sql.Bind b = holdKey.on(c)) {
                        b.set("key", unique.key())
                                .set("id", job.id())
                                .set("scope", unique.scope())
                                .set("until", unique.until())
                                .update();
                    }
                    insertRow(c, job);
                    inserted[0] = true;
                    return job.id();
                },
                () -> {
                    if (inserted[0] && onInserted != null) {
                        onInserted.run();
                    }
                });
    }

    private boolean isActive(Connection c, UUID id) throws SQLException {
        try (Sql.Bind b = statusOf.on(c);
                ResultSet rs = b.set("id", id).query()) {
            return rs.next() && Set.of("QUEUED", "RUNNING", "PAUSED", "WAITING").contains(rs.getString(1));
        }
    }

    @Override
    public CompletableFuture<Void> insertAll(List<NewJob> jobs, Runnable onCommit) {
        return future(
                "inserting " + jobs.size() + " jobs",
                jobs.isEmpty() ? null : jobs.get(0).id(),
                c -> {
                    // set-based, in insertion order: one statement per chunk of rows
                    for (int from = 0; from < jobs.size(); from += INSERT_CHUNK) {
                        List<Object[]> rows = new ArrayList<>();
                        for (NewJob job : jobs.subList(from, Math.min(jobs.size(), from + INSERT_CHUNK))) {
                            rows.add(newRow(job));
                        }
                        GroupCommit.runSet(c, insertSet, rows, false);
                    }
                    for (NewJob job : jobs) {
                        holdResources(c, job);
                    }
                    return null;
                },
                onCommit);
    }

    @Override
    public CompletableFuture<Boolean> insertClaimedIfFirst(NewJob job, String owner, long leaseUntil) {
        if (!job.resources().isEmpty()) {
            return future(
                    "inserting job " + job.id(),
                    job.id(),
                    c -> {
                        insertRow(c, job);
                        return false;
                    },
                    null);
        }
        checkOpen();
        // the statement sets the transaction's idle limit itself (a lone dispatch: one round trip less)
        return writer.workLimitingIdle(
                "inserting job " + job.id(),
                job.id(),
                c -> {
                    try (Sql.Bind b = insertClaimedIfFirstInIndexOrder.on(c);
                            ResultSet rs = newJob(b, job)
                                    .set("status", job.waiting() ? "WAITING" : "QUEUED")
                                    .set("owner", owner)
                                    .set("lease_until", leaseUntil)
                                    .set("now", job.createdAt())
                                    .queryFirstResultSet()) {
                        return rs.next() && rs.getBoolean(1);
                    }
                },
                null);
    }

    // ---------------------------------------------------------------- claims and runs

    @Override
    public List<ClaimedJob> claim(String owner, int limit, long now, long leaseUntil) {
        return txLimitingIdle("claiming jobs", c -> {
            List<Object[]> rows = new ArrayList<>();
            boolean limitedWaiting;
            try (Sql.Bind b = claim.on(c)) {
                try (ResultSet rs = b.set("owner", owner)
                        .set("lease_until", leaseUntil)
                        .set("now", now)
                        .set("limit", limit)
                        .queryFirstResultSet()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getInt(6), rs.getLong(7), claimedJob(rs, false)});
                    }
                }
                try (ResultSet rs = b.nextResultSet()) {
                    limitedWaiting = rs.next() && rs.getBoolean(1);
                }
            }
            // RETURNING's order is not the claim's: priority first, then oldest
            rows.sort((a, b) -> (int) a[0] != (int) b[0]
                    ? Integer.compare((int) b[0], (int) a[0])
                    : Long.compare((long) a[1], (long) b[1]));
            List<ClaimedJob> claimed = new ArrayList<>();
            for (Object[] r : rows) {
                claimed.add((ClaimedJob) r[2]);
            }
            if (claimed.size() < limit && limitedWaiting) {
                boolean locked;
                try (Sql.Bind b = limitedLock.on(c);
                        ResultSet rs = b.set("lock_key", "dev.jobs.limits:" + schema)
                                .set("now", now)
                                .query()) {
                    locked = rs.next();
                }
                while (locked && claimed.size() < limit) {
                    try (Sql.Bind b = claimLimited.on(c);
                            ResultSet rs = b.set("owner", owner)
                                    .set("lease_until", leaseUntil)
                                    .set("now", now)
                                    .query()) {
                        if (!rs.next()) {
                            break;
                        }
                        claimed.add(claimedJob(rs, true));
                    }
                }
            }
            return claimed;
        });
    }

    private static ClaimedJob claimedJob(ResultSet rs, boolean limited) throws SQLException {
        return new ClaimedJob(
                uuid(rs, 1),
                rs.getString(2),
                rs.getInt(3),
                rs.getBytes(4),
                rs.getInt(5),
                rs.getLong(8),
                rs.getInt(9),
                rs.getString(10),
                rs.getBoolean(11),
                limited,
                rs.getInt(12));
    }

    @Override
    public OptionalLong nextRunAt(long now) {
        return read("reading the next run time", c -> {
            try (Sql.Bind b = nextRunAt.on(c);
                    ResultSet rs = b.set("now", now).query()) {
                Long at = rs.next() ? getLong(rs, 1) : null;
                return at == null ? OptionalLong.empty() : OptionalLong.of(at);
            }
        });
    }

    /** Binds a statement's values. */
    private interface Binder extends GroupCommit.Binder {}

    /** A run's write fenced by its claim, waited for; true if the row changed. */
    private boolean runWrite(String what, Sql statement, Claim claim, Binder binds) {
        return StoreFutures.await(runWriteFuture(what, statement, claim, binds));
    }

    /**
     * A run's write fenced by its claim, through the group-commit writer (writes of one statement
     * from many runs share one JDBC batch); the future says whether the row changed.
     */
    private CompletableFuture<Boolean> runWriteFuture(String what, Sql statement, Claim claim, Binder binds) {
        return runWriteFuture(what, statement, claim, binds, null);
    }

    /**
     * The same with a set-based form ({@code set}, {@code values}: this write's elements after the
     * fence's), run for the writes of many runs at once.
     */
    private CompletableFuture<Boolean> runWriteFuture(
            String what, Sql statement, Claim claim, Binder binds, GroupCommit.SetForm set, Object... values) {
        checkOpen();
        Object[] row = null;
        if (set != null) {
            row = new Object[3 + values.length];
            row[0] = claim.id();
            row[1] = claim.owner();
            row[2] = claim.token();
            System.arraycopy(values, 0, row, 3, values.length);
        }
        return writer.statement(
                what + " of job " + claim.id(),
                claim.id(),
                statement,
                b -> {
                    b.fence(claim);
                    binds.bind(b);
                },
                set,
                row,
                count -> count == 1,
                null);
    }

    private static void state(Sql.Bind b, byte[] data, int version, Double progress, String progressData, long now)
            throws SQLException {
        b.set("data", data)
                .set("version", version)
                .set("now", now)
                .set("progress", progress)
                .set("progress_data", progressData);
    }

    @Override
    public boolean startRun(Claim claim, long now) {
        return StoreFutures.await(
                runWriteFuture("starting the run", start, claim, b -> b.set("now", now), startSet, now));
    }

    @Override
    public CompletableFuture<Boolean> checkpoint(
            Claim claim, byte[] data, int version, Double progress, String progressData, long now) {
        return runWriteFuture(
                "saving the checkpoint",
                checkpoint,
                claim,
                b -> state(b, data, version, progress, progressData, now),
                checkpointSet,
                data,
                version,
                progress,
                progressData,
                now);
    }

    @Override
    public CompletableFuture<Boolean> complete(
            Claim claim, String output, Double progress, String progressData, long now) {
        return runWriteFuture(
                "completing",
                complete,
                claim,
                b -> b.set("output", output)
                        .set("now", now)
                        .set("progress", progress)
                        .set("progress_data", progressData),
                completeSet,
                output,
                progress,
                progressData,
                now);
    }

    /** A run's write that ends an attempt with an error, and the attempt's record. */
    private boolean failedAttempt(Sql statement, Claim claim, String message, String trace, long now, Binder binds) {
        return StoreFutures.await(future(
                "recording the failed attempt of job " + claim.id(),
                claim.id(),
                c -> {
                    try (Sql.Bind b = statement.on(c)) {
                        b.fence(claim);
                        binds.bind(b);
                        if (b.update() != 1) {
                            return false;
                        }
                    }
                    try (Sql.Bind b = recordAttempt.on(c)) {
                        b.set("id", claim.id())
                                .set("now", now)
                                .set("error_message", message)
                                .set("error_trace", trace)
                                .update();
                    }
                    return true;
                },
                null));
    }

    @Override
    public boolean fail(Claim claim, String message, String trace, Double progress, String progressData, long now) {
        return failedAttempt(
                fail,
                claim,
                message,
                trace,
                now,
                b -> b.set("error_message", message)
                        .set("error_trace", trace)
                        .set("now", now)
                        .set("progress", progress)
                        .set("progress_data", progressData));
    }

    @Override
    public boolean retry(Claim claim, RetryWrite r) {
        return failedAttempt(
                retry,
                claim,
                r.message(),
                r.trace(),
                r.now(),
                b -> b.set("data", r.restartData())
                        .set("version", r.restartData() == null ? null : r.restartVersion())
                        .set("run_at", r.runAt())
                        .set("error_message", r.message())
                        .set("error_trace", r.trace())
                        .set("now", r.now())
                        .set("progress", r.progress())
                        .set("progress_data", r.progressData()));
    }

    @Override
    public boolean cancelRunning(Claim claim, Double progress, String progressData, long now) {
        return runWrite(
                "cancelling the run",
                stopCancelled,
                claim,
                b -> b.set("now", now).set("progress", progress).set("progress_data", progressData));
    }

    @Override
    public boolean pauseRunning(Claim claim, byte[] data, int version, Double progress, String progressData, long now) {
        return runWrite(
                "pausing the run", stopPaused, claim, b -> state(b, data, version, progress, progressData, now));
    }

    @Override
    public boolean pauseAfterFailure(Claim claim, String message, long now) {
        return runWrite(
                "pausing the run",
                stopUnsaved,
                claim,
                b -> b.set("error_message", message).set("now", now));
    }

    @Override
    public boolean stopRunning(Claim claim, byte[] data, int version, Double progress, String progressData, long now) {
        return runWrite("stopping the run", stop, claim, b -> state(b, data, version, progress, progressData, now));
    }

    @Override
    public boolean releaseClaim(Claim claim, long now) {
        return runWrite("releasing the claim", release, claim, b -> b.set("now", now));
    }

    @Override
    public boolean requestControl(Claim claim, Control control) {
        return runWrite("asking the run to " + control, askHeld, claim, b -> b.set("control", control.name()));
    }

    @Override
    public CompletableFuture<Boolean> saveProgress(Claim claim, Double progress, String progressData) {
        return runWriteFuture(
                "saving progress",
                saveProgress,
                claim,
                b -> b.set("progress", progress).set("progress_data", progressData),
                progressSet,
                progress,
                progressData);
    }

    @Override
    public CompletableFuture<Boolean> appendLog(Claim claim, long seq, long at, String level, String message) {
        return runWriteFuture(
                "appending a log line",
                insertLog,
                claim,
                b -> b.set("seq", seq).set("at", at).set("level", level).set("message", message));
    }

    // ---------------------------------------------------------------- children and chains

    @Override
    public CompletableFuture<UUID> insertChild(Claim parent, NewJob job, Runnable onInserted) {
        NewJob.Relation relation = Objects.requireNonNull(job.relation(), "the child's relation");
        if (!parent.id().equals(relation.parent()) || relation.childKey() == null) {
            throw new IllegalArgumentException("job " + job.id() + " is not a child of " + parent.id());
        }
        boolean[] inserted = new boolean[1];
        return future(
                "inserting child " + job.id() + " of job " + parent.id(),
                parent.id(),
                c -> {
                    inserted[0] = false; // a deadlock's victim runs again
                    // the parent's row stays locked until the commit: no claim or recovery in between
                    try (Sql.Bind b = heldRow.on(c)) {
                        try (ResultSet rs = b.fence(parent).query()) {
                            if (!rs.next()) {
                                return null;
                            }
                        }
                    }
                    try (Sql.Bind b = childWithKey.on(c);
                            ResultSet rs = b.set("parent_id", parent.id())
                                    .set("child_key", relation.childKey())
                                    .query()) {
                        if (rs.next()) {
                            return uuid(rs, 1);
                        }
                    }
                    insertRow(c, job);
                    inserted[0] = true;
                    return job.id();
                },
                () -> {
                    if (inserted[0] && onInserted != null) {
                        onInserted.run();
                    }
                });
    }

    @Override
    public boolean waitForChildren(
            Claim claim, byte[] data, int version, Double progress, String progressData, long now) {
        return StoreFutures.await(future(
                "waiting for the children of job " + claim.id(),
                claim.id(),
                c -> {
                    try (Sql.Bind b = lockActiveChildren.on(c)) {
                        b.set("id", claim.id()).query().close();
                    }
                    try (Sql.Bind b = waitChildren.on(c)) {
                        b.fence(claim);
                        state(b, data, version, progress, progressData, now);
                        return b.update() == 1;
                    }
                },
                null));
    }

    @Override
    public List<JobRow> children(UUID parent) {
        return rows("reading the children of job " + parent, children, b -> b.set("id", parent));
    }

    @Override
    public List<JobRow> chain(UUID chain) {
        return rows("reading chain " + chain, chainSteps, b -> b.set("id", chain));
    }

    @Override
    public List<CascadedCancel> takeCascadedCancels(int limit) {
        boolean any = read("reading the cascaded cancels", c -> {
            try (Sql.Bind b = anyCascade.on(c);
                    ResultSet rs = b.query()) {
                return rs.next();
            }
        });
        if (!any) {
            return List.of();
        }
        return tx("taking the cascaded cancels", c -> {
            List<Object[]> taken = new ArrayList<>();
            try (Sql.Bind b = takeCascades.on(c);
                    ResultSet rs = b.set("limit", limit).query()) {
                while (rs.next()) {
                    taken.add(new Object[] {rs.getLong(1), new CascadedCancel(uuid(rs, 2), rs.getString(3))});
                }
            }
            taken.sort((a, b) -> Long.compare((long) a[0], (long) b[0]));
            return taken.stream().map(t -> (CascadedCancel) t[1]).toList();
        });
    }

    // ---------------------------------------------------------------- control from outside the run

    private static final Set<Transition> MOVES_AT_REST =
            java.util.EnumSet.of(Transition.PAUSE, Transition.RESUME, Transition.CANCEL);

    @Override
    public boolean move(UUID id, Transition transition, JobStatus expected, long now) {
        if (!MOVES_AT_REST.contains(transition) || expected == JobStatus.RUNNING || !transition.allowedFrom(expected)) {
            throw new IllegalArgumentException(transition + " from " + expected + " is not a move of a job at rest");
        }
        JobStatus next = transition.to().iterator().next();
        return tx("moving job " + id + " to " + next, c -> {
            try (Sql.Bind b = move.on(c)) {
                return b.set("id", id)
                                .set("status", next.name())
                                .set("completed_at", next.isTerminal() ? now : null)
                                .set("expected", expected.name())
                                .update()
                        == 1;
            }
        });
    }

    @Override
    public boolean requestControl(UUID id, Control control) {
        return tx("asking job " + id + " to " + control, c -> {
            try (Sql.Bind b = ask.on(c)) {
                return b.set("id", id).set("control", control.name()).update() == 1;
            }
        });
    }

    @Override
    public boolean withdrawPause(UUID id) {
        return tx("withdrawing the pause of job " + id, c -> {
            try (Sql.Bind b = withdrawPause.on(c)) {
                return b.set("id", id).update() == 1;
            }
        });
    }

    // ---------------------------------------------------------------- owners, leases, recovery

    private static void owner(Sql.Bind b, String owner, String host, long pid, long startedAt, long leaseUntil)
            throws SQLException {
        b.set("owner", owner)
                .set("host", host)
                .set("pid", pid)
                .set("started_at", startedAt)
                .set("lease_until", leaseUntil);
    }

    @Override
    public void registerOwner(String owner, String host, long pid, long now, long leaseUntil) {
        tx("registering owner " + owner, c -> {
            try (Sql.Bind b = insertOwner.on(c)) {
                owner(b, owner, host, pid, now, leaseUntil);
                return b.update();
            }
        });
    }

    @Override
    public void removeOwner(String owner) {
        tx("removing owner " + owner, c -> {
            try (Sql.Bind b = deleteOwner.on(c)) {
                return b.set("owner", owner).update();
            }
        });
    }

    @Override
    public void renewLease(String owner, String host, long pid, long startedAt, long leaseUntil) {
        // through the writer: the renewal locks every running row of the owner, which the writer's
        // batches (completions, checkpoints) of the same runs lock too; as two transactions they
        // waited for each other (and could deadlock), as one writer they take turns
        StoreFutures.await(future(
                "renewing the lease of " + owner,
                null,
                c -> {
                    try (Sql.Bind b = renewOwner.on(c)) {
                        owner(b, owner, host, pid, startedAt, leaseUntil);
                        b.update();
                    }
                    try (Sql.Bind b = renewJobLeases.on(c)) {
                        return b.set("owner", owner)
                                .set("lease_until", leaseUntil)
                                .update();
                    }
                },
                null));
    }

    @Override
    public DeadOwners removeDeadOwners(String self, String host, LongPredicate pidAlive, long now, boolean byLease) {
        return tx("removing dead owners", c -> {
            List<String> crashed = new ArrayList<>();
            List<String> diedHere = new ArrayList<>();
            List<String> lapsed = new ArrayList<>();
            try (Sql.Bind b = allOwners.on(c);
                    ResultSet rs = b.query()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    boolean here = host.equals(rs.getString(2));
                    boolean expired = rs.getLong(4) < now;
                    if (id.equals(self)) {
                        continue;
                    }
                    if (here && !pidAlive.test(rs.getLong(3))) {
                        crashed.add(id);
                        diedHere.add(id);
                    } else if (expired && byLease) {
                        (here ? lapsed : crashed).add(id);
                    }
                }
            }
            try (Sql.Bind b = deleteOwner.on(c)) {
                for (List<String> ids : List.of(crashed, lapsed)) {
                    for (String id : ids) {
                        b.set("owner", id).update();
                    }
                }
            }
            return new DeadOwners(crashed, diedHere, lapsed);
        });
    }

    /**
     * Recovers every orphaned RUNNING row at once, set-based, in one transaction: as the SQLite
     * store does (see its {@code recoverOrphans}), claims that never started go back to the queue,
     * started runs of resumable jobs resume (or fail as poison or on their last attempt), started
     * runs of one-shot jobs fail; each attempt that ends here is recorded first.
     */
    @Override
    public List<Orphan> recoverOrphans(String self, long now, RecoveryPlan plan) {
        List<String> known = new ArrayList<>(plan.resumable());
        known.addAll(plan.oneShot());
        String orphaned = orphaned(self, now, plan.byLease());
        String crashed = plan.crashedOwners().isEmpty() ? "false" : "owner IN (" + literals(plan.crashedOwners()) + ")";
        String diedHere = plan.diedHere().isEmpty() ? "false" : "owner IN (" + literals(plan.diedHere()) + ")";
        String lostRuns = "(lost_runs + CASE WHEN " + crashed + " THEN 1 ELSE 0 END)";
        String notCancelled = "(control IS DISTINCT FROM 'CANCEL')";
        String savedSinceStart = "(last_checkpoint IS NOT NULL AND last_checkpoint >= run_started)";
        String lostAttempt = "(" + crashed + " AND max_attempts IS NOT NULL AND NOT " + savedSinceStart + ")";
        String poisonWithoutPolicy = "(max_attempts IS NULL AND " + lostRuns + " >= " + plan.maxLostRuns() + ")";
        String lastAttempt = "(" + lostAttempt + " AND failures + 1 >= max_attempts)";
        String resumableEndsAttempt = "(" + notCancelled + " AND (" + lostAttempt + " OR " + poisonWithoutPolicy + "))";
        String lostReason = "CASE WHEN " + diedHere + " THEN " + Migrations.literal(plan.interruptedReason()) + " ELSE "
                + Migrations.literal(plan.lapsedReason()) + " END";
        String nowLit = Long.toString(now);
        String returning = " RETURNING id, name, owner, status";
        return tx("recovering orphaned jobs", c -> {
            List<Orphan> changed = new ArrayList<>();
            if (!known.isEmpty()) {
                recovery(
                        c,
                        "UPDATE #.jobs SET status = " + STATUS_AFTER_STOP
                                + ", completed_at = CASE WHEN control = 'CANCEL' THEN " + nowLit + " ELSE NULL END"
                                + ", started_at = CASE WHEN attempt = 0 THEN NULL ELSE started_at END, " + RELEASED
                                + " WHERE " + orphaned + " AND run_started IS NULL AND name IN (" + literals(known)
                                + ")" + returning,
                        changed);
            }
            if (!plan.resumable().isEmpty()) {
                String rows =
                        orphaned + " AND run_started IS NOT NULL AND name IN (" + literals(plan.resumable()) + ")";
                recordLost(c, rows + " AND " + resumableEndsAttempt, lostReason, nowLit);
                String poisoned = "(" + poisonWithoutPolicy + " OR " + lastAttempt + ")";
                recovery(
                        c,
                        "UPDATE #.jobs SET status = CASE WHEN control = 'CANCEL' THEN 'CANCELLED' WHEN " + poisoned
                                + " THEN 'FAILED' ELSE " + STATUS_AFTER_STOP + " END"
                                + ", error_message = CASE WHEN " + notCancelled + " AND " + poisonWithoutPolicy
                                + " THEN " + Migrations.literal(plan.poisonReason()) + " WHEN " + notCancelled
                                + " AND " + lastAttempt + " THEN " + Migrations.literal(plan.lastAttemptReason())
                                + " ELSE error_message END"
                                + ", completed_at = CASE WHEN control = 'CANCEL' OR " + poisoned + " THEN " + nowLit
                                + " ELSE NULL END"
                                + ", lost_runs = " + lostRuns
                                + ", failures = failures + CASE WHEN " + resumableEndsAttempt
                                + " THEN 1 ELSE 0 END, " + RELEASED + " WHERE " + rows + returning,
                        changed);
            }
            if (!plan.oneShot().isEmpty()) {
                String rows = orphaned + " AND run_started IS NOT NULL AND name IN (" + literals(plan.oneShot()) + ")";
                recordLost(c, rows + " AND " + notCancelled, lostReason, nowLit);
                recovery(
                        c,
                        "UPDATE #.jobs SET status = CASE WHEN control = 'CANCEL' THEN 'CANCELLED' ELSE 'FAILED' END"
                                + ", error_message = CASE WHEN control = 'CANCEL' THEN NULL WHEN " + diedHere
                                + " THEN " + Migrations.literal(plan.interruptedReason()) + " ELSE "
                                + Migrations.literal(plan.lapsedReason()) + " END"
                                + ", completed_at = " + nowLit
                                + ", lost_runs = " + lostRuns
                                + ", failures = failures + CASE WHEN " + notCancelled + " THEN 1 ELSE 0 END, "
                                + RELEASED + " WHERE " + rows + returning,
                        changed);
            }
            return changed;
        });
    }

    /**
     * A RUNNING row of another owner that is gone: no owner, an owner without an owner row, or (if
     * {@code byLease}) an expired lease on the row or its owner.
     */
    private String orphaned(String self, long now, boolean byLease) {
        String gone = "owner IS NULL OR owner NOT IN (SELECT id FROM " + schema + ".owners)";
        if (byLease) {
            gone += " OR lease_until < " + now + " OR owner NOT IN (SELECT id FROM " + schema
                    + ".owners WHERE lease_until >= " + now + ")";
        }
        return "status = 'RUNNING' AND owner IS DISTINCT FROM " + Migrations.literal(self) + " AND (" + gone + ")";
    }

    private void recordLost(Connection c, String rows, String reason, String now) throws SQLException {
        try (java.sql.Statement s = c.createStatement()) {
            s.executeUpdate(sql("INSERT INTO #.job_attempts (job_id, attempt, at, error, trace) SELECT id,"
                            + " failures + 1, " + now + ", " + reason + ", NULL FROM #.jobs WHERE " + rows
                            + " ON CONFLICT DO NOTHING")
                    .text());
        }
    }

    private void recovery(Connection c, String template, List<Orphan> changed) throws SQLException {
        try (java.sql.Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql(template).text())) {
            while (rs.next()) {
                changed.add(new Orphan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
    }

    // ---------------------------------------------------------------- queries

    /** Row ids already reported as unreadable: each is reported once per process. */
    private final Set<String> reportedUnreadable = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private List<JobRow> rows(String what, Sql statement, Binder binds) {
        return read(what, c -> {
            try (Sql.Bind b = statement.on(c)) {
                binds.bind(b);
                return readRows(b.query());
            }
        });
    }

    private List<JobRow> readRows(ResultSet rs) throws SQLException {
        List<JobRow> rows = new ArrayList<>();
        try (rs) {
            while (rs.next()) {
                try {
                    rows.add(row(rs));
                } catch (RuntimeException e) {
                    String id = rs.getString(1);
                    if (reportedUnreadable.add(String.valueOf(id))) {
                        LOG.warn(
                                "the jobs row with id '{}' cannot be read ({}); it is skipped and every other job"
                                        + " keeps working. Fix or delete it with psql",
                                id,
                                e.getMessage());
                    }
                }
            }
        }
        return rows;
    }

    private static JobRow row(ResultSet rs) throws SQLException {
        return new JobRow(
                uuid(rs, 1),
                rs.getString(2),
                rs.getInt(3),
                JobStatus.valueOf(rs.getString(4)),
                rs.getInt(5),
                getDouble(rs, 6),
                rs.getString(7),
                rs.getString(8),
                rs.getString(9),
                rs.getString(10),
                rs.getLong(11),
                getLong(rs, 12),
                getLong(rs, 13),
                getLong(rs, 14),
                rs.getString(15),
                getLong(rs, 16),
                rs.getInt(17),
                Control.ofStored(rs.getString(18)),
                rs.getString(19),
                uuid(rs, 20),
                getLong(rs, 21),
                rs.getInt(22),
                (Integer) rs.getObject(23),
                rs.getString(24),
                getLong(rs, 25),
                rs.getString(26),
                rs.getBoolean(27),
                uuid(rs, 28),
                uuid(rs, 29),
                uuid(rs, 30));
    }

    @Override
    public Optional<JobRow> find(UUID id) {
        return read("reading job " + id, c -> {
            try (Sql.Bind b = find.on(c);
                    ResultSet rs = b.set("id", id).query()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(row(rs));
                } catch (RuntimeException e) {
                    throw new StoreException(
                            "the row of job " + id + " cannot be read (" + e.getMessage()
                                    + "); fix or delete it with psql",
                            e);
                }
            }
        });
    }

    @Override
    public List<JobRow> unresolved() {
        return rows("reading the jobs of unknown types", unresolved, b -> {});
    }

    @Override
    public List<JobRow> list(ListFilter f) {
        StringBuilder where = new StringBuilder("status IN (")
                .append(literals(f.statuses().stream().map(Enum::name).toList()))
                .append(")");
        if (f.statuses().isEmpty()) {
            where = new StringBuilder("false");
        }
        if (!f.names().isEmpty()) {
            where.append(" AND name IN (").append(literals(f.names())).append(")");
        }
        if (f.createdAfter() != null) {
            where.append(" AND created_at >= ").append(f.createdAfter().longValue());
        }
        if (f.createdBefore() != null) {
            where.append(" AND created_at < ").append(f.createdBefore().longValue());
        }
        if (f.text() != null) {
            where.append(" AND (strpos(lower(name), :text) > 0 OR strpos(lower(parameters), :text) > 0")
                    .append(" OR strpos(lower(error_message), :text) > 0 OR starts_with(id::text, :text))");
        }
        boolean cursor = f.cursorCreated() != null;
        if (cursor) {
            where.append(" AND (created_at, id) ")
                    .append(f.oldestFirst() ? ">" : "<")
                    .append(" (:cursor_created, :cursor_id)");
        }
        String order = f.oldestFirst() ? "created_at, id" : "created_at DESC, id DESC";
        Sql statement = sql(
                "SELECT " + ROW_FIELDS + " FROM #.jobs WHERE " + where + " ORDER BY " + order + " LIMIT " + f.limit());
        return rows("listing jobs", statement, b -> {
            if (cursor) {
                b.set("cursor_created", f.cursorCreated()).set("cursor_id", f.cursorId());
            }
            if (f.text() != null) {
                b.set("text", f.text());
            }
        });
    }

    @Override
    public List<UUID> idsStartingWith(String prefix, int limit) {
        String lower = prefix.toLowerCase(Locale.ROOT);
        return read("reading ids", c -> {
            List<UUID> ids = new ArrayList<>();
            try (Sql.Bind b = idsStartingWith.on(c);
                    ResultSet rs = b.set("length", lower.length())
                            .set("prefix", lower)
                            .set("limit", limit)
                            .query()) {
                while (rs.next()) {
                    ids.add(uuid(rs, 1));
                }
            }
            return ids;
        });
    }

    @Override
    public List<JobRow> finishedSince(long since, String self) {
        return txLimitingIdle("reading finished jobs", c -> {
            try (Sql.Bind b = finishedSinceIndexed.on(c)) {
                return readRows(b.set("since", since).set("self", self).queryFirstResultSet());
            }
        });
    }

    @Override
    public List<JobRow> finishedAmong(Collection<UUID> ids, String self) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return read("reading finished jobs", c -> {
            try (Sql.Bind b = finishedAmong.on(c);
                    ResultSet rs = b.set("ids", c.createArrayOf("uuid", ids.toArray()))
                            .set("self", self)
                            .query()) {
                return readRows(rs);
            }
        });
    }

    @Override
    public Map<UUID, Control> controlsFor(String owner) {
        return read("reading the controls of " + owner, c -> {
            Map<UUID, Control> controls = new HashMap<>();
            try (Sql.Bind b = controlsFor.on(c);
                    ResultSet rs = b.set("owner", owner).query()) {
                while (rs.next()) {
                    Control control = Control.ofStored(rs.getString(2));
                    if (control != null) {
                        controls.put(uuid(rs, 1), control);
                    }
                }
            }
            return controls;
        });
    }

    @Override
    public boolean hasRunnableQueued() {
        return txLimitingIdle("reading the queue", c -> {
            try (Sql.Bind b = hasQueuedInIndexOrder.on(c);
                    ResultSet rs = b.queryFirstResultSet()) {
                return rs.next();
            }
        });
    }

    /** Every QUEUED job, due or delayed, of every type (the metrics gauge, read every few seconds). */
    @Override
    public java.util.OptionalLong countQueued() {
        return java.util.OptionalLong.of(read("counting the queue", c -> {
            try (Sql.Bind b = countQueued.on(c);
                    ResultSet rs = b.query()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }));
    }

    @Override
    public List<UnreadableRow> unreadableRows() {
        return read("reading unreadable rows", c -> {
            List<UnreadableRow> rows = new ArrayList<>();
            try (Sql.Bind b = unreadable.on(c);
                    ResultSet rs = b.query()) {
                while (rs.next()) {
                    rows.add(new UnreadableRow(
                            rs.getString(1), rs.getString(2), rs.getString(3), "its status is unknown"));
                }
            }
            return rows;
        });
    }

    @Override
    public List<LogRow> logs(UUID id, long afterSeq, int limit) {
        return read("reading the logs of job " + id, c -> {
            List<LogRow> rows = new ArrayList<>();
            try (Sql.Bind b = logs.on(c);
                    ResultSet rs = b.set("id", id)
                            .set("after", afterSeq)
                            .set("limit", limit)
                            .query()) {
                while (rs.next()) {
                    rows.add(new LogRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
            return rows;
        });
    }

    @Override
    public List<AttemptRow> failedAttempts(UUID id) {
        return read("reading the attempts of job " + id, c -> {
            List<AttemptRow> rows = new ArrayList<>();
            try (Sql.Bind b = failedAttempts.on(c);
                    ResultSet rs = b.set("id", id).query()) {
                while (rs.next()) {
                    rows.add(new AttemptRow(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
            return rows;
        });
    }

    @Override
    public List<NewJob.Resource> resources(UUID id) {
        return read("reading the resources of job " + id, c -> {
            List<NewJob.Resource> rows = new ArrayList<>();
            try (Sql.Bind b = resourcesOf.on(c);
                    ResultSet rs = b.set("id", id).query()) {
                while (rs.next()) {
                    rows.add(new NewJob.Resource(rs.getString(1), rs.getInt(2)));
                }
            }
            return rows;
        });
    }

    @Override
    public long lastLogSequence(UUID id) {
        return read("reading the logs of job " + id, c -> {
            try (Sql.Bind b = lastLogSeq.on(c);
                    ResultSet rs = b.set("id", id).query()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    // ---------------------------------------------------------------- retention

    @Override
    public Deleted deleteFinished(Long cutoff, int keepNewest, int chunk) {
        return tx("deleting finished jobs", c -> {
            List<UUID> ids = new ArrayList<>();
            Sql statement = cutoff != null ? deleteByCutoff : deleteKeepingNewest;
            try (Sql.Bind b = statement.on(c)) {
                b.set("chunk", chunk);
                if (cutoff != null) {
                    b.set("cutoff", cutoff);
                } else {
                    b.set("keep", keepNewest);
                }
                try (ResultSet rs = b.query()) {
                    while (rs.next()) {
                        ids.add(uuid(rs, 1));
                    }
                }
            }
            long logLines = 0;
            if (!ids.isEmpty()) {
                java.sql.Array array = c.createArrayOf("uuid", ids.toArray());
                try (Sql.Bind b = deleteLogs.on(c)) {
                    logLines = b.set("ids", array).update();
                }
                try (Sql.Bind b = deleteAttempts.on(c)) {
                    b.set("ids", array).update();
                }
                try (Sql.Bind b = deleteResources.on(c)) {
                    b.set("ids", array).update();
                }
            }
            return new Deleted(ids, logLines);
        });
    }

    // ---------------------------------------------------------------- schedules (PostgresSchedules)

    @Override
    public ScheduleRow upsertSchedule(ScheduleDefinition definition, long now) {
        return schedules.upsert(definition, now);
    }

    @Override
    public Optional<ScheduleRow> findSchedule(String name) {
        return schedules.find(name);
    }

    @Override
    public List<ScheduleRow> schedules() {
        return schedules.all();
    }

    @Override
    public boolean pauseSchedule(String name, boolean paused, long now) {
        return schedules.pause(name, paused, now);
    }

    @Override
    public boolean deleteSchedule(String name) {
        return schedules.delete(name);
    }

    @Override
    public List<ScheduleRow> schedulesToCheck(long now, int limit) {
        return schedules.toCheck(now, limit);
    }

    @Override
    public OptionalLong nextScheduleCheck() {
        return schedules.nextCheck();
    }

    @Override
    public ScheduleRuns scheduleRuns(String name) {
        return schedules.runs(name);
    }

    @Override
    public CompletableFuture<Boolean> applyTick(TickWrite tick) {
        try {
            return CompletableFuture.completedFuture(schedules.applyTick(tick));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---------------------------------------------------------------- deliveries

    @Override
    public CompletableFuture<Void> recordDelivery(DeliveryRow d) {
        return future(
                "recording a delivery of job " + d.jobId(),
                d.jobId(),
                c -> {
                    try (Sql.Bind b = recordDelivery.on(c)) {
                        b.set("delivery", d.delivery())
                                .set("id", d.jobId())
                                .set("url", d.url())
                                .set("event", d.event())
                                .set("attempt", d.attempt())
                                .set("at", d.at())
                                .set("http_status", d.httpStatus())
                                .set("error", d.error())
                                .set("delivered", d.delivered())
                                .update();
                    }
                    return null;
                },
                null);
    }

    @Override
    public List<DeliveryRow> deliveries(UUID jobId, int limit) {
        return read("reading the deliveries of job " + jobId, c -> {
            List<DeliveryRow> rows = new ArrayList<>();
            try (Sql.Bind b = deliveriesOf.on(c);
                    ResultSet rs = b.set("id", jobId).set("limit", limit).query()) {
                while (rs.next()) {
                    int status = rs.getInt(7);
                    Integer httpStatus = rs.wasNull() ? null : status;
                    rows.add(new DeliveryRow(
                            rs.getString(1),
                            uuid(rs, 2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getInt(5),
                            rs.getLong(6),
                            httpStatus,
                            rs.getString(8),
                            rs.getBoolean(9)));
                }
            }
            return rows;
        });
    }

    // ---------------------------------------------------------------- change notification

    @Override
    public AutoCloseable watchChanges(Duration interval, Runnable onChange) {
        checkOpen();
        Watcher watcher = new Watcher(dataSource, channel, describe, interval, onChange, () -> closed, reachability);
        watchers.add(watcher);
        watcher.start();
        return () -> {
            watchers.remove(watcher);
            watcher.close();
        };
    }

    @Override
    public void close() {
        closed = true;
        writer.close(); // commits what is queued
        for (Watcher w : watchers) {
            w.close();
        }
        watchers.clear();
    }
}
