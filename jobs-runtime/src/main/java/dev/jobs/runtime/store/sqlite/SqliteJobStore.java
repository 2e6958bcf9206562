package dev.jobs.runtime.store.sqlite;

import static dev.jobs.runtime.store.sqlite.Tables.*;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.param;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.when;

import dev.jobs.JobStatus;
import dev.jobs.runtime.StoreException;
import dev.jobs.runtime.store.*;
import dev.jobs.runtime.store.JobStore.*;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
 * Every read and write of the {@code jobs} and {@code owners} tables. SQL is rendered once by jOOQ
 * (SQLite dialect) when the store opens and run as reused prepared statements: writes through the
 * group-committing {@link Writer}, reads through the {@link ReadPool}.
 *
 * <p>Every status change is a compare-and-set: its WHERE clause names the status (and, for a
 * running job, the owner) it expects, and the caller learns from the row count whether it won.
 * A terminal status is never in any expected set, so it is never overwritten.
 */
public final class SqliteJobStore implements JobStore {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqliteJobStore.class);

    private static final DSLContext SQL =
            DSL.using(SQLDialect.SQLITE, new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER));

    private static String render(Query query) {
        return SQL.render(query);
    }

    private static <T> Field<T> p(Field<T> like) {
        return param(like.getName(), like.getType());
    }

    /**
     * The jobs table read through the partial index of queued jobs, ordered as a claim wants them
     * (priority, then insertion order). Without the hint SQLite may pick the status index and sort
     * every queued row on each claim.
     */
    private static final org.jooq.Table<?> READY_INDEX = DSL.table("jobs INDEXED BY jobs_ready");

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

    private static final String S_RUNNING = JobStatus.RUNNING.name();
    private static final String S_QUEUED = JobStatus.QUEUED.name();
    private static final String S_PAUSED = JobStatus.PAUSED.name();
    private static final String CONTROL_PAUSE = Control.PAUSE.name();
    private static final String CONTROL_CANCEL = Control.CANCEL.name();

    /** Status for a job leaving RUNNING without finishing: honour a pending pause or cancel. */
    private static final Field<String> STATUS_AFTER_STOP = when(CONTROL.eq(inline(CONTROL_PAUSE)), inline(S_PAUSED))
            .when(CONTROL.eq(inline(CONTROL_CANCEL)), inline(JobStatus.CANCELLED.name()))
            .otherwise(inline(S_QUEUED));

    private static final String INSERT = render(SQL.insertInto(
                    JOBS, ID, NAME, VERSION, DATA, STATUS, PRIORITY, CREATED_AT, ATTEMPT)
            .values(p(ID), p(NAME), p(VERSION), p(DATA), inline(S_QUEUED), p(PRIORITY), p(CREATED_AT), inline(0)));

    /**
     * The guard of every write a run makes: the job is still RUNNING, still owned by this process,
     * and still under the claim the run was started for. Binds, last in each statement: id, owner,
     * token.
     */
    private static Condition held() {
        return ID.eq(p(ID))
                .and(STATUS.eq(inline(S_RUNNING)))
                .and(OWNER.eq(p(OWNER)))
                .and(CLAIM.eq(p(CLAIM)));
    }

    /**
     * The attempt count with this run counted: a run whose start was not written (the first claim
     * of a resumable job writes its start lazily, with its first checkpoint or its end) is counted
     * by the first write that shows it ran.
     */
    private static final Field<Integer> ATTEMPT_COUNTED =
            ATTEMPT.plus(when(RUN_STARTED.isNull(), inline(1)).otherwise(inline(0)));

    private static final String CHECKPOINT = render(SQL.update(JOBS)
            .set(DATA, p(DATA))
            .set(VERSION, p(VERSION))
            .set(PROGRESS, p(PROGRESS))
            .set(PROGRESS_DATA, p(PROGRESS_DATA))
            .set(LAST_CHECKPOINT, p(LAST_CHECKPOINT))
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .set(RUN_STARTED, DSL.coalesce(RUN_STARTED, p(RUN_STARTED)))
            .set(LOST_RUNS, inline(0))
            .where(held()));

    /** Records that the run of a claim starts now (written before the run when a re-run or a non-resumable job must be counted). */
    private static final String START_RUN = render(SQL.update(JOBS)
            .set(RUN_STARTED, p(RUN_STARTED))
            .set(ATTEMPT, ATTEMPT.plus(inline(1)))
            .where(held())
            .and(RUN_STARTED.isNull()));

    private static final String COMPLETE = render(SQL.update(JOBS)
            .set(STATUS, inline(JobStatus.COMPLETED.name()))
            .set(OUTPUT, p(OUTPUT))
            .set(PROGRESS, p(PROGRESS))
            .set(PROGRESS_DATA, p(PROGRESS_DATA))
            .set(COMPLETED_AT, p(COMPLETED_AT))
            .set(LEASE_UNTIL, inline((Long) null))
            .set(CONTROL, inline((String) null))
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .where(held()));

    private static final String FAIL_RUNNING = render(SQL.update(JOBS)
            .set(STATUS, inline(JobStatus.FAILED.name()))
            .set(ERROR_MESSAGE, p(ERROR_MESSAGE))
            .set(ERROR_TRACE, p(ERROR_TRACE))
            .set(PROGRESS, p(PROGRESS))
            .set(PROGRESS_DATA, p(PROGRESS_DATA))
            .set(COMPLETED_AT, p(COMPLETED_AT))
            .set(LEASE_UNTIL, inline((Long) null))
            .set(CONTROL, inline((String) null))
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .where(held()));

    private static final String CANCEL_RUNNING = render(SQL.update(JOBS)
            .set(STATUS, inline(JobStatus.CANCELLED.name()))
            .set(PROGRESS, p(PROGRESS))
            .set(PROGRESS_DATA, p(PROGRESS_DATA))
            .set(COMPLETED_AT, p(COMPLETED_AT))
            .set(LEASE_UNTIL, inline((Long) null))
            .set(CONTROL, inline((String) null))
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .where(held())
            .and(CONTROL.eq(inline(CONTROL_CANCEL))));

    private static final String PAUSE_RUNNING = render(SQL.update(JOBS)
            .set(STATUS, inline(S_PAUSED))
            .set(DATA, p(DATA))
            .set(VERSION, p(VERSION))
            .set(LAST_CHECKPOINT, p(LAST_CHECKPOINT))
            .set(PROGRESS, p(PROGRESS))
            .set(PROGRESS_DATA, p(PROGRESS_DATA))
            .set(OWNER, inline((String) null))
            .set(LEASE_UNTIL, inline((Long) null))
            .set(CONTROL, inline((String) null))
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .set(RUN_STARTED, inline((Long) null))
            .where(held())
            .and(CONTROL.eq(inline(CONTROL_PAUSE))));

    /**
     * Leaves RUNNING without new state because the state could not be saved (a full disk, an I/O
     * error): PAUSED with the reason in the error message, keeping the last committed checkpoint,
     * or CANCELLED if a cancel is pending.
     */
    private static final String PAUSE_AFTER_FAILURE = render(SQL.update(JOBS)
            .set(
                    STATUS,
                    when(CONTROL.eq(inline(CONTROL_CANCEL)), inline(JobStatus.CANCELLED.name()))
                            .otherwise(inline(S_PAUSED)))
            .set(ERROR_MESSAGE, p(ERROR_MESSAGE))
            .set(
                    COMPLETED_AT,
                    when(CONTROL.eq(inline(CONTROL_CANCEL)), p(COMPLETED_AT)).otherwise(inline((Long) null)))
            .set(OWNER, inline((String) null))
            .set(LEASE_UNTIL, inline((Long) null))
            .set(CONTROL, inline((String) null))
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .set(RUN_STARTED, inline((Long) null))
            .where(held()));

    /** Leaves RUNNING with state saved: back to the queue, or to PAUSED/CANCELLED if one is pending. */
    private static final String STOP_RUNNING = render(SQL.update(JOBS)
            .set(STATUS, STATUS_AFTER_STOP)
            .set(DATA, p(DATA))
            .set(VERSION, p(VERSION))
            .set(LAST_CHECKPOINT, p(LAST_CHECKPOINT))
            .set(PROGRESS, p(PROGRESS))
            .set(PROGRESS_DATA, p(PROGRESS_DATA))
            .set(
                    COMPLETED_AT,
                    when(CONTROL.eq(inline(CONTROL_CANCEL)), p(COMPLETED_AT)).otherwise(inline((Long) null)))
            .set(OWNER, inline((String) null))
            .set(LEASE_UNTIL, inline((Long) null))
            .set(CONTROL, inline((String) null))
            .set(ATTEMPT, ATTEMPT_COUNTED)
            .set(RUN_STARTED, inline((Long) null))
            .where(held()));

    /** Gives back a claim whose run never started: QUEUED (or PAUSED/CANCELLED if asked), no attempt counted. */
    private static final String RELEASE_CLAIM = render(SQL.update(JOBS)
            .set(STATUS, STATUS_AFTER_STOP)
            .set(CONTROL, inline((String) null))
            .set(
                    COMPLETED_AT,
                    when(CONTROL.eq(inline(CONTROL_CANCEL)), p(COMPLETED_AT)).otherwise(inline((Long) null)))
            .set(OWNER, inline((String) null))
            .set(LEASE_UNTIL, inline((Long) null))
            .set(STARTED_AT, when(ATTEMPT.eq(inline(0)), inline((Long) null)).otherwise(STARTED_AT))
            .set(RUN_STARTED, inline((Long) null))
            .where(held()));

    /** A pause or cancel the run itself asks for (the job threw it, or a test observer asked). */
    private static final String REQUEST_CONTROL_HELD = render(SQL.update(JOBS)
            .set(CONTROL, p(CONTROL))
            .where(held())
            .and(CONTROL.isNull().or(CONTROL.ne(inline(CONTROL_CANCEL)))));

    private static final String SET_STATUS = render(SQL.update(JOBS)
            .set(STATUS, p(STATUS))
            .set(COMPLETED_AT, p(COMPLETED_AT))
            .where(ID.eq(p(ID)).and(STATUS.eq(param("expected", String.class)))));

    private static final String REQUEST_CONTROL = render(SQL.update(JOBS)
            .set(CONTROL, p(CONTROL))
            .where(ID.eq(p(ID))
                    .and(STATUS.eq(inline(S_RUNNING)))
                    .and(CONTROL.isNull().or(CONTROL.ne(inline(CONTROL_CANCEL))))));

    private static final String WITHDRAW_PAUSE = render(SQL.update(JOBS)
            .set(CONTROL, inline((String) null))
            .where(ID.eq(p(ID)).and(STATUS.eq(inline(S_RUNNING))).and(CONTROL.eq(inline(CONTROL_PAUSE)))));

    private static final String RENEW_JOB_LEASES = render(SQL.update(JOBS)
            .set(LEASE_UNTIL, p(LEASE_UNTIL))
            .where(OWNER.eq(p(OWNER)).and(STATUS.eq(inline(S_RUNNING)))));

    /** Renews (or, if a sweep removed it during a stall, re-creates) this manager's owner row. */
    private static final String RENEW_OWNER =
            render(SQL.insertInto(OWNERS, OWNER_ID, OWNER_HOST, OWNER_PID, OWNER_STARTED_AT, OWNER_LEASE_UNTIL)
                    .values(p(OWNER_ID), p(OWNER_HOST), p(OWNER_PID), p(OWNER_STARTED_AT), p(OWNER_LEASE_UNTIL))
                    .onConflict(OWNER_ID)
                    .doUpdate()
                    .set(OWNER_LEASE_UNTIL, DSL.excluded(OWNER_LEASE_UNTIL)));

    private static final String INSERT_OWNER =
            render(SQL.insertInto(OWNERS, OWNER_ID, OWNER_HOST, OWNER_PID, OWNER_STARTED_AT, OWNER_LEASE_UNTIL)
                    .values(p(OWNER_ID), p(OWNER_HOST), p(OWNER_PID), p(OWNER_STARTED_AT), p(OWNER_LEASE_UNTIL)));

    private static final String DELETE_OWNER = render(SQL.deleteFrom(OWNERS).where(OWNER_ID.eq(p(OWNER_ID))));

    private static final String SAVE_PROGRESS = render(SQL.update(JOBS)
            .set(PROGRESS, p(PROGRESS))
            .set(PROGRESS_DATA, p(PROGRESS_DATA))
            .where(held()));

    /** A log line of a run, written only while the run still holds its claim. */
    private static final String INSERT_LOG =
            render(SQL.insertInto(JOB_LOGS, LOG_JOB_ID, LOG_SEQ, LOG_AT, LOG_LEVEL, LOG_MESSAGE)
                    .select(SQL.select(p(LOG_JOB_ID), p(LOG_SEQ), p(LOG_AT), p(LOG_LEVEL), p(LOG_MESSAGE))
                            .whereExists(SQL.selectOne().from(JOBS).where(held()))));

    private static final String LAST_LOG_SEQ = render(SQL.select(DSL.coalesce(DSL.max(LOG_SEQ), inline(0L)))
            .from(JOB_LOGS)
            .where(LOG_JOB_ID.eq(p(LOG_JOB_ID))));

    /** The attempt as shown: a running claim whose start is written lazily already counts. */
    private static final Field<Integer> ATTEMPT_SHOWN = ATTEMPT.plus(
                    when(STATUS.eq(inline(S_RUNNING)).and(RUN_STARTED.isNull()), inline(1))
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
            CONTROL);

    private static final String FIND = render(SQL.select(ROW_FIELDS).from(JOBS).where(ID.eq(p(ID))));

    private final Database database;
    private final Writer writer;
    private final ReadPool reads;
    private final String claimSql;
    private final String unresolvedSql;
    private final String hasQueuedSql;
    private final String queuedAheadSql;

    /**
     * @param runnableNames the job names this process can run: it claims no other rows
     */
    public SqliteJobStore(Database database, Writer writer, ReadPool reads, Collection<String> runnableNames) {
        this.database = database;
        this.writer = writer;
        this.reads = reads;
        Condition runnable = runnableNames.isEmpty()
                ? DSL.falseCondition()
                : NAME.in(runnableNames.stream().map(DSL::inline).toList());
        this.claimSql = render(SQL.update(JOBS)
                .set(STATUS, inline(S_RUNNING))
                .set(OWNER, p(OWNER))
                .set(LEASE_UNTIL, p(LEASE_UNTIL))
                .set(STARTED_AT, DSL.coalesce(STARTED_AT, p(STARTED_AT)))
                .set(CLAIM, CLAIM.plus(inline(1)))
                .set(RUN_STARTED, inline((Long) null))
                .set(ERROR_MESSAGE, inline((String) null))
                .set(ERROR_TRACE, inline((String) null))
                .where(ROWID.in(select(ROWID)
                        .from(READY_INDEX)
                        .where(STATUS.eq(inline(S_QUEUED)))
                        .and(runnable)
                        .and(READABLE_ID)
                        .orderBy(PRIORITY.desc(), ROWID)
                        .limit(param("limit", Integer.class))))
                .returning(ID, NAME, VERSION, DATA, ATTEMPT, PRIORITY, ROWID, CLAIM));
        this.queuedAheadSql = render(SQL.select(inline(1))
                .from(READY_INDEX)
                .where(STATUS.eq(inline(S_QUEUED)))
                .and(PRIORITY.ge(param("priority", Integer.class)))
                .and(runnable)
                .limit(inline(1)));
        this.hasQueuedSql = render(SQL.select(inline(1))
                .from(JOBS)
                .where(STATUS.eq(inline(S_QUEUED)))
                .and(runnable)
                .limit(inline(1)));
        this.unresolvedSql = render(SQL.select(ROW_FIELDS)
                .from(JOBS)
                .where(STATUS.in(inline(S_QUEUED), inline(S_RUNNING), inline(S_PAUSED)))
                .and(runnable.not())
                .orderBy(ROWID));
    }

    /** False once the database file was found deleted or replaced under this process. */
    public boolean available() {
        return database.available();
    }

    // ---------------------------------------------------------------- writes

    /** Binds {@code args} in order (null, String, Integer, Long, Double, byte[]) and runs the update. */
    private static int update(Writer.Tx tx, String sql, Object... args) throws SQLException {
        PreparedStatement s = tx.prepare(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s.executeUpdate();
    }

    private CompletableFuture<Boolean> submitUpdate(String sql, Object... args) {
        return writer.submitStatement(tx -> update(tx, sql, args) == 1);
    }

    private boolean executeUpdate(String sql, Object... args) {
        return StoreFutures.await(submitUpdate(sql, args));
    }

    /** Inserts a QUEUED job; {@code onCommit} runs on the writer thread right after the commit. */
    public CompletableFuture<Void> insert(NewJob job, Runnable onCommit) {
        return writer.submitStatement(
                tx -> {
                    update(
                            tx,
                            INSERT,
                            job.id().toString(),
                            job.name(),
                            job.version(),
                            job.data(),
                            job.priority(),
                            job.createdAt());
                    return null;
                },
                onCommit);
    }

    private static final String INSERT_CLAIMED = render(SQL.insertInto(
                    JOBS,
                    ID,
                    NAME,
                    VERSION,
                    DATA,
                    STATUS,
                    PRIORITY,
                    CREATED_AT,
                    ATTEMPT,
                    OWNER,
                    LEASE_UNTIL,
                    STARTED_AT,
                    CLAIM)
            .values(
                    p(ID),
                    p(NAME),
                    p(VERSION),
                    p(DATA),
                    inline(S_RUNNING),
                    p(PRIORITY),
                    p(CREATED_AT),
                    inline(0),
                    p(OWNER),
                    p(LEASE_UNTIL),
                    p(STARTED_AT),
                    inline(1L)));

    /**
     * Inserts a job already claimed by {@code owner} (RUNNING, claim token 1) if no queued job this
     * process could run has the same or a higher priority, else as QUEUED. One transaction either
     * way; the future says whether it was claimed.
     */
    public CompletableFuture<Boolean> insertClaimedIfFirst(NewJob job, String owner, long leaseUntil) {
        return writer.submitStatement(tx -> {
            PreparedStatement ahead = tx.prepare(queuedAheadSql);
            ahead.setInt(1, job.priority());
            boolean waiting;
            try (ResultSet rs = ahead.executeQuery()) {
                waiting = rs.next();
            }
            if (waiting) {
                update(
                        tx,
                        INSERT,
                        job.id().toString(),
                        job.name(),
                        job.version(),
                        job.data(),
                        job.priority(),
                        job.createdAt());
                return false;
            }
            update(
                    tx,
                    INSERT_CLAIMED,
                    job.id().toString(),
                    job.name(),
                    job.version(),
                    job.data(),
                    job.priority(),
                    job.createdAt(),
                    owner,
                    leaseUntil,
                    job.createdAt());
            return true;
        });
    }

    /** Inserts every job in one operation of the writer (so in one transaction). */
    public CompletableFuture<Void> insertAll(List<NewJob> jobs, Runnable onCommit) {
        return writer.submit(
                tx -> {
                    PreparedStatement s = tx.prepare(INSERT);
                    for (NewJob job : jobs) {
                        s.setString(1, job.id().toString());
                        s.setString(2, job.name());
                        s.setInt(3, job.version());
                        s.setBytes(4, job.data());
                        s.setInt(5, job.priority());
                        s.setLong(6, job.createdAt());
                        s.addBatch();
                    }
                    s.executeBatch();
                    return null;
                },
                onCommit);
    }

    /** Takes up to {@code limit} queued jobs, highest priority then oldest first. */
    public List<ClaimedJob> claim(String owner, int limit, long now, long leaseUntil) {
        return StoreFutures.await(writer.submitStatement(tx -> {
            PreparedStatement s = tx.prepare(claimSql);
            s.setString(1, owner);
            s.setLong(2, leaseUntil);
            s.setLong(3, now);
            s.setInt(4, limit);
            List<long[]> order = new ArrayList<>();
            List<ClaimedJob> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ClaimedJob(
                            UUID.fromString(rs.getString(1)),
                            rs.getString(2),
                            rs.getInt(3),
                            rs.getBytes(4),
                            rs.getInt(5),
                            rs.getLong(8)));
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
            return claimed;
        }));
    }

    /** Saves a running job's state; false if the run no longer holds its claim. */
    public CompletableFuture<Boolean> checkpoint(
            Claim c, byte[] data, int version, Double progress, String progressData, long now) {
        return submitUpdate(
                CHECKPOINT, data, version, progress, progressData, now, now, c.id().toString(), c.owner(), c.token());
    }

    /** Records that the claim's run starts now (the attempt is counted); false if the claim was lost. */
    public boolean startRun(Claim c, long now) {
        return executeUpdate(START_RUN, now, c.id().toString(), c.owner(), c.token());
    }

    /** RUNNING to COMPLETED without waiting: the future says, after the commit, whether it happened. */
    public CompletableFuture<Boolean> complete(Claim c, String output, Double progress, String progressData, long now) {
        return submitUpdate(COMPLETE, output, progress, progressData, now, c.id().toString(), c.owner(), c.token());
    }

    public boolean fail(Claim c, String message, String trace, Double progress, String progressData, long now) {
        return executeUpdate(
                FAIL_RUNNING, message, trace, progress, progressData, now, c.id().toString(), c.owner(), c.token());
    }

    /** RUNNING to CANCELLED, only if a cancel was asked. */
    public boolean cancelRunning(Claim c, Double progress, String progressData, long now) {
        return executeUpdate(CANCEL_RUNNING, progress, progressData, now, c.id().toString(), c.owner(), c.token());
    }

    /** RUNNING to PAUSED with state saved, only if a pause is (still) asked. */
    public boolean pauseRunning(Claim c, byte[] data, int version, Double progress, String progressData, long now) {
        return executeUpdate(
                PAUSE_RUNNING, data, version, now, progress, progressData, c.id().toString(), c.owner(), c.token());
    }

    /** RUNNING to PAUSED keeping the last checkpoint, with {@code message} saying why (CANCELLED if a cancel is pending). */
    public boolean pauseAfterFailure(Claim c, String message, long now) {
        return executeUpdate(PAUSE_AFTER_FAILURE, message, now, c.id().toString(), c.owner(), c.token());
    }

    /** RUNNING back to QUEUED with state saved (or to PAUSED / CANCELLED when one of those is pending). */
    public boolean stopRunning(Claim c, byte[] data, int version, Double progress, String progressData, long now) {
        return executeUpdate(
                STOP_RUNNING, data, version, now, progress, progressData, now, c.id().toString(), c.owner(), c.token());
    }

    /** Gives back a claimed job whose run never started: QUEUED, no attempt counted. */
    public boolean releaseClaim(Claim c, long now) {
        return executeUpdate(RELEASE_CLAIM, now, c.id().toString(), c.owner(), c.token());
    }

    /** Records a pause or cancel that the run itself asks for; false if the claim was lost. */
    public boolean requestControl(Claim c, Control control) {
        return executeUpdate(REQUEST_CONTROL_HELD, control.name(), c.id().toString(), c.owner(), c.token());
    }

    /** Writes a running job's latest progress; the future says whether the run still held its claim. */
    public CompletableFuture<Boolean> saveProgress(Claim c, Double progress, String progressData) {
        return submitUpdate(SAVE_PROGRESS, progress, progressData, c.id().toString(), c.owner(), c.token());
    }

    /** Appends a log line of a run (group commit batches them); nothing is written once the claim is lost. */
    public CompletableFuture<Boolean> appendLog(Claim c, long seq, long at, String level, String message) {
        String id = c.id().toString();
        return submitUpdate(INSERT_LOG, id, seq, at, level, message, id, c.owner(), c.token());
    }

    /** The highest log sequence number of a job, 0 if it has none. */
    public long lastLogSequence(UUID id) {
        return reads.read(c -> {
            try (PreparedStatement s = c.prepareStatement(LAST_LOG_SEQ)) {
                s.setString(1, id.toString());
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Compare-and-set of a non-running status; {@code completedAt} may be null. */
    public boolean move(UUID id, Transition transition, JobStatus expected, long now) {
        if (expected == JobStatus.RUNNING
                || !transition.allowedFrom(expected)
                || transition.to().size() != 1) {
            throw new IllegalArgumentException(transition + " from " + expected + " is not a move of a job at rest");
        }
        JobStatus next = transition.to().iterator().next();
        return executeUpdate(SET_STATUS, next.name(), next.isTerminal() ? now : null, id.toString(), expected.name());
    }

    /** Asks a RUNNING job to pause or cancel; a pending cancel is never replaced. */
    public boolean requestControl(UUID id, Control control) {
        return executeUpdate(REQUEST_CONTROL, control.name(), id.toString());
    }

    public boolean withdrawPause(UUID id) {
        return executeUpdate(WITHDRAW_PAUSE, id.toString());
    }

    public void registerOwner(String owner, String host, long pid, long now, long leaseUntil) {
        executeUpdate(INSERT_OWNER, owner, host, pid, now, leaseUntil);
    }

    public void removeOwner(String owner) {
        executeUpdate(DELETE_OWNER, owner);
    }

    /** Extends this owner's lease and that of every job it runs. */
    public void renewLease(String owner, String host, long pid, long startedAt, long leaseUntil) {
        writer.execute(tx -> update(tx, RENEW_OWNER, owner, host, pid, startedAt, leaseUntil)
                + update(tx, RENEW_JOB_LEASES, leaseUntil, owner));
    }

    /**
     * Deletes the owner rows of dead processes on this host and, if {@code byLease}, of expired
     * leases anywhere.
     */
    public DeadOwners removeDeadOwners(
            String self, String host, java.util.function.LongPredicate pidAlive, long now, boolean byLease) {
        return writer.execute(tx -> {
            List<String> crashed = new ArrayList<>();
            List<String> diedHere = new ArrayList<>();
            List<String> lapsed = new ArrayList<>();
            try (Statement s = tx.connection().createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, host, pid, lease_until FROM owners")) {
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
            PreparedStatement d = tx.prepare(DELETE_OWNER);
            for (List<String> ids : List.of(crashed, lapsed)) {
                for (String id : ids) {
                    d.setString(1, id);
                    d.executeUpdate();
                }
            }
            return new DeadOwners(crashed, diedHere, lapsed);
        });
    }

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
     * <li>A started run of a non-resumable job is FAILED with {@code interruptedReason}.
     * </ol>
     */
    public List<Orphan> recoverOrphans(String self, long now, RecoveryPlan plan) {
        List<String> known = new ArrayList<>(plan.resumable());
        known.addAll(plan.oneShot());
        Field<String> cancelledOr = when(CONTROL.eq(inline(CONTROL_CANCEL)), inline(JobStatus.CANCELLED.name()))
                .otherwise((String) null);
        Condition orphaned = orphaned(self, now, plan.byLease());
        Condition crashed =
                plan.crashedOwners().isEmpty() ? DSL.falseCondition() : OWNER.in(inlined(plan.crashedOwners()));
        Condition diedHere = plan.diedHere().isEmpty() ? DSL.falseCondition() : OWNER.in(inlined(plan.diedHere()));
        Field<Integer> lostRuns = LOST_RUNS.plus(when(crashed, inline(1)).otherwise(inline(0)));
        return writer.execute(tx -> {
            List<Orphan> changed = new ArrayList<>();
            if (!known.isEmpty()) {
                runRecovery(
                        tx,
                        render(SQL.update(JOBS)
                                .set(STATUS, STATUS_AFTER_STOP)
                                .set(
                                        COMPLETED_AT,
                                        when(CONTROL.eq(inline(CONTROL_CANCEL)), inline(now))
                                                .otherwise(inline((Long) null)))
                                .set(
                                        STARTED_AT,
                                        when(ATTEMPT.eq(inline(0)), inline((Long) null))
                                                .otherwise(STARTED_AT))
                                .set(OWNER, inline((String) null))
                                .set(LEASE_UNTIL, inline((Long) null))
                                .set(CONTROL, inline((String) null))
                                .where(orphaned)
                                .and(RUN_STARTED.isNull())
                                .and(NAME.in(inlined(known)))
                                .returning(ID, NAME, OWNER, STATUS)),
                        changed);
            }
            if (!plan.resumable().isEmpty()) {
                Condition poisoned = lostRuns.ge(inline(plan.maxLostRuns()));
                runRecovery(
                        tx,
                        render(SQL.update(JOBS)
                                .set(
                                        STATUS,
                                        when(CONTROL.eq(inline(CONTROL_CANCEL)), inline(JobStatus.CANCELLED.name()))
                                                .when(poisoned, inline(JobStatus.FAILED.name()))
                                                .otherwise(STATUS_AFTER_STOP))
                                .set(
                                        ERROR_MESSAGE,
                                        when(
                                                        CONTROL.isDistinctFrom(inline(CONTROL_CANCEL))
                                                                .and(poisoned),
                                                        inline(plan.poisonReason()))
                                                .otherwise(ERROR_MESSAGE))
                                .set(
                                        COMPLETED_AT,
                                        when(CONTROL.eq(inline(CONTROL_CANCEL)).or(poisoned), inline(now))
                                                .otherwise(inline((Long) null)))
                                .set(LOST_RUNS, lostRuns)
                                .set(RUN_STARTED, inline((Long) null))
                                .set(OWNER, inline((String) null))
                                .set(LEASE_UNTIL, inline((Long) null))
                                .set(CONTROL, inline((String) null))
                                .where(orphaned)
                                .and(RUN_STARTED.isNotNull())
                                .and(NAME.in(inlined(plan.resumable())))
                                .returning(ID, NAME, OWNER, STATUS)),
                        changed);
            }
            if (!plan.oneShot().isEmpty()) {
                runRecovery(
                        tx,
                        render(SQL.update(JOBS)
                                .set(STATUS, DSL.coalesce(cancelledOr, inline(JobStatus.FAILED.name())))
                                .set(
                                        ERROR_MESSAGE,
                                        when(CONTROL.eq(inline(CONTROL_CANCEL)), inline((String) null))
                                                .when(diedHere, inline(plan.interruptedReason()))
                                                .otherwise(inline(plan.lapsedReason())))
                                .set(COMPLETED_AT, inline(now))
                                .set(LOST_RUNS, lostRuns)
                                .set(OWNER, inline((String) null))
                                .set(LEASE_UNTIL, inline((Long) null))
                                .set(CONTROL, inline((String) null))
                                .where(orphaned)
                                .and(RUN_STARTED.isNotNull())
                                .and(NAME.in(inlined(plan.oneShot())))
                                .returning(ID, NAME, OWNER, STATUS)),
                        changed);
            }
            return changed;
        });
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
        return STATUS.eq(inline(S_RUNNING))
                .and(OWNER.isDistinctFrom(inline(self)))
                .and(gone);
    }

    private static void runRecovery(Writer.Tx tx, String sql, List<Orphan> changed) throws SQLException {
        try (Statement s = tx.connection().createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                changed.add(new Orphan(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
    }

    // ---------------------------------------------------------------- reads

    public Optional<JobRow> find(UUID id) {
        return reads.read(c -> {
            try (PreparedStatement s = c.prepareStatement(FIND)) {
                s.setString(1, id.toString());
                try (ResultSet rs = s.executeQuery()) {
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
            try (PreparedStatement s = c.prepareStatement(unresolvedSql);
                    ResultSet rs = s.executeQuery()) {
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
        return query(dsl -> dsl
                .select(ROW_FIELDS)
                .from(JOBS)
                .where(COMPLETED_AT.ge(since))
                .and(OWNER.isDistinctFrom(self))
                .and(STATUS.in(TERMINAL.stream().map(DSL::inline).toList()))
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
                    .where(STATUS.eq(S_RUNNING))
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

    /** Whether a job this process can run is queued. */
    public boolean hasRunnableQueued() {
        return reads.read(c -> {
            try (PreparedStatement s = c.prepareStatement(hasQueuedSql);
                    ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        });
    }

    /** Terminal statuses that {@link #clean} may delete. */
    private static final List<String> TERMINAL =
            List.of(JobStatus.COMPLETED.name(), JobStatus.FAILED.name(), JobStatus.CANCELLED.name());

    private static final String DELETE_LOGS_OF = "DELETE FROM job_logs WHERE job_id = ?";

    public Deleted deleteFinished(Long cutoff, int keepNewest, int chunk) {
        String selectIds;
        if (cutoff != null) {
            selectIds = render(SQL.select(ROWID)
                    .from(JOBS)
                    .where(STATUS.in(TERMINAL.stream().map(DSL::inline).toList()))
                    .and(COMPLETED_AT.lt(inline(cutoff)))
                    .limit(inline(chunk)));
        } else {
            selectIds = render(SQL.select(ROWID)
                    .from(JOBS)
                    .where(STATUS.in(TERMINAL.stream().map(DSL::inline).toList()))
                    .orderBy(COMPLETED_AT.desc(), ROWID.desc())
                    .limit(inline(chunk))
                    .offset(inline(keepNewest)));
        }
        String delete = "DELETE FROM jobs WHERE rowid IN (" + selectIds + ") RETURNING id";
        return writer.execute(tx -> {
            List<UUID> ids = new ArrayList<>();
            try (Statement s = tx.connection().createStatement();
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
            PreparedStatement d = tx.prepare(DELETE_LOGS_OF);
            for (UUID id : ids) {
                d.setString(1, id.toString());
                logs += d.executeUpdate();
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
                Control.ofStored(r.get(CONTROL)));
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
                Control.ofStored(rs.getString(18)));
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
        try (Statement s = connection.createStatement()) {
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
}
