package dev.jobs.runtime.store.sqlite;

import static dev.jobs.runtime.store.sqlite.Tables.*;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.when;

import dev.jobs.JobStatus;
import dev.jobs.runtime.StoreException;
import dev.jobs.runtime.store.Claim;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.Control;
import dev.jobs.runtime.store.JobRow;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.StoreFutures;
import dev.jobs.runtime.store.Transition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The SQLite store: every read and write of the {@code jobs}, {@code job_logs} and {@code owners}
 * tables. Statements are built with jOOQ's DSL, rendered once when the class loads (or, for those
 * that depend on the job types this process runs, when the store opens) and run as reused prepared
 * statements: writes through the group-committing {@link Writer}, reads through the
 * {@link ReadPool}. Parameters are bound by the column they set ({@link Statement}), beside the
 * statement.
 *
 * <p>The status changes follow the {@link Transition} table: each statement's guard is built from
 * its transition's source statuses and, for a run's writes, the fence of its {@link Claim}. The
 * caller learns from the row count whether it won. A terminal status is never in any source set,
 * so it is never overwritten. Times come from the caller ({@code now}), never from SQLite.
 */
public final class SqliteJobStore implements JobStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqliteJobStore.class);

    static {
        // jOOQ prints a logo and a "tip of the day" on first use, in every host app and test; a host
        // that wants them sets these properties itself
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
    }

    private static final DSLContext SQL =
            DSL.using(SQLDialect.SQLITE, new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER));

    static Statement stmt(Query query) {
        return Statement.of(SQL, query);
    }

    /** A parameter carrying a value of {@code column}, named after it (bound with {@code set(column, value)}). */
    static <T> Field<T> p(Field<T> column) {
        return param(column.getName(), column.getType());
    }

    /** The time of the write, from the caller's clock; one parameter however often a statement uses it. */
    static final Field<Long> NOW = param("now", Long.class);

    /**
     * The jobs table read through the partial index of queued jobs, ordered as a claim wants them
     * (priority, then insertion order). Without the hint SQLite may pick the status index and sort
     * every queued row on each claim.
     */
    private static final org.jooq.Table<?> READY_INDEX = DSL.table("jobs INDEXED BY jobs_ready");

    /** The jobs table read through the partial index of queued jobs with a run time, by run time. */
    private static final org.jooq.Table<?> WAITING_INDEX = DSL.table("jobs INDEXED BY jobs_waiting");

    /** Queued jobs that hold resources, due, in claim order. */
    private static final org.jooq.Table<?> READY_LIMITED_INDEX = DSL.table("jobs INDEXED BY jobs_ready_limited");

    /**
     * None of the job's resources is held by as many RUNNING jobs as it allows. A RUNNING job holds
     * its resources from its claim to the end of its run; a paused or queued one holds nothing.
     * Holders are counted from the RUNNING jobs (few: at most the workers of every process), each
     * looked up in job_resources by its key, never by scanning a resource's queued jobs.
     */
    private static final Condition RESOURCES_FREE = DSL.condition("not exists (select 1 from job_resources r"
            + " where r.job_id = jobs.id and r.max <= (select count(*) from jobs rj indexed by jobs_running_owner"
            + " join job_resources h on h.job_id = rj.id and h.resource = r.resource where rj.status = 'RUNNING'))");

    /**
     * Waiting jobs whose time has come become ready: out of the index of waiting jobs, into the
     * claim's. Run before each claim, in the same write; a range scan of the waiting index, empty
     * most of the time. Binds: now.
     */
    private static final Statement PROMOTE_DUE = stmt(SQL.update(JOBS)
            .set(WAITING_UNTIL, inline((Long) null))
            .where(STATUS.eq(inline(JobStatus.QUEUED.name())))
            .and(WAITING_UNTIL.isNotNull())
            .and(WAITING_UNTIL.le(NOW)));

    /**
     * Rows whose id is a UUID: a row written by another tool with another id is never claimed
     * (it would fail after the claim committed), only reported.
     */
    private static final Condition READABLE_ID;

    static {
        String hex = "[0-9a-fA-F]";
        READABLE_ID = DSL.condition(
                "{0} GLOB {1}",
                ID,
                inline(hex.repeat(8) + "-" + hex.repeat(4) + "-" + hex.repeat(4) + "-" + hex.repeat(4) + "-"
                        + hex.repeat(12)));
    }

    private static Field<String> status(JobStatus status) {
        return inline(status.name());
    }

    private static List<Field<String>> statuses(Collection<JobStatus> statuses) {
        return statuses.stream().map(SqliteJobStore::status).toList();
    }

    /**
     * The row's status is one of {@code statuses}: {@code =} for one (so that SQLite sees the
     * partial index of queued jobs applies), {@code IN} for several.
     */
    private static Condition statusIn(Collection<JobStatus> statuses) {
        return statuses.size() == 1 ? STATUS.eq(status(statuses.iterator().next())) : STATUS.in(statuses(statuses));
    }

    private static final Condition CANCEL_ASKED = CONTROL.eq(inline(Control.CANCEL.name()));
    private static final Condition PAUSE_ASKED = CONTROL.eq(inline(Control.PAUSE.name()));

    // ================================================================ the transition table
    //
    // Each status change of the Transition table once: its guard, what it sets, and below each
    // statement the method that binds it.

    /**
     * The guard of {@code t}: the row is in one of its source statuses and, for a run's write,
     * still held under the run's claim (owner and fencing token). Binds: id (owner, claim).
     */
    private static Condition guard(Transition t) {
        Condition in = ID.eq(p(ID)).and(statusIn(t.from()));
        return t.fenced() ? in.and(OWNER.eq(p(OWNER))).and(CLAIM.eq(p(CLAIM))) : in;
    }

    /** The guard of a run's write that changes no status (progress, a log line, a request of its own). */
    private static final Condition HELD = guard(Transition.CHECKPOINT);

    /**
     * The attempt count with this run counted: a run whose start was not written (the first claim
     * of a resumable job writes its start lazily, with its first checkpoint or its end) is counted
     * by the first write that shows it ran.
     */
    private static final Field<Integer> ATTEMPT_COUNTED =
            ATTEMPT.plus(when(RUN_STARTED.isNull(), inline(1)).otherwise(inline(0)));

    /**
     * The state a run saves; null data keeps the last saved state (and its generation). Binds:
     * data, version, progress, progress_data, now.
     */
    private static Map<Field<?>, Field<?>> savedState() {
        Condition keep = p(DATA).isNull();
        Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
        set.put(DATA, DSL.coalesce(p(DATA), DATA));
        set.put(VERSION, when(keep, VERSION).otherwise(p(VERSION)));
        set.put(LAST_CHECKPOINT, when(keep, LAST_CHECKPOINT).otherwise(NOW));
        set.put(SAVES, when(keep, SAVES).otherwise(SAVES.plus(inline(1))));
        set.putAll(progress());
        return set;
    }

    /** Binds: progress, progress_data. */
    private static Map<Field<?>, Field<?>> progress() {
        Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
        set.put(PROGRESS, p(PROGRESS));
        set.put(PROGRESS_DATA, p(PROGRESS_DATA));
        return set;
    }

    /** A run ends (a finished row keeps the owner that ran it): no lease, no pending control. */
    private static Map<Field<?>, Field<?>> runEnds() {
        Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
        set.put(LEASE_UNTIL, inline((Long) null));
        set.put(CONTROL, inline((String) null));
        return set;
    }

    /**
     * A run ends and the row is free for the next claim; a row that ends CANCELLED because a
     * cancel was pending keeps the owner that ran it, as every finished row does.
     */
    private static Map<Field<?>, Field<?>> released() {
        Map<Field<?>, Field<?>> set = runEnds();
        set.put(OWNER, when(CANCEL_ASKED, OWNER).otherwise(inline((String) null)));
        set.put(RUN_STARTED, inline((Long) null));
        return set;
    }

    /** Where a job goes when its run stops without finishing: a pending pause or cancel, else the queue. */
    private static final Field<String> STATUS_AFTER_STOP = when(PAUSE_ASKED, status(JobStatus.PAUSED))
            .when(CANCEL_ASKED, status(JobStatus.CANCELLED))
            .otherwise(status(JobStatus.QUEUED));

    /** The completion time if the job ends CANCELLED because a cancel is pending. Binds: now. */
    private static final Field<Long> COMPLETED_IF_CANCELLED =
            when(CANCEL_ASKED, NOW).otherwise(inline((Long) null));

    private interface Binder {
        void bind(Statement.Bind b) throws SQLException;
    }

    /** A run's write: fenced by its claim, the rest bound by {@code binds}; true if a row changed. */
    private CompletableFuture<Boolean> runWrite(Statement statement, Claim claim, Binder binds) {
        return writer.submitStatement(tx -> {
            Statement.Bind b = statement.on(tx).fence(claim);
            binds.bind(b);
            return b.update() == 1;
        });
    }

    private static Statement.Bind state(
            Statement.Bind b, byte[] data, int version, Double progress, String progressData, long now)
            throws SQLException {
        return progress(b.set(DATA, data).set(VERSION, version).set(NOW, now), progress, progressData);
    }

    private static Statement.Bind progress(Statement.Bind b, Double progress, String progressData) throws SQLException {
        return b.set(PROGRESS, progress).set(PROGRESS_DATA, progressData);
    }

    // ================================================================ the store

    /** What a claim ({@link Transition#CLAIM}) sets. Binds: owner, lease_until, now. */
    private static final Map<Field<?>, Field<?>> CLAIMED = claimed();

    private static Map<Field<?>, Field<?>> claimed() {
        Map<Field<?>, Field<?>> set = new LinkedHashMap<>();
        set.put(STATUS, status(JobStatus.RUNNING));
        set.put(OWNER, p(OWNER));
        set.put(LEASE_UNTIL, p(LEASE_UNTIL));
        set.put(STARTED_AT, DSL.coalesce(STARTED_AT, NOW));
        set.put(CLAIM, CLAIM.plus(inline(1L)));
        set.put(RUN_STARTED, inline((Long) null));
        set.put(ERROR_MESSAGE, inline((String) null));
        set.put(ERROR_TRACE, inline((String) null));
        return set;
    }

    /** What a claim returns, read by {@link #claimedJob}. */
    private static final List<org.jooq.SelectField<?>> CLAIMED_FIELDS = List.of(
            ID,
            NAME,
            VERSION,
            DATA,
            ATTEMPT,
            PRIORITY,
            ROWID,
            CLAIM,
            FAILURES,
            RETRY_POLICY,
            DSL.field(LAST_CHECKPOINT.isNotNull()),
            SAVES);

    /** The attempt as shown: a running claim whose start is written lazily already counts. */
    private static final Field<Integer> ATTEMPT_SHOWN = ATTEMPT.plus(
                    when(STATUS.eq(status(JobStatus.RUNNING)).and(RUN_STARTED.isNull()), inline(1))
                            .otherwise(inline(0)))
            .as(ATTEMPT.getName());

    private static final List<Field<?>> ROW_FIELDS = List.of(
            ID,
            NAME,
            VERSION,
            STATUS,
            PRIORITY,
            PROGRESS,
            PROGRESS_DATA,
            OUTPUT,
            ERROR_MESSAGE,
            ERROR_TRACE,
            CREATED_AT,
            STARTED_AT,
            COMPLETED_AT,
            LAST_CHECKPOINT,
            OWNER,
            LEASE_UNTIL,
            ATTEMPT_SHOWN,
            CONTROL,
            PARAMETERS,
            RERUN_OF,
            RUN_AT,
            FAILURES,
            MAX_ATTEMPTS,
            SCHEDULE,
            SCHEDULED_FOR,
            UNIQUE_KEY,
            LIMITED,
            PARENT_ID,
            CHAIN_ID,
            AFTER_ID);

    private static final Statement FIND = stmt(SQL.select(ROW_FIELDS).from(JOBS).where(ID.eq(p(ID))));

    private static final Statement LAST_LOG_SEQ = stmt(SQL.select(DSL.coalesce(DSL.max(LOG_SEQ), inline(0L)))
            .from(JOB_LOGS)
            .where(LOG_JOB_ID.eq(p(LOG_JOB_ID))));

    private final Database database;
    private final Writer writer;
    private final ReadPool reads;
    /** Statements that name the job types this process runs (it claims no other rows). */
    private final Statement claim;

    private final Statement unresolved;
    private final SqliteSchedules schedules;
    private final Statement claimLimited;
    private final Statement hasQueued;
    private final Statement queuedAhead;
    private final Statement nextRunAt;

    /**
     * @param runnableNames the job names this process can run: it claims no other rows
     */
    public SqliteJobStore(Database database, Writer writer, ReadPool reads, Collection<String> runnableNames) {
        this.database = database;
        this.writer = writer;
        this.reads = reads;
        this.schedules = new SqliteSchedules(writer, reads, runnableNames);
        Condition runnable = runnableNames.isEmpty()
                ? DSL.falseCondition()
                : NAME.in(runnableNames.stream().map(DSL::inline).toList());
        Condition queued = statusIn(Transition.CLAIM.from());
        // ready: due (a job not due yet is in the index of waiting jobs, see PROMOTE_DUE), and
        // holding no resource (limited jobs are claimed through their own index, see claimLimited)
        Condition ready = WAITING_UNTIL.isNull().and(LIMITED.eq(inline(0)));
        this.claim = stmt(SQL.update(JOBS)
                .set(CLAIMED)
                .where(ROWID.in(select(ROWID)
                        .from(READY_INDEX)
                        .where(queued)
                        .and(ready)
                        .and(runnable)
                        .and(READABLE_ID)
                        .orderBy(PRIORITY.desc(), ROWID)
                        .limit(param("limit", Integer.class))))
                .returning(CLAIMED_FIELDS));
        // a limited job: due, and every resource it holds has fewer RUNNING holders than its max
        this.claimLimited = stmt(SQL.update(JOBS)
                .set(CLAIMED)
                .where(ROWID.in(select(ROWID)
                        .from(READY_LIMITED_INDEX)
                        .where(queued)
                        .and(WAITING_UNTIL.isNull())
                        .and(LIMITED.eq(inline(1)))
                        .and(runnable)
                        .and(READABLE_ID)
                        .and(RESOURCES_FREE)
                        .orderBy(PRIORITY.desc(), ROWID)
                        .limit(inline(1))))
                .returning(CLAIMED_FIELDS));
        this.queuedAhead = stmt(SQL.select(inline(1))
                .from(READY_INDEX)
                .where(queued)
                .and(PRIORITY.ge(p(PRIORITY)))
                .and(ready)
                .and(runnable)
                .limit(inline(1)));
        this.nextRunAt = stmt(SQL.select(DSL.min(WAITING_UNTIL))
                .from(WAITING_INDEX)
                .where(queued)
                .and(WAITING_UNTIL.isNotNull())
                .and(WAITING_UNTIL.gt(NOW))
                .and(runnable));
        this.hasQueued = stmt(
                SQL.select(inline(1)).from(JOBS).where(queued).and(runnable).limit(inline(1)));
        this.unresolved = stmt(SQL.select(ROW_FIELDS)
                .from(JOBS)
                .where(STATUS.in(
                        statuses(List.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.PAUSED, JobStatus.WAITING))))
                .and(runnable.not())
                .orderBy(ROWID));
    }

    /** The claim's SQL, for a test of its query plan. */
    String claimSql() {
        return claim.sql();
    }

    /** The SQL of the claim of one limited job, for a test of its query plan. */
    String claimLimitedSql() {
        return claimLimited.sql();
    }

    /** The SQL that makes waiting jobs due, for a test of its query plan. */
    static String promoteSql() {
        return PROMOTE_DUE.sql();
    }

    /** The SQL of {@link #nextRunAt}, for a test of its query plan. */
    String nextRunAtSql() {
        return nextRunAt.sql();
    }

    @Override
    public boolean available() {
        return database.available();
    }

    // ---------------------------------------------------------------- dispatch (no transition: a new row)

    /**
     * The columns of a new row and the parameters they take (bound by {@link #newJob}), with
     * {@code status}; the inserts below add what is theirs.
     */
    private static Map<Field<?>, Field<?>> newRow(JobStatus status) {
        Map<Field<?>, Field<?>> row = new LinkedHashMap<>();
        for (Field<?> column : List.of(
                ID,
                NAME,
                VERSION,
                DATA,
                PRIORITY,
                CREATED_AT,
                PARAMETERS,
                RERUN_OF,
                RUN_AT,
                WAITING_UNTIL,
                RETRY_POLICY,
                MAX_ATTEMPTS,
                SCHEDULE,
                SCHEDULED_FOR,
                UNIQUE_KEY,
                LIMITED)) {
            row.put(column, p(column));
        }
        row.put(STATUS, status(status));
        row.put(ATTEMPT, inline(0));
        return row;
    }

    /** A new row tied to other jobs ({@link NewJob#relation()}): its parent or its chain too. */
    private static Map<Field<?>, Field<?>> relatedRow(JobStatus status) {
        Map<Field<?>, Field<?>> row = newRow(status);
        for (Field<?> column : List.of(PARENT_ID, CHILD_KEY, CHAIN_ID, AFTER_ID, CHAIN_CONTINUE)) {
            row.put(column, p(column));
        }
        return row;
    }

    private static final Statement INSERT = stmt(SQL.insertInto(JOBS).set(newRow(JobStatus.QUEUED)));

    /** A child, or the first step of a chain (most jobs have no relation: they bind five fewer values). */
    private static final Statement INSERT_RELATED = stmt(SQL.insertInto(JOBS).set(relatedRow(JobStatus.QUEUED)));

    /** A step of a chain after the first: WAITING for the step before it. */
    private static final Statement INSERT_WAITING = stmt(SQL.insertInto(JOBS).set(relatedRow(JobStatus.WAITING)));

    /** The insert of a QUEUED (or, for a later chain step, WAITING) job. */
    private static Statement insertOf(NewJob job) {
        return job.relation() == null ? INSERT : job.waiting() ? INSERT_WAITING : INSERT_RELATED;
    }

    /** A job of a schedule's tick: skipped if that tick already has its job. */
    static final Statement INSERT_TICK_JOB =
            stmt(SQL.insertInto(JOBS).set(newRow(JobStatus.QUEUED)).onDuplicateKeyIgnore());

    /** Binds the columns of {@link #newRow}, and those of {@link #relatedRow} for a job with a relation. */
    static Statement.Bind newJob(Statement.Bind b, NewJob job) throws SQLException {
        NewJob.Relation relation = job.relation();
        b.set(ID, job.id().toString())
                .set(NAME, job.name())
                .set(VERSION, job.version())
                .set(DATA, job.data())
                .set(PRIORITY, job.priority())
                .set(CREATED_AT, job.createdAt())
                .set(PARAMETERS, job.parameters())
                .set(RERUN_OF, job.rerunOf() == null ? null : job.rerunOf().toString())
                .set(RUN_AT, job.runAt())
                .set(WAITING_UNTIL, job.runAt())
                .set(RETRY_POLICY, job.retryPolicy())
                .set(MAX_ATTEMPTS, job.maxAttempts())
                .set(SCHEDULE, job.schedule())
                .set(SCHEDULED_FOR, job.scheduledFor())
                .set(UNIQUE_KEY, job.unique() == null ? null : job.unique().key())
                .set(LIMITED, job.resources().isEmpty() ? 0 : 1);
        if (relation == null) {
            return b;
        }
        return b.set(PARENT_ID, string(relation.parent()))
                .set(CHILD_KEY, relation.childKey())
                .set(CHAIN_ID, string(relation.chain()))
                .set(AFTER_ID, string(relation.after()))
                .set(CHAIN_CONTINUE, relation.continueOnFailure() ? 1 : 0);
    }

    private static String string(UUID id) {
        return id == null ? null : id.toString();
    }

    @Override
    public CompletableFuture<Void> insert(NewJob job, Runnable onCommit) {
        if (!job.resources().isEmpty() || job.relation() != null) {
            return writer.submit(
                    tx -> {
                        newJob(insertOf(job).on(tx), job).update();
                        holdResources(tx, job);
                        return null;
                    },
                    onCommit);
        }
        return writer.submitStatement(
                tx -> {
                    newJob(INSERT.on(tx), job).update();
                    return null;
                },
                onCommit);
    }

    private static final Statement INSERT_RESOURCE =
            stmt(SQL.insertInto(JOB_RESOURCES, RES_JOB_ID, RES_RESOURCE, RES_MAX)
                    .values(p(RES_JOB_ID), p(RES_RESOURCE), p(RES_MAX)));

    private static final Statement DELETE_RESOURCES_OF =
            stmt(SQL.deleteFrom(JOB_RESOURCES).where(RES_JOB_ID.eq(p(ID))));

    /** Records the resources of a job just inserted (none for most jobs). */
    static void holdResources(Writer.Tx tx, NewJob job) throws SQLException {
        for (NewJob.Resource r : job.resources()) {
            INSERT_RESOURCE
                    .on(tx)
                    .set(RES_JOB_ID, job.id().toString())
                    .set(RES_RESOURCE, r.key())
                    .set(RES_MAX, r.max())
                    .update();
        }
    }

    // ---------------------------------------------------------------- unique keys

    private static final Statement KEY_HOLDER =
            stmt(SQL.select(UK_JOB_ID, UK_SCOPE, UK_UNTIL).from(UNIQUE_KEYS).where(UK_KEY.eq(p(UK_KEY))));

    private static final Statement STATUS_OF =
            stmt(SQL.select(STATUS).from(JOBS).where(ID.eq(p(ID))));

    private static final Statement HOLD_KEY = stmt(SQL.insertInto(UNIQUE_KEYS, UK_KEY, UK_JOB_ID, UK_SCOPE, UK_UNTIL)
            .values(p(UK_KEY), p(UK_JOB_ID), p(UK_SCOPE), p(UK_UNTIL))
            .onConflict(UK_KEY)
            .doUpdate()
            .set(UK_JOB_ID, p(UK_JOB_ID))
            .set(UK_SCOPE, p(UK_SCOPE))
            .set(UK_UNTIL, p(UK_UNTIL)));

    private static final java.util.Set<String> ACTIVE_STATUSES = java.util.Set.of(
            JobStatus.QUEUED.name(), JobStatus.RUNNING.name(), JobStatus.PAUSED.name(), JobStatus.WAITING.name());

    @Override
    public CompletableFuture<UUID> insertUnique(NewJob job, Runnable onInserted) {
        NewJob.UniqueKey unique = java.util.Objects.requireNonNull(job.unique(), "the job's unique key");
        boolean[] inserted = new boolean[1];
        // one write of the single writer, under BEGIN IMMEDIATE: no other process writes between the
        // look at the key and the insert, so racing dispatches of one key insert one job
        return writer.submit(
                tx -> {
                    String holder = null;
                    try (ResultSet rs =
                            KEY_HOLDER.on(tx).set(UK_KEY, unique.key()).query()) {
                        if (rs.next()) {
                            holder = rs.getString(1);
                            String scope = rs.getString(2);
                            long until = rs.getLong(3);
                            boolean noUntil = rs.wasNull();
                            boolean held = switch (scope) {
                                case "FOREVER" -> true;
                                case "PERIOD" -> noUntil || until > job.createdAt();
                                default -> isActive(tx, holder);
                            };
                            if (!held) {
                                holder = null;
                            }
                        }
                    }
                    if (holder != null) {
                        return UUID.fromString(holder);
                    }
                    HOLD_KEY.on(tx)
                            .set(UK_KEY, unique.key())
                            .set(UK_JOB_ID, job.id().toString())
                            .set(UK_SCOPE, unique.scope())
                            .set(UK_UNTIL, unique.until())
                            .update();
                    newJob(INSERT.on(tx), job).update();
                    holdResources(tx, job);
                    inserted[0] = true;
                    return job.id();
                },
                () -> {
                    if (inserted[0] && onInserted != null) {
                        onInserted.run();
                    }
                });
    }

    private static boolean isActive(Writer.Tx tx, String id) throws SQLException {
        try (ResultSet rs = STATUS_OF.on(tx).set(ID, id).query()) {
            return rs.next() && ACTIVE_STATUSES.contains(rs.getString(1));
        }
    }

    @Override
    public CompletableFuture<Void> insertAll(List<NewJob> jobs, Runnable onCommit) {
        return writer.submit(
                tx -> {
                    for (Statement insert : List.of(INSERT, INSERT_RELATED, INSERT_WAITING)) {
                        Statement.Bind b = null;
                        for (NewJob job : jobs) {
                            if (insertOf(job) == insert) {
                                b = b == null ? insert.on(tx) : b;
                                newJob(b, job).addBatch();
                            }
                        }
                        if (b != null) {
                            b.statement().executeBatch();
                        }
                    }
                    for (NewJob job : jobs) {
                        holdResources(tx, job);
                    }
                    return null;
                },
                onCommit);
    }

    /** A new row already claimed ({@link Transition#CLAIM} at insertion): RUNNING, token 1, not started. */
    private static final Statement INSERT_CLAIMED = stmt(SQL.insertInto(JOBS).set(claimedRow()));

    private static Map<Field<?>, Field<?>> claimedRow() {
        Map<Field<?>, Field<?>> row = newRow(JobStatus.RUNNING);
        row.put(OWNER, p(OWNER));
        row.put(LEASE_UNTIL, p(LEASE_UNTIL));
        row.put(STARTED_AT, p(CREATED_AT));
        row.put(CLAIM, inline(1L));
        return row;
    }

    @Override
    public CompletableFuture<Boolean> insertClaimedIfFirst(NewJob job, String owner, long leaseUntil) {
        return writer.submitStatement(
                tx -> { // as in claim: the promotion is right on its own
                    PROMOTE_DUE.on(tx).set(NOW, job.createdAt()).update();
                    boolean waiting;
                    try (ResultSet rs =
                            queuedAhead.on(tx).set(PRIORITY, job.priority()).query()) {
                        waiting = rs.next();
                    }
                    if (waiting || !job.resources().isEmpty()) { // a limited job is claimed through its limits
                        newJob(INSERT.on(tx), job).update();
                        holdResources(tx, job);
                        return false;
                    }
                    newJob(INSERT_CLAIMED.on(tx), job)
                            .set(OWNER, owner)
                            .set(LEASE_UNTIL, leaseUntil)
                            .update();
                    return true;
                });
    }

    // ---------------------------------------------------------------- CLAIM

    @Override
    public List<ClaimedJob> claim(String owner, int limit, long now, long leaseUntil) {
        // no savepoint: if the claim fails after the promotion, the promotion alone is still right
        return StoreFutures.await(writer.submitStatement(tx -> {
            PROMOTE_DUE.on(tx).set(NOW, now).update();
            List<long[]> order = new ArrayList<>();
            List<ClaimedJob> rows = new ArrayList<>();
            try (ResultSet rs = claim.on(tx)
                    .set(OWNER, owner)
                    .set(LEASE_UNTIL, leaseUntil)
                    .set(NOW, now)
                    .set("limit", limit)
                    .query()) {
                while (rs.next()) {
                    rows.add(claimedJob(rs));
                    order.add(new long[] {rs.getInt(6), rs.getLong(7), rows.size() - 1});
                }
            }
            // RETURNING gives rows in the order the UPDATE visited them (rowid), not the claim's
            // order: put them back in priority order, oldest first
            order.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
            List<ClaimedJob> claimed = new ArrayList<>(rows.size());
            for (long[] o : order) {
                claimed.add(rows.get((int) o[2]));
            }
            // then limited jobs, one at a time: each claim counts the holders the previous ones made
            while (claimed.size() < limit) {
                try (ResultSet rs = claimLimited
                        .on(tx)
                        .set(OWNER, owner)
                        .set(LEASE_UNTIL, leaseUntil)
                        .set(NOW, now)
                        .query()) {
                    if (!rs.next()) {
                        break;
                    }
                    ClaimedJob c = claimedJob(rs);
                    claimed.add(new ClaimedJob(
                            c.id(),
                            c.name(),
                            c.version(),
                            c.data(),
                            c.attempt(),
                            c.token(),
                            c.failures(),
                            c.retryPolicy(),
                            c.checkpointed(),
                            true,
                            c.saves()));
                }
            }
            return claimed;
        }));
    }

    private static ClaimedJob claimedJob(ResultSet rs) throws SQLException {
        return new ClaimedJob(
                UUID.fromString(rs.getString(1)),
                rs.getString(2),
                rs.getInt(3),
                rs.getBytes(4),
                rs.getInt(5),
                rs.getLong(8),
                rs.getInt(9),
                rs.getString(10),
                rs.getBoolean(11),
                false,
                rs.getInt(12));
    }

    // ---------------------------------------------------------------- START

    private static final Statement START = stmt(SQL.update(JOBS)
            .set(RUN_STARTED, NOW)
            .set(ATTEMPT, ATTEMPT.plus(inline(1)))
            .where(guard(Transition.START))
            .and(RUN_STARTED.isNull()));

    @Override
    public boolean startRun(Claim c, long now) {
        return StoreFutures.await(runWrite(START, c, b -> b.set(NOW, now)));
    }

    // ---------------------------------------------------------------- CHECKPOINT

    private static final Statement CHECKPOINT = stmt(SQL.update(JOBS)
            .set(savedState())
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .set(RUN_STARTED, DSL.coalesce(RUN_STARTED, NOW))
            .set(LOST_RUNS, inline(0))
            .where(guard(Transition.CHECKPOINT)));

    @Override
    public CompletableFuture<Boolean> checkpoint(
            Claim c, byte[] data, int version, Double progress, String progressData, long now) {
        return runWrite(CHECKPOINT, c, b -> state(b, data, version, progress, progressData, now));
    }

    // ---------------------------------------------------------------- COMPLETE

    private static final Statement COMPLETE = stmt(SQL.update(JOBS)
            .set(STATUS, status(JobStatus.COMPLETED))
            .set(OUTPUT, p(OUTPUT))
            .set(progress())
            .set(COMPLETED_AT, NOW)
            .set(runEnds())
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .where(guard(Transition.COMPLETE)));

    @Override
    public CompletableFuture<Boolean> complete(Claim c, String output, Double progress, String progressData, long now) {
        return runWrite(COMPLETE, c, b -> progress(b.set(OUTPUT, output).set(NOW, now), progress, progressData));
    }

    // ---------------------------------------------------------------- FAIL

    private static final Statement FAIL = stmt(SQL.update(JOBS)
            .set(STATUS, status(JobStatus.FAILED))
            .set(ERROR_MESSAGE, p(ERROR_MESSAGE))
            .set(ERROR_TRACE, p(ERROR_TRACE))
            .set(progress())
            .set(COMPLETED_AT, NOW)
            .set(runEnds())
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .set(FAILURES, FAILURES.plus(inline(1)))
            .where(guard(Transition.FAIL)));

    /** How much of a failed attempt's stack trace the history keeps. */
    static final int TRACE_KEPT = 4000;

    /**
     * The failed attempt of a job whose row was just updated (its {@code failures} counts it), kept
     * in the history with the first {@value #TRACE_KEPT} characters of its trace. Binds: id, now,
     * error_message, error_trace.
     */
    private static final Statement RECORD_ATTEMPT =
            stmt(SQL.insertInto(JOB_ATTEMPTS, ATTEMPT_JOB_ID, ATTEMPT_NUMBER, ATTEMPT_AT, ATTEMPT_ERROR, ATTEMPT_TRACE)
                    .select(SQL.select(
                                    ID,
                                    FAILURES,
                                    NOW,
                                    p(ERROR_MESSAGE),
                                    DSL.substring(p(ERROR_TRACE), inline(1), inline(TRACE_KEPT)))
                            .from(JOBS)
                            .where(ID.eq(p(ID))))
                    .onDuplicateKeyIgnore());

    /** A run's write that ends an attempt with an error: the row's update, then the attempt's record. */
    private CompletableFuture<Boolean> failedAttempt(
            Statement statement, Claim claim, String message, String trace, long now, Binder binds) {
        return writer.submit(
                tx -> { // two statements: under a savepoint, all or nothing
                    Statement.Bind b = statement.on(tx).fence(claim);
                    binds.bind(b);
                    if (b.update() != 1) {
                        return false;
                    }
                    RECORD_ATTEMPT
                            .on(tx)
                            .set(ID, claim.id().toString())
                            .set(NOW, now)
                            .set(ERROR_MESSAGE, message)
                            .set(ERROR_TRACE, trace)
                            .update();
                    return true;
                });
    }

    @Override
    public boolean fail(Claim c, String message, String trace, Double progress, String progressData, long now) {
        return StoreFutures.await(failedAttempt(
                FAIL,
                c,
                message,
                trace,
                now,
                b -> progress(
                        b.set(ERROR_MESSAGE, message).set(ERROR_TRACE, trace).set(NOW, now), progress, progressData)));
    }

    // ---------------------------------------------------------------- RETRY

    /**
     * The run failed with attempts left: back to the queue at the retry's run time, or to PAUSED /
     * CANCELLED if one is pending. A restart replaces the state with the one given (the job as
     * dispatched) and forgets the checkpoint; otherwise the last checkpoint stays. Binds: data,
     * version (null: keep), run_at, error_message, error_trace, progress, progress_data, now.
     */
    private static final Statement RETRY = stmt(SQL.update(JOBS)
            .set(STATUS, STATUS_AFTER_STOP)
            .set(DATA, DSL.coalesce(p(DATA), DATA))
            .set(VERSION, DSL.coalesce(p(VERSION), VERSION))
            .set(LAST_CHECKPOINT, when(p(DATA).isNull(), LAST_CHECKPOINT).otherwise(inline((Long) null)))
            // a restart runs from the state as dispatched, generation 0 again: a deterministic job
            // goes through the same states, and finds the children its earlier attempt made
            .set(SAVES, when(p(DATA).isNull(), SAVES).otherwise(inline(0)))
            .set(progress())
            .set(RUN_AT, p(RUN_AT))
            .set(WAITING_UNTIL, p(RUN_AT))
            .set(ERROR_MESSAGE, p(ERROR_MESSAGE))
            .set(ERROR_TRACE, p(ERROR_TRACE))
            .set(FAILURES, FAILURES.plus(inline(1)))
            .set(COMPLETED_AT, COMPLETED_IF_CANCELLED)
            .set(released())
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .where(guard(Transition.RETRY)));

    @Override
    public boolean retry(Claim c, RetryWrite r) {
        return StoreFutures.await(failedAttempt(
                RETRY,
                c,
                r.message(),
                r.trace(),
                r.now(),
                b -> progress(
                        b.set(DATA, r.restartData())
                                .set(VERSION, r.restartData() == null ? null : r.restartVersion())
                                .set(RUN_AT, r.runAt())
                                .set(ERROR_MESSAGE, r.message())
                                .set(ERROR_TRACE, r.trace())
                                .set(NOW, r.now()),
                        r.progress(),
                        r.progressData())));
    }

    // ---------------------------------------------------------------- STOP (the run honours a control, or stops)

    /** The run honours a pending cancel. */
    private static final Statement STOP_CANCELLED = stmt(SQL.update(JOBS)
            .set(STATUS, status(JobStatus.CANCELLED))
            .set(progress())
            .set(COMPLETED_AT, NOW)
            .set(runEnds())
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .where(guard(Transition.STOP))
            .and(CANCEL_ASKED));

    @Override
    public boolean cancelRunning(Claim c, Double progress, String progressData, long now) {
        return StoreFutures.await(runWrite(STOP_CANCELLED, c, b -> progress(b.set(NOW, now), progress, progressData)));
    }

    /** The run honours a pending pause, with its state saved. */
    private static final Statement STOP_PAUSED = stmt(SQL.update(JOBS)
            .set(STATUS, status(JobStatus.PAUSED))
            .set(savedState())
            .set(released())
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .where(guard(Transition.STOP))
            .and(PAUSE_ASKED));

    @Override
    public boolean pauseRunning(Claim c, byte[] data, int version, Double progress, String progressData, long now) {
        return StoreFutures.await(runWrite(STOP_PAUSED, c, b -> state(b, data, version, progress, progressData, now)));
    }

    /**
     * The run stops because its state could not be saved (a full disk, an I/O error): PAUSED with
     * the reason in the error message, keeping the last committed checkpoint, or CANCELLED if a
     * cancel is pending.
     */
    private static final Statement STOP_UNSAVED = stmt(SQL.update(JOBS)
            .set(STATUS, when(CANCEL_ASKED, status(JobStatus.CANCELLED)).otherwise(status(JobStatus.PAUSED)))
            .set(ERROR_MESSAGE, when(CANCEL_ASKED, ERROR_MESSAGE).otherwise(p(ERROR_MESSAGE)))
            .set(COMPLETED_AT, COMPLETED_IF_CANCELLED)
            .set(released())
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .where(guard(Transition.STOP)));

    @Override
    public boolean pauseAfterFailure(Claim c, String message, long now) {
        return StoreFutures.await(
                runWrite(STOP_UNSAVED, c, b -> b.set(ERROR_MESSAGE, message).set(NOW, now)));
    }

    /** The run stops with its state saved: back to the queue, or to PAUSED / CANCELLED if one is pending. */
    private static final Statement STOP = stmt(SQL.update(JOBS)
            .set(STATUS, STATUS_AFTER_STOP)
            .set(savedState())
            .set(COMPLETED_AT, COMPLETED_IF_CANCELLED)
            .set(released())
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .where(guard(Transition.STOP)));

    @Override
    public boolean stopRunning(Claim c, byte[] data, int version, Double progress, String progressData, long now) {
        return StoreFutures.await(runWrite(STOP, c, b -> state(b, data, version, progress, progressData, now)));
    }

    // ---------------------------------------------------------------- WAIT (for children)

    /** The job has an active child (read through the partial index of active children). */
    private static final Condition HAS_ACTIVE_CHILD = DSL.condition("exists (select 1 from jobs c"
            + " where c.parent_id = jobs.id and c.status in ('QUEUED', 'RUNNING', 'PAUSED', 'WAITING'))");

    /** The run waits for its children with its state saved; a pending pause or cancel wins. */
    private static final Statement WAIT = stmt(SQL.update(JOBS)
            .set(
                    STATUS,
                    when(PAUSE_ASKED, status(JobStatus.PAUSED))
                            .when(CANCEL_ASKED, status(JobStatus.CANCELLED))
                            .when(HAS_ACTIVE_CHILD, status(JobStatus.WAITING))
                            .otherwise(status(JobStatus.QUEUED)))
            .set(savedState())
            .set(COMPLETED_AT, COMPLETED_IF_CANCELLED)
            .set(released())
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .where(guard(Transition.WAIT)));

    @Override
    public boolean waitForChildren(Claim c, byte[] data, int version, Double progress, String progressData, long now) {
        return StoreFutures.await(runWrite(WAIT, c, b -> state(b, data, version, progress, progressData, now)));
    }

    private static final Statement CHILD_WITH_KEY =
            stmt(SQL.select(ID).from(JOBS).where(PARENT_ID.eq(p(PARENT_ID))).and(CHILD_KEY.eq(p(CHILD_KEY))));

    @Override
    public CompletableFuture<UUID> insertChild(Claim parent, NewJob job, Runnable onInserted) {
        NewJob.Relation relation = java.util.Objects.requireNonNull(job.relation(), "the child's relation");
        if (!parent.id().equals(relation.parent()) || relation.childKey() == null) {
            throw new IllegalArgumentException("job " + job.id() + " is not a child of " + parent.id());
        }
        boolean[] inserted = new boolean[1];
        // one write under BEGIN IMMEDIATE: the parent's claim, the look for the key and the insert
        // are one step, so a stale run inserts nothing and a repeated dispatch finds its child
        return writer.submit(
                tx -> {
                    try (ResultSet rs = HELD_ROW.on(tx).fence(parent).query()) {
                        if (!rs.next()) {
                            return null;
                        }
                    }
                    try (ResultSet rs = CHILD_WITH_KEY
                            .on(tx)
                            .set(PARENT_ID, parent.id().toString())
                            .set(CHILD_KEY, relation.childKey())
                            .query()) {
                        if (rs.next()) {
                            return UUID.fromString(rs.getString(1));
                        }
                    }
                    newJob(INSERT_RELATED.on(tx), job).update();
                    holdResources(tx, job);
                    inserted[0] = true;
                    return job.id();
                },
                () -> {
                    if (inserted[0] && onInserted != null) {
                        onInserted.run();
                    }
                });
    }

    /** The row of a run still holding its claim. Binds: id, owner, claim. */
    private static final Statement HELD_ROW =
            stmt(SQL.select(inline(1)).from(JOBS).where(HELD));

    @Override
    public List<JobRow> children(UUID parent) {
        return readableRows(PARENT_ID.eq(parent.toString()), CREATED_AT, ROWID);
    }

    @Override
    public List<JobRow> chain(UUID chain) {
        return readableRows(CHAIN_ID.eq(chain.toString()), ROWID);
    }

    /** The rows matching {@code where} in that order; a row that cannot be read is skipped (reported once). */
    private List<JobRow> readableRows(Condition where, org.jooq.OrderField<?>... order) {
        return query(dsl -> dsl.select(ROW_FIELDS).from(JOBS).where(where).orderBy(order).fetch().stream()
                .map(this::readable)
                .filter(java.util.Objects::nonNull)
                .toList());
    }

    private static final Statement ANY_CASCADE =
            stmt(SQL.select(inline(1)).from(JOB_CASCADES).limit(inline(1)));

    private static final Statement TAKE_CASCADES = stmt(SQL.deleteFrom(JOB_CASCADES)
            .where(CASCADE_SEQ.in(
                    select(CASCADE_SEQ).from(JOB_CASCADES).orderBy(CASCADE_SEQ).limit(param("limit", Integer.class))))
            .returning(CASCADE_SEQ, CASCADE_JOB_ID, CASCADE_NAME));

    @Override
    public List<CascadedCancel> takeCascadedCancels(int limit) {
        boolean any = reads.read(c -> {
            Statement.Bind b = ANY_CASCADE.on(c);
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                return rs.next();
            }
        });
        if (!any) {
            return List.of();
        }
        return StoreFutures.await(writer.submitStatement(tx -> {
            List<long[]> order = new ArrayList<>();
            List<CascadedCancel> taken = new ArrayList<>();
            try (ResultSet rs = TAKE_CASCADES.on(tx).set("limit", limit).query()) {
                while (rs.next()) {
                    order.add(new long[] {rs.getLong(1), taken.size()});
                    taken.add(new CascadedCancel(UUID.fromString(rs.getString(2)), rs.getString(3)));
                }
            }
            order.sort((a, b) -> Long.compare(a[0], b[0])); // RETURNING's order is not the journal's
            return order.stream().map(o -> taken.get((int) o[1])).toList();
        }));
    }

    // ---------------------------------------------------------------- RELEASE

    /** A claim whose run never started: no attempt counted, and no start time if it never ran. */
    private static final Statement RELEASE = stmt(SQL.update(JOBS)
            .set(STATUS, STATUS_AFTER_STOP)
            .set(COMPLETED_AT, COMPLETED_IF_CANCELLED)
            .set(STARTED_AT, when(ATTEMPT.eq(inline(0)), inline((Long) null)).otherwise(STARTED_AT))
            .set(released())
            .where(guard(Transition.RELEASE)));

    @Override
    public boolean releaseClaim(Claim c, long now) {
        return StoreFutures.await(runWrite(RELEASE, c, b -> b.set(NOW, now)));
    }

    // ---------------------------------------------------------------- PAUSE, RESUME, CANCEL

    private static final java.util.Set<Transition> MOVES_AT_REST =
            java.util.EnumSet.of(Transition.PAUSE, Transition.RESUME, Transition.CANCEL);

    /** A job at rest moves: the compare-and-set on the status read. */
    private static final Statement MOVE = stmt(SQL.update(JOBS)
            .set(STATUS, p(STATUS))
            .set(COMPLETED_AT, p(COMPLETED_AT))
            .where(ID.eq(p(ID)).and(STATUS.eq(param("expected", String.class)))));

    @Override
    public boolean move(UUID id, Transition transition, JobStatus expected, long now) {
        if (!MOVES_AT_REST.contains(transition) || expected == JobStatus.RUNNING || !transition.allowedFrom(expected)) {
            throw new IllegalArgumentException(transition + " from " + expected + " is not a move of a job at rest");
        }
        JobStatus next = transition.to().iterator().next();
        return StoreFutures.await(writer.submitStatement(tx -> MOVE.on(tx)
                        .set(ID, id.toString())
                        .set(STATUS, next.name())
                        .set(COMPLETED_AT, next.isTerminal() ? now : null)
                        .set("expected", expected.name())
                        .update()
                == 1));
    }

    /** A pause or cancel asked of a RUNNING job (by a caller); a pending cancel is never replaced. */
    private static final Statement ASK = stmt(SQL.update(JOBS)
            .set(CONTROL, p(CONTROL))
            .where(ID.eq(p(ID)))
            .and(STATUS.eq(status(JobStatus.RUNNING)))
            .and(CONTROL.isNull().or(CANCEL_ASKED.not())));

    @Override
    public boolean requestControl(UUID id, Control control) {
        return StoreFutures.await(writer.submitStatement(tx ->
                ASK.on(tx).set(ID, id.toString()).set(CONTROL, control.name()).update() == 1));
    }

    /** A pause or cancel the run itself asks for (the job threw it, or a test observer asked). */
    private static final Statement ASK_HELD = stmt(SQL.update(JOBS)
            .set(CONTROL, p(CONTROL))
            .where(HELD)
            .and(CONTROL.isNull().or(CANCEL_ASKED.not())));

    @Override
    public boolean requestControl(Claim c, Control control) {
        return StoreFutures.await(runWrite(ASK_HELD, c, b -> b.set(CONTROL, control.name())));
    }

    /** A RESUME of a RUNNING job that has not honoured its pause yet: the pause is withdrawn. */
    private static final Statement WITHDRAW_PAUSE = stmt(SQL.update(JOBS)
            .set(CONTROL, inline((String) null))
            .where(ID.eq(p(ID)))
            .and(STATUS.eq(status(JobStatus.RUNNING)))
            .and(PAUSE_ASKED));

    @Override
    public boolean withdrawPause(UUID id) {
        return StoreFutures.await(writer.submitStatement(
                tx -> WITHDRAW_PAUSE.on(tx).set(ID, id.toString()).update() == 1));
    }

    // ---------------------------------------------------------------- a run's writes that change no status

    private static final Statement SAVE_PROGRESS =
            stmt(SQL.update(JOBS).set(progress()).where(HELD));

    @Override
    public CompletableFuture<Boolean> saveProgress(Claim c, Double progress, String progressData) {
        return runWrite(SAVE_PROGRESS, c, b -> progress(b, progress, progressData));
    }

    /** A log line of a run, written only while the run still holds its claim. */
    private static final Statement INSERT_LOG =
            stmt(SQL.insertInto(JOB_LOGS, LOG_JOB_ID, LOG_SEQ, LOG_AT, LOG_LEVEL, LOG_MESSAGE)
                    .select(SQL.select(p(ID), p(LOG_SEQ), p(LOG_AT), p(LOG_LEVEL), p(LOG_MESSAGE))
                            .whereExists(SQL.selectOne().from(JOBS).where(HELD))));

    @Override
    public CompletableFuture<Boolean> appendLog(Claim c, long seq, long at, String level, String message) {
        return runWrite(
                INSERT_LOG,
                c,
                b -> b.set(LOG_SEQ, seq).set(LOG_AT, at).set(LOG_LEVEL, level).set(LOG_MESSAGE, message));
    }

    // ---------------------------------------------------------------- owners and leases

    private static final Statement INSERT_OWNER =
            stmt(SQL.insertInto(OWNERS, OWNER_ID, OWNER_HOST, OWNER_PID, OWNER_STARTED_AT, OWNER_LEASE_UNTIL)
                    .values(p(OWNER_ID), p(OWNER_HOST), p(OWNER_PID), p(OWNER_STARTED_AT), p(OWNER_LEASE_UNTIL)));

    /** Renews (or, if a sweep removed it during a stall, re-creates) an owner row. */
    private static final Statement RENEW_OWNER =
            stmt(SQL.insertInto(OWNERS, OWNER_ID, OWNER_HOST, OWNER_PID, OWNER_STARTED_AT, OWNER_LEASE_UNTIL)
                    .values(p(OWNER_ID), p(OWNER_HOST), p(OWNER_PID), p(OWNER_STARTED_AT), p(OWNER_LEASE_UNTIL))
                    .onConflict(OWNER_ID)
                    .doUpdate()
                    .set(OWNER_LEASE_UNTIL, DSL.excluded(OWNER_LEASE_UNTIL)));

    private static Statement.Bind owner(
            Statement.Bind b, String owner, String host, long pid, long startedAt, long leaseUntil)
            throws SQLException {
        return b.set(OWNER_ID, owner)
                .set(OWNER_HOST, host)
                .set(OWNER_PID, pid)
                .set(OWNER_STARTED_AT, startedAt)
                .set(OWNER_LEASE_UNTIL, leaseUntil);
    }

    private static final Statement RENEW_JOB_LEASES = stmt(SQL.update(JOBS)
            .set(LEASE_UNTIL, p(LEASE_UNTIL))
            .where(OWNER.eq(p(OWNER)))
            .and(STATUS.eq(status(JobStatus.RUNNING))));

    private static final Statement DELETE_OWNER = stmt(SQL.deleteFrom(OWNERS).where(OWNER_ID.eq(p(OWNER_ID))));

    private static final Statement ALL_OWNERS =
            stmt(SQL.select(OWNER_ID, OWNER_HOST, OWNER_PID, OWNER_LEASE_UNTIL).from(OWNERS));

    @Override
    public void registerOwner(String owner, String host, long pid, long now, long leaseUntil) {
        writer.execute(tx ->
                owner(INSERT_OWNER.on(tx), owner, host, pid, now, leaseUntil).update());
    }

    @Override
    public void removeOwner(String owner) {
        writer.execute(tx -> DELETE_OWNER.on(tx).set(OWNER_ID, owner).update());
    }

    @Override
    public void renewLease(String owner, String host, long pid, long startedAt, long leaseUntil) {
        writer.execute(tx -> owner(RENEW_OWNER.on(tx), owner, host, pid, startedAt, leaseUntil)
                        .update()
                + RENEW_JOB_LEASES
                        .on(tx)
                        .set(OWNER, owner)
                        .set(LEASE_UNTIL, leaseUntil)
                        .update());
    }

    @Override
    public DeadOwners removeDeadOwners(
            String self, String host, java.util.function.LongPredicate pidAlive, long now, boolean byLease) {
        return writer.execute(tx -> {
            List<String> crashed = new ArrayList<>();
            List<String> diedHere = new ArrayList<>();
            List<String> lapsed = new ArrayList<>();
            try (ResultSet rs = ALL_OWNERS.on(tx).query()) {
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
            for (List<String> ids : List.of(crashed, lapsed)) {
                for (String id : ids) {
                    DELETE_OWNER.on(tx).set(OWNER_ID, id).update();
                }
            }
            return new DeadOwners(crashed, diedHere, lapsed);
        });
    }

    // ---------------------------------------------------------------- RECOVER

    /**
     * Recovers every orphaned RUNNING row at once, in three set-based statements in one
     * transaction, whatever the number of rows; each row's condition is checked in the statement
     * that changes it.
     * <ol>
     * <li>A claim whose run never started goes back to the queue (or to PAUSED/CANCELLED if asked),
     *     whatever the job: nothing ran, so nothing is lost and no attempt is counted.
     * <li>A started run of a resumable job goes back to the queue and resumes from its last
     *     checkpoint, unless it is the {@code maxLostRuns}-th run in a row lost with its process
     *     without a checkpoint: then it is FAILED with {@code poisonReason} (it may crash its JVM).
     *     A job with a retry policy counts such a run as a failed attempt instead, and is FAILED
     *     with {@code lastAttemptReason} when it was its last.
     * <li>A started run of a non-resumable job is FAILED with {@code interruptedReason}.
     * </ol>
     * Every run that ends an attempt here is recorded in the attempts history first.
     */
    public List<Orphan> recoverOrphans(String self, long now, RecoveryPlan plan) {
        List<String> known = new ArrayList<>(plan.resumable());
        known.addAll(plan.oneShot());
        Field<String> cancelledOr =
                when(CANCEL_ASKED, status(JobStatus.CANCELLED)).otherwise((String) null);
        Condition orphaned = orphaned(self, now, plan.byLease());
        Condition crashed =
                plan.crashedOwners().isEmpty() ? DSL.falseCondition() : OWNER.in(inlined(plan.crashedOwners()));
        Condition diedHere = plan.diedHere().isEmpty() ? DSL.falseCondition() : OWNER.in(inlined(plan.diedHere()));
        Field<Integer> lostRuns = LOST_RUNS.plus(when(crashed, inline(1)).otherwise(inline(0)));
        Condition notCancelled = CONTROL.isDistinctFrom(inline(Control.CANCEL.name()));
        // a run lost with its process counts as a failed attempt of a job with a retry policy,
        // unless it saved a checkpoint since it started (it was making progress)
        Condition savedSinceStart = LAST_CHECKPOINT.isNotNull().and(LAST_CHECKPOINT.ge(RUN_STARTED));
        Condition lostAttempt = crashed.and(MAX_ATTEMPTS.isNotNull()).and(savedSinceStart.not());
        Condition poisonWithoutPolicy = MAX_ATTEMPTS.isNull().and(lostRuns.ge(inline(plan.maxLostRuns())));
        Condition lastAttempt = lostAttempt.and(FAILURES.plus(inline(1)).ge(MAX_ATTEMPTS));
        Condition resumableEndsAttempt = notCancelled.and(lostAttempt.or(poisonWithoutPolicy));
        Field<String> lostReason =
                when(diedHere, inline(plan.interruptedReason())).otherwise(inline(plan.lapsedReason()));
        return writer.execute(tx -> {
            List<Orphan> changed = new ArrayList<>();
            if (!known.isEmpty()) {
                runRecovery(
                        tx,
                        SQL.render(SQL.update(JOBS)
                                .set(STATUS, STATUS_AFTER_STOP)
                                .set(
                                        COMPLETED_AT,
                                        when(CANCEL_ASKED, inline(now)).otherwise(inline((Long) null)))
                                .set(
                                        STARTED_AT,
                                        when(ATTEMPT.eq(inline(0)), inline((Long) null))
                                                .otherwise(STARTED_AT))
                                .set(released())
                                .where(orphaned)
                                .and(RUN_STARTED.isNull())
                                .and(NAME.in(inlined(known)))
                                .returning(ID, NAME, OWNER, STATUS)),
                        changed);
            }
            if (!plan.resumable().isEmpty()) {
                recordLostAttempts(
                        tx,
                        orphaned.and(RUN_STARTED.isNotNull())
                                .and(NAME.in(inlined(plan.resumable())))
                                .and(resumableEndsAttempt),
                        lostReason,
                        now);
                Condition poisoned = poisonWithoutPolicy.or(lastAttempt);
                runRecovery(
                        tx,
                        SQL.render(SQL.update(JOBS)
                                .set(
                                        STATUS,
                                        when(CANCEL_ASKED, status(JobStatus.CANCELLED))
                                                .when(poisoned, status(JobStatus.FAILED))
                                                .otherwise(STATUS_AFTER_STOP))
                                .set(
                                        ERROR_MESSAGE,
                                        when(
                                                        CONTROL.isDistinctFrom(inline(Control.CANCEL.name()))
                                                                .and(poisonWithoutPolicy),
                                                        inline(plan.poisonReason()))
                                                .when(notCancelled.and(lastAttempt), inline(plan.lastAttemptReason()))
                                                .otherwise(ERROR_MESSAGE))
                                .set(
                                        COMPLETED_AT,
                                        when(CANCEL_ASKED.or(poisoned), inline(now))
                                                .otherwise(inline((Long) null)))
                                .set(LOST_RUNS, lostRuns)
                                .set(
                                        FAILURES,
                                        FAILURES.plus(when(resumableEndsAttempt, inline(1))
                                                .otherwise(inline(0))))
                                .set(released())
                                .where(orphaned)
                                .and(RUN_STARTED.isNotNull())
                                .and(NAME.in(inlined(plan.resumable())))
                                .returning(ID, NAME, OWNER, STATUS)),
                        changed);
            }
            if (!plan.oneShot().isEmpty()) {
                recordLostAttempts(
                        tx,
                        orphaned.and(RUN_STARTED.isNotNull())
                                .and(NAME.in(inlined(plan.oneShot())))
                                .and(notCancelled),
                        lostReason,
                        now);
                runRecovery(
                        tx,
                        SQL.render(SQL.update(JOBS)
                                .set(STATUS, DSL.coalesce(cancelledOr, status(JobStatus.FAILED)))
                                .set(
                                        ERROR_MESSAGE,
                                        when(CANCEL_ASKED, inline((String) null))
                                                .when(diedHere, inline(plan.interruptedReason()))
                                                .otherwise(inline(plan.lapsedReason())))
                                .set(COMPLETED_AT, inline(now))
                                .set(LOST_RUNS, lostRuns)
                                .set(
                                        FAILURES,
                                        FAILURES.plus(
                                                when(notCancelled, inline(1)).otherwise(inline(0))))
                                .set(released())
                                .where(orphaned)
                                .and(RUN_STARTED.isNotNull())
                                .and(NAME.in(inlined(plan.oneShot())))
                                .returning(ID, NAME, OWNER, STATUS)),
                        changed);
            }
            return changed;
        });
    }

    /** Records the failed attempt of each row matching {@code rows}, before recovery changes them. */
    private static void recordLostAttempts(Writer.Tx tx, Condition rows, Field<String> reason, long now)
            throws SQLException {
        String sql = SQL.render(
                SQL.insertInto(JOB_ATTEMPTS, ATTEMPT_JOB_ID, ATTEMPT_NUMBER, ATTEMPT_AT, ATTEMPT_ERROR, ATTEMPT_TRACE)
                        .select(SQL.select(ID, FAILURES.plus(inline(1)), inline(now), reason, inline((String) null))
                                .from(JOBS)
                                .where(rows))
                        .onDuplicateKeyIgnore());
        try (java.sql.Statement s = tx.connection().createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static List<Field<String>> inlined(Collection<String> names) {
        return names.stream().<Field<String>>map(DSL::inline).toList();
    }

    /**
     * A RUNNING row of another owner that is gone: no owner, or an owner without an owner row, or
     * (if {@code byLease}) an expired lease on the row or its owner.
     */
    private static Condition orphaned(String self, long now, boolean byLease) {
        Condition gone = OWNER.isNull().or(OWNER.notIn(select(OWNER_ID).from(OWNERS)));
        if (byLease) {
            gone = gone.or(LEASE_UNTIL.lt(inline(now)))
                    .or(OWNER.notIn(select(OWNER_ID).from(OWNERS).where(OWNER_LEASE_UNTIL.ge(inline(now)))));
        }
        return statusIn(Transition.RECOVER.from())
                .and(OWNER.isDistinctFrom(inline(self)))
                .and(gone);
    }

    private static void runRecovery(Writer.Tx tx, String sql, List<Orphan> changed) throws SQLException {
        try (java.sql.Statement s = tx.connection().createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                changed.add(new Orphan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
    }

    // ---------------------------------------------------------------- reads

    public Optional<JobRow> find(UUID id) {
        return reads.read(c -> {
            Statement.Bind b = FIND.on(c).set(ID, id.toString());
            try (PreparedStatement s = b.statement()) {
                try (ResultSet rs = b.query()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    try {
                        return Optional.of(row(rs));
                    } catch (RuntimeException e) {
                        throw new StoreException(
                                "the row of job " + id + " cannot be read (" + e.getMessage()
                                        + "); fix or delete it with the sqlite3 shell",
                                e);
                    }
                }
            }
        });
    }

    /** Active rows whose job name this process cannot run. */
    public List<JobRow> unresolved() {
        return reads.read(c -> {
            Statement.Bind b = unresolved.on(c);
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                List<JobRow> rows = new ArrayList<>();
                while (rs.next()) {
                    try {
                        rows.add(row(rs));
                    } catch (RuntimeException e) {
                        unreadable(rs.getString(1), e);
                    }
                }
                return rows;
            }
        });
    }

    public List<LogRow> logs(UUID id, long afterSeq, int limit) {
        return query(dsl -> dsl.select(LOG_SEQ, LOG_AT, LOG_LEVEL, LOG_MESSAGE)
                .from(JOB_LOGS)
                .where(LOG_JOB_ID.eq(id.toString()))
                .and(LOG_SEQ.gt(afterSeq))
                .orderBy(LOG_SEQ)
                .limit(limit)
                .fetch(r -> new LogRow(r.value1(), r.value2(), r.value3(), r.value4())));
    }

    @Override
    public long lastLogSequence(UUID id) {
        return reads.read(c -> {
            Statement.Bind b = LAST_LOG_SEQ.on(c).set(LOG_JOB_ID, id.toString());
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Rows matching a filter, in a stable order, with keyset paging. */
    public List<JobRow> list(ListFilter f) {
        java.util.Set<JobStatus> statuses = f.statuses();
        List<String> names = f.names();
        Long createdAfter = f.createdAfter();
        Long createdBefore = f.createdBefore();
        int limit = f.limit();
        boolean oldestFirst = f.oldestFirst();
        Long cursorCreated = f.cursorCreated();
        UUID cursorId = f.cursorId();
        return query(dsl -> {
            Condition where = STATUS.in(statuses.stream().map(Enum::name).toList());
            if (!names.isEmpty()) {
                where = where.and(NAME.in(names));
            }
            if (createdAfter != null) {
                where = where.and(CREATED_AT.ge(createdAfter));
            }
            if (createdBefore != null) {
                where = where.and(CREATED_AT.lt(createdBefore));
            }
            if (f.text() != null) {
                where = where.and(containsText(f.text()));
            }
            if (cursorCreated != null) {
                where = where.and(
                        oldestFirst
                                ? DSL.row(CREATED_AT, ID).gt(cursorCreated, cursorId.toString())
                                : DSL.row(CREATED_AT, ID).lt(cursorCreated, cursorId.toString()));
            }
            return dsl
                    .select(ROW_FIELDS)
                    .from(JOBS)
                    .where(where)
                    .orderBy(oldestFirst ? CREATED_AT.asc() : CREATED_AT.desc(), oldestFirst ? ID.asc() : ID.desc())
                    .limit(limit)
                    .fetch()
                    .stream()
                    .map(this::readable)
                    .filter(java.util.Objects::nonNull)
                    .toList();
        });
    }

    /** Name, parameters or error message containing {@code text} (lower case), or an id starting with it. */
    private static Condition containsText(String text) {
        Field<String> t = DSL.val(text);
        return DSL.or(
                DSL.position(DSL.lower(NAME), t).gt(0),
                DSL.position(DSL.lower(PARAMETERS), t).gt(0),
                DSL.position(DSL.lower(ERROR_MESSAGE), t).gt(0),
                DSL.substring(ID, DSL.inline(1), DSL.length(t)).eq(t));
    }

    /** Ids starting with {@code prefix} (at most {@code limit}). */
    public List<UUID> idsStartingWith(String prefix, int limit) {
        return query(dsl -> dsl.select(ID)
                .from(JOBS)
                .where(ID.startsWith(prefix.toLowerCase(java.util.Locale.ROOT)))
                .and(READABLE_ID)
                .orderBy(ID)
                .limit(limit)
                .fetch(r -> UUID.fromString(r.value1())));
    }

    /**
     * Finished rows whose completion time is at or after {@code since} (epoch ms) that were not
     * finished by {@code self} (a finished job keeps the owner that ran it).
     */
    public List<JobRow> finishedSince(long since, String self) {
        return finishedElsewhere(COMPLETED_AT.ge(since), self);
    }

    /** The rows of the jobs among {@code ids} that have ended and that {@code self} did not finish. */
    @Override
    public List<JobRow> finishedAmong(Collection<UUID> ids, String self) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return finishedElsewhere(ID.in(ids.stream().map(UUID::toString).toList()), self);
    }

    /** The readable finished rows matching {@code which} that {@code self} did not finish. */
    private List<JobRow> finishedElsewhere(Condition which, String self) {
        return query(dsl -> dsl
                .select(ROW_FIELDS)
                .from(JOBS)
                .where(which)
                .and(OWNER.isDistinctFrom(self))
                .and(STATUS.in(TERMINAL))
                .fetch()
                .stream()
                .map(this::readable)
                .filter(java.util.Objects::nonNull)
                .toList());
    }

    /** Pause/cancel requests for the RUNNING jobs of {@code owner}: id to control. */
    public java.util.Map<UUID, Control> controlsFor(String owner) {
        return query(dsl -> {
            java.util.Map<UUID, Control> controls = new java.util.HashMap<>();
            dsl.select(ID, CONTROL)
                    .from(JOBS)
                    .where(STATUS.eq(JobStatus.RUNNING.name()))
                    .and(OWNER.eq(owner))
                    .and(CONTROL.isNotNull())
                    .forEach(r -> {
                        Control control = Control.ofStored(r.value2());
                        if (control != null) {
                            controls.put(UUID.fromString(r.value1()), control);
                        }
                    });
            return controls;
        });
    }

    @Override
    public java.util.OptionalLong nextRunAt(long now) {
        return reads.read(c -> {
            Statement.Bind b = nextRunAt.on(c).set(NOW, now);
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                Long at = rs.next() ? getLong(rs, 1) : null;
                return at == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(at);
            }
        });
    }

    /** Whether a job this process can run is queued. */
    public boolean hasRunnableQueued() {
        return reads.read(c -> {
            Statement.Bind b = hasQueued.on(c);
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                return rs.next();
            }
        });
    }

    /**
     * The QUEUED rows are exactly those of three partial indexes (due unlimited, due limited,
     * delayed): the sum of their counts reads the indexes only, however long the queue.
     */
    private static final Statement COUNT_QUEUED = stmt(SQL.select(SQL.selectCount()
            .from(READY_INDEX)
            .where(STATUS.eq(inline(JobStatus.QUEUED.name())))
            .and(WAITING_UNTIL.isNull())
            .and(LIMITED.eq(inline(0)))
            .asField()
            .plus(SQL.selectCount()
                    .from(READY_LIMITED_INDEX)
                    .where(STATUS.eq(inline(JobStatus.QUEUED.name())))
                    .and(WAITING_UNTIL.isNull())
                    .and(LIMITED.eq(inline(1)))
                    .asField())
            .plus(SQL.selectCount()
                    .from(WAITING_INDEX)
                    .where(STATUS.eq(inline(JobStatus.QUEUED.name())))
                    .and(WAITING_UNTIL.isNotNull())
                    .asField())));

    /** The queue-depth count's SQL, for a test of its query plan. */
    static String countQueuedSql() {
        return COUNT_QUEUED.sql();
    }

    /** A count over the partial index of QUEUED rows ({@code jobs_ready}): no table scan. */
    @Override
    public java.util.OptionalLong countQueued() {
        return java.util.OptionalLong.of(reads.read(c -> {
            Statement.Bind b = COUNT_QUEUED.on(c);
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        }));
    }

    private static final List<Field<String>> TERMINAL =
            statuses(List.of(JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED));

    private static final Statement DELETE_LOGS_OF =
            stmt(SQL.deleteFrom(JOB_LOGS).where(LOG_JOB_ID.eq(p(ID))));

    private static final Statement DELETE_ATTEMPTS_OF =
            stmt(SQL.deleteFrom(JOB_ATTEMPTS).where(ATTEMPT_JOB_ID.eq(p(ID))));

    private static final Statement FAILED_ATTEMPTS =
            stmt(SQL.select(ATTEMPT_NUMBER, ATTEMPT_AT, ATTEMPT_ERROR, ATTEMPT_TRACE)
                    .from(JOB_ATTEMPTS)
                    .where(ATTEMPT_JOB_ID.eq(p(ID)))
                    .orderBy(ATTEMPT_NUMBER));

    // ---------------------------------------------------------------- recurring schedules (SqliteSchedules)

    @Override
    public dev.jobs.runtime.store.ScheduleRow upsertSchedule(ScheduleDefinition definition, long now) {
        return schedules.upsert(definition, now);
    }

    @Override
    public Optional<dev.jobs.runtime.store.ScheduleRow> findSchedule(String name) {
        return schedules.find(name);
    }

    @Override
    public List<dev.jobs.runtime.store.ScheduleRow> schedules() {
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
    public List<dev.jobs.runtime.store.ScheduleRow> schedulesToCheck(long now, int limit) {
        return schedules.toCheck(now, limit);
    }

    @Override
    public java.util.OptionalLong nextScheduleCheck() {
        return schedules.nextCheck();
    }

    @Override
    public ScheduleRuns scheduleRuns(String name) {
        return schedules.runs(name);
    }

    @Override
    public CompletableFuture<Boolean> applyTick(TickWrite tick) {
        return schedules.applyTick(tick);
    }

    private static final Statement RESOURCES_OF = stmt(SQL.select(RES_RESOURCE, RES_MAX)
            .from(JOB_RESOURCES)
            .where(RES_JOB_ID.eq(p(RES_JOB_ID)))
            .orderBy(RES_RESOURCE));

    @Override
    public List<NewJob.Resource> resources(UUID id) {
        return reads.read(c -> {
            Statement.Bind b = RESOURCES_OF.on(c).set(RES_JOB_ID, id.toString());
            List<NewJob.Resource> rows = new ArrayList<>();
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                while (rs.next()) {
                    rows.add(new NewJob.Resource(rs.getString(1), rs.getInt(2)));
                }
            }
            return rows;
        });
    }

    @Override
    public List<AttemptRow> failedAttempts(UUID id) {
        return reads.read(c -> {
            Statement.Bind b = FAILED_ATTEMPTS.on(c).set(ID, id.toString());
            List<AttemptRow> rows = new ArrayList<>();
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                while (rs.next()) {
                    rows.add(new AttemptRow(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
            return rows;
        });
    }

    @Override
    public Deleted deleteFinished(Long cutoff, int keepNewest, int chunk) {
        org.jooq.Select<org.jooq.Record1<Long>> selectIds = cutoff != null
                ? SQL.select(ROWID)
                        .from(JOBS)
                        .where(STATUS.in(TERMINAL))
                        .and(COMPLETED_AT.lt(inline(cutoff)))
                        .limit(inline(chunk))
                : SQL.select(ROWID)
                        .from(JOBS)
                        .where(STATUS.in(TERMINAL))
                        .orderBy(COMPLETED_AT.desc(), ROWID.desc())
                        .limit(inline(chunk))
                        .offset(inline(keepNewest));
        String delete =
                SQL.render(SQL.deleteFrom(JOBS).where(ROWID.in(selectIds)).returning(ID));
        return writer.execute(tx -> {
            List<UUID> ids = new ArrayList<>();
            try (java.sql.Statement s = tx.connection().createStatement();
                    ResultSet rs = s.executeQuery(delete)) {
                while (rs.next()) {
                    try {
                        ids.add(UUID.fromString(rs.getString(1)));
                    } catch (IllegalArgumentException e) {
                        // a finished row with a foreign id is deleted like the others; it has no handle to report
                    }
                }
            }
            long logs = 0;
            for (UUID id : ids) {
                logs += DELETE_LOGS_OF.on(tx).set(ID, id.toString()).update();
                DELETE_ATTEMPTS_OF.on(tx).set(ID, id.toString()).update();
                DELETE_RESOURCES_OF.on(tx).set(ID, id.toString()).update();
            }
            return new Deleted(ids, logs);
        });
    }

    /** Runs a jOOQ query on a read connection. */
    private <T> T query(java.util.function.Function<DSLContext, T> query) {
        return reads.read(c -> query.apply(DSL.using(c, SQLDialect.SQLITE)));
    }

    /** Row ids already reported as unreadable: each is reported once per process. */
    private final java.util.Set<String> reportedUnreadable = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The row, or null (reported once) if it cannot be read. */
    private JobRow readable(org.jooq.Record r) {
        try {
            return toRow(r);
        } catch (RuntimeException e) {
            unreadable(r.get(ID), e);
            return null;
        }
    }

    private void unreadable(String id, RuntimeException e) {
        if (reportedUnreadable.add(String.valueOf(id))) {
            LOG.warn(
                    "the jobs row with id '{}' cannot be read ({}); it is skipped and every other job keeps working. "
                            + "Fix or delete it with the sqlite3 shell",
                    id,
                    e.getMessage());
        }
    }

    /** Rows whose id is not a UUID or whose status is unknown (a full scan: for tools, not hot paths). */
    public List<UnreadableRow> unreadableRows() {
        List<String> statuses =
                java.util.Arrays.stream(JobStatus.values()).map(Enum::name).toList();
        return query(dsl -> dsl.select(ID, NAME, STATUS)
                .from(JOBS)
                .where(READABLE_ID
                        .not()
                        .or(STATUS.notIn(statuses))
                        .or(ID.isNull())
                        .or(STATUS.isNull()))
                .orderBy(ROWID)
                .fetch(r -> new UnreadableRow(
                        r.value1(),
                        r.value2(),
                        r.value3(),
                        r.value3() != null && statuses.contains(r.value3())
                                ? "its id is not a UUID"
                                : "its status is unknown")));
    }

    /** A row selected with {@code ROW_FIELDS} through jOOQ. */
    private static JobRow toRow(org.jooq.Record r) {
        return new JobRow(
                UUID.fromString(r.get(ID)),
                r.get(NAME),
                r.get(VERSION),
                JobStatus.valueOf(r.get(STATUS)),
                r.get(PRIORITY),
                r.get(PROGRESS),
                r.get(PROGRESS_DATA),
                r.get(OUTPUT),
                r.get(ERROR_MESSAGE),
                r.get(ERROR_TRACE),
                r.get(CREATED_AT),
                r.get(STARTED_AT),
                r.get(COMPLETED_AT),
                r.get(LAST_CHECKPOINT),
                r.get(OWNER),
                r.get(LEASE_UNTIL),
                r.get(ATTEMPT),
                Control.ofStored(r.get(CONTROL)),
                r.get(PARAMETERS),
                uuidOrNull(r.get(RERUN_OF)),
                r.get(RUN_AT),
                r.get(FAILURES),
                r.get(MAX_ATTEMPTS),
                r.get(SCHEDULE),
                r.get(SCHEDULED_FOR),
                r.get(UNIQUE_KEY),
                r.get(LIMITED) == 1,
                uuidOrNull(r.get(PARENT_ID)),
                uuidOrNull(r.get(CHAIN_ID)),
                uuidOrNull(r.get(AFTER_ID)));
    }

    /** Maps a JDBC result set positioned on a row selected with {@code ROW_FIELDS}. */
    private static JobRow row(ResultSet rs) throws SQLException {
        return new JobRow(
                UUID.fromString(rs.getString(1)),
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
                uuidOrNull(rs.getString(20)),
                getLong(rs, 21),
                rs.getInt(22),
                (Integer) rs.getObject(23),
                rs.getString(24),
                getLong(rs, 25),
                rs.getString(26),
                rs.getInt(27) == 1,
                uuidOrNull(rs.getString(28)),
                uuidOrNull(rs.getString(29)),
                uuidOrNull(rs.getString(30)));
    }

    private static UUID uuidOrNull(String id) {
        return id == null ? null : UUID.fromString(id);
    }

    private static Double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    /** Applies pending migrations in one IMMEDIATE transaction on {@code connection}. */
    public static void migrate(Database database, Connection connection) {
        try (java.sql.Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                Migrations.apply(connection, database.file().toString());
                s.execute("COMMIT");
            } catch (SQLException | RuntimeException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        } catch (SQLException e) {
            throw database.translate("opening the store", e);
        }
    }

    @Override
    public AutoCloseable watchChanges(java.time.Duration interval, Runnable onChange) {
        StoreWatcher watcher = new StoreWatcher(database, interval, onChange);
        watcher.start();
        return watcher;
    }

    /** The database file. */
    public java.nio.file.Path file() {
        return database.file();
    }

    /**
     * Opens (creating if needed) and migrates the SQLite file, with one writer connection and a few
     * readers.
     *
     * @param runnableNames the job names this process can run: it claims no other rows
     */
    /** The factory of a store in {@code file}; its jobs' data directories go beside it, in {@code <file>.data}. */
    public static dev.jobs.runtime.store.JobStoreFactory factory(
            java.nio.file.Path file,
            dev.jobs.runtime.SynchronousMode synchronous,
            java.time.Duration busyTimeout,
            int writeBatchSize) {
        return new dev.jobs.runtime.store.JobStoreFactory() {
            @Override
            public JobStore open(Collection<String> runnableNames) {
                return SqliteJobStore.open(file, synchronous, busyTimeout, writeBatchSize, runnableNames);
            }

            @Override
            public java.util.Optional<java.nio.file.Path> defaultDataDirectory() {
                java.nio.file.Path absolute = file.toAbsolutePath();
                return java.util.Optional.of(absolute.resolveSibling(absolute.getFileName() + ".data"));
            }

            @Override
            public String describe() {
                return file.toString();
            }
        };
    }

    public static SqliteJobStore open(
            java.nio.file.Path file,
            dev.jobs.runtime.SynchronousMode synchronous,
            java.time.Duration busyTimeout,
            int writeBatchSize,
            Collection<String> runnableNames) {
        Database database = new Database(file, synchronous, busyTimeout);
        Connection writerConnection = database.openWriter();
        Writer writer;
        try {
            migrate(database, writerConnection);
            writer = new Writer(database, writerConnection, writeBatchSize, "jobs-writer");
        } catch (RuntimeException e) {
            try {
                writerConnection.close();
            } catch (SQLException | RuntimeException ignored) {
                // already failing
            }
            throw e;
        }
        return new SqliteJobStore(database, writer, new ReadPool(database, 3), runnableNames);
    }

    @Override
    public void close() {
        writer.close();
        reads.close();
    }

    // ---------------------------------------------------------------- webhook deliveries (SqliteDeliveries)

    /** Made on first use: a field initialiser would run before the constructor sets the writer. */
    private volatile SqliteDeliveries deliveries;

    private SqliteDeliveries deliveries() {
        SqliteDeliveries d = deliveries;
        if (d == null) {
            deliveries = d = new SqliteDeliveries(writer, reads);
        }
        return d;
    }

    @Override
    public CompletableFuture<Void> recordDelivery(DeliveryRow attempt) {
        return deliveries().record(attempt);
    }

    @Override
    public List<DeliveryRow> deliveries(UUID jobId, int limit) {
        return deliveries().of(jobId, limit);
    }
}
