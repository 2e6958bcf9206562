package dev.jobs.runtime.store.sqlite;

import static dev.jobs.runtime.store.sqlite.SqliteJobStore.NOW;
import static dev.jobs.runtime.store.sqlite.SqliteJobStore.p;
import static dev.jobs.runtime.store.sqlite.SqliteJobStore.stmt;
import static dev.jobs.runtime.store.sqlite.Tables.*;
import static org.jooq.impl.DSL.inline;

import dev.jobs.JobStatus;
import dev.jobs.runtime.store.JobStore.ScheduleDefinition;
import dev.jobs.runtime.store.JobStore.ScheduleRuns;
import dev.jobs.runtime.store.JobStore.TickWrite;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.ScheduleRow;
import dev.jobs.runtime.store.StoreFutures;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The {@code job_schedules} table: the SQLite side of recurring schedules. Every change goes
 * through the writer; a ticker's write ({@link #applyTick}) is a compare-and-set on the row's
 * version, in the same transaction as the jobs it inserts, and each job carries its (schedule,
 * tick) key, which a unique index keeps to one job per tick.
 */
final class SqliteSchedules {

    private static final DSLContext SQL =
            DSL.using(SQLDialect.SQLITE, new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER));

    private static final List<Field<?>> FIELDS = List.of(
            SCH_NAME,
            SCH_JOB_NAME,
            SCH_PARAMETERS,
            SCH_SCHEDULE,
            SCH_CATCH_UP,
            SCH_CATCH_UP_CAP,
            SCH_OVERLAP,
            SCH_PRIORITY,
            SCH_PAUSED,
            SCH_ANCHOR,
            SCH_LAST_TICK,
            SCH_PENDING_TICK,
            SCH_NEXT_CHECK,
            SCH_LAST_JOB,
            SCH_DROPPED,
            SCH_VERSION,
            SCH_CREATED_AT,
            SCH_UPDATED_AT);

    private static final Statement FIND =
            stmt(SQL.select(FIELDS).from(SCHEDULES).where(SCH_NAME.eq(p(SCH_NAME))));
    private static final Statement ALL = stmt(SQL.select(FIELDS).from(SCHEDULES).orderBy(SCH_NAME));

    private static final Statement INSERT = stmt(SQL.insertInto(
                    SCHEDULES,
                    SCH_NAME,
                    SCH_JOB_NAME,
                    SCH_PARAMETERS,
                    SCH_SCHEDULE,
                    SCH_CATCH_UP,
                    SCH_CATCH_UP_CAP,
                    SCH_OVERLAP,
                    SCH_PRIORITY,
                    SCH_PAUSED,
                    SCH_ANCHOR,
                    SCH_NEXT_CHECK,
                    SCH_VERSION,
                    SCH_CREATED_AT,
                    SCH_UPDATED_AT)
            .values(
                    p(SCH_NAME),
                    p(SCH_JOB_NAME),
                    p(SCH_PARAMETERS),
                    p(SCH_SCHEDULE),
                    p(SCH_CATCH_UP),
                    p(SCH_CATCH_UP_CAP),
                    p(SCH_OVERLAP),
                    p(SCH_PRIORITY),
                    inline(0),
                    NOW,
                    NOW,
                    inline(1L),
                    NOW,
                    NOW));

    /** A changed definition; binds the definition, anchor, now. */
    private static final Statement REDEFINE = stmt(SQL.update(SCHEDULES)
            .set(SCH_JOB_NAME, p(SCH_JOB_NAME))
            .set(SCH_PARAMETERS, p(SCH_PARAMETERS))
            .set(SCH_SCHEDULE, p(SCH_SCHEDULE))
            .set(SCH_CATCH_UP, p(SCH_CATCH_UP))
            .set(SCH_CATCH_UP_CAP, p(SCH_CATCH_UP_CAP))
            .set(SCH_OVERLAP, p(SCH_OVERLAP))
            .set(SCH_PRIORITY, p(SCH_PRIORITY))
            .set(SCH_ANCHOR, p(SCH_ANCHOR))
            .set(SCH_NEXT_CHECK, NOW)
            .set(SCH_VERSION, SCH_VERSION.plus(inline(1L)))
            .set(SCH_UPDATED_AT, NOW)
            .where(SCH_NAME.eq(p(SCH_NAME))));

    private static final Statement PAUSE = stmt(SQL.update(SCHEDULES)
            .set(SCH_PAUSED, p(SCH_PAUSED))
            .set(SCH_NEXT_CHECK, DSL.when(p(SCH_PAUSED).eq(inline(0)), NOW).otherwise(SCH_NEXT_CHECK))
            .set(SCH_VERSION, SCH_VERSION.plus(inline(1L)))
            .set(SCH_UPDATED_AT, NOW)
            .where(SCH_NAME.eq(p(SCH_NAME))));

    private static final Statement DELETE = stmt(SQL.deleteFrom(SCHEDULES).where(SCH_NAME.eq(p(SCH_NAME))));

    private static final Statement TICK = stmt(SQL.update(SCHEDULES)
            .set(SCH_LAST_TICK, p(SCH_LAST_TICK))
            .set(SCH_PENDING_TICK, p(SCH_PENDING_TICK))
            .set(SCH_NEXT_CHECK, p(SCH_NEXT_CHECK))
            .set(SCH_LAST_JOB, p(SCH_LAST_JOB))
            .set(SCH_DROPPED, SCH_DROPPED.plus(p(SCH_DROPPED)))
            .set(SCH_VERSION, SCH_VERSION.plus(inline(1L)))
            .set(SCH_UPDATED_AT, NOW)
            .where(SCH_NAME.eq(p(SCH_NAME)))
            .and(SCH_VERSION.eq(DSL.param("expected", Long.class))));

    private static final List<Field<String>> ACTIVE = List.of(
            inline(JobStatus.QUEUED.name()),
            inline(JobStatus.RUNNING.name()),
            inline(JobStatus.PAUSED.name()),
            inline(JobStatus.WAITING.name()));

    /**
     * Whether a job of the schedule is active (through the partial index of active schedule jobs,
     * however long its history), and when the run of its newest tick ended (the newest entry of
     * the unique (schedule, tick) index).
     */
    private static final Statement RUNS = stmt(SQL.select(
            DSL.field(DSL.exists(SQL.selectOne()
                    .from(DSL.table("jobs INDEXED BY jobs_schedule_active"))
                    .where(SCHEDULE.eq(p(SCHEDULE)))
                    .and(STATUS.in(ACTIVE)))),
            DSL.field(SQL.select(COMPLETED_AT)
                    .from(JOBS)
                    .where(SCHEDULE.eq(p(SCHEDULE)))
                    .orderBy(SCHEDULED_FOR.desc())
                    .limit(inline(1)))));

    private final Writer writer;
    private final ReadPool reads;
    private final Statement toCheck;
    private final Statement nextCheck;

    SqliteSchedules(Writer writer, ReadPool reads, Collection<String> runnableNames) {
        this.writer = writer;
        this.reads = reads;
        Condition runnable = runnableNames.isEmpty()
                ? DSL.falseCondition()
                : SCH_JOB_NAME.in(runnableNames.stream().map(DSL::inline).toList());
        Condition active = SCH_PAUSED.eq(inline(0)).and(runnable);
        this.toCheck = stmt(SQL.select(FIELDS)
                .from(SCHEDULES)
                .where(active)
                .and(SCH_NEXT_CHECK.isNull().or(SCH_NEXT_CHECK.le(NOW)))
                .orderBy(SCH_NEXT_CHECK)
                .limit(DSL.param("limit", Integer.class)));
        this.nextCheck =
                stmt(SQL.select(DSL.min(SCH_NEXT_CHECK)).from(SCHEDULES).where(active));
    }

    ScheduleRow upsert(ScheduleDefinition d, long now) {
        return StoreFutures.await(writer.submit(tx -> {
            ScheduleRow existing;
            try (ResultSet rs = FIND.on(tx).set(SCH_NAME, d.name()).query()) {
                existing = rs.next() ? row(rs) : null;
            }
            if (existing == null) {
                definition(INSERT.on(tx), d).set(NOW, now).update();
            } else if (!existing.definition().equals(d)) {
                boolean retimed = !existing.definition().schedule().equals(d.schedule());
                definition(REDEFINE.on(tx), d)
                        .set(SCH_ANCHOR, retimed ? now : existing.anchor())
                        .set(NOW, now)
                        .update();
            } else {
                return existing;
            }
            try (ResultSet rs = FIND.on(tx).set(SCH_NAME, d.name()).query()) {
                rs.next();
                return row(rs);
            }
        }));
    }

    private static Statement.Bind definition(Statement.Bind b, ScheduleDefinition d) throws SQLException {
        return b.set(SCH_NAME, d.name())
                .set(SCH_JOB_NAME, d.jobName())
                .set(SCH_PARAMETERS, d.parameters())
                .set(SCH_SCHEDULE, d.schedule())
                .set(SCH_CATCH_UP, d.catchUp())
                .set(SCH_CATCH_UP_CAP, d.catchUpCap())
                .set(SCH_OVERLAP, d.overlap())
                .set(SCH_PRIORITY, d.priority());
    }

    Optional<ScheduleRow> find(String name) {
        List<ScheduleRow> rows = read(FIND, b -> b.set(SCH_NAME, name));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    List<ScheduleRow> all() {
        return read(ALL, b -> {});
    }

    List<ScheduleRow> toCheck(long now, int limit) {
        return read(toCheck, b -> b.set(NOW, now).set("limit", limit));
    }

    boolean pause(String name, boolean paused, long now) {
        return StoreFutures.await(writer.submitStatement(tx -> PAUSE.on(tx)
                        .set(SCH_NAME, name)
                        .set(SCH_PAUSED, paused ? 1 : 0)
                        .set(NOW, now)
                        .update()
                == 1));
    }

    boolean delete(String name) {
        return StoreFutures.await(
                writer.submitStatement(tx -> DELETE.on(tx).set(SCH_NAME, name).update() == 1));
    }

    OptionalLong nextCheck() {
        return reads.read(c -> {
            Statement.Bind b = nextCheck.on(c);
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                long v = rs.next() ? rs.getLong(1) : 0;
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
        });
    }

    ScheduleRuns runs(String name) {
        return reads.read(c -> {
            Statement.Bind b = RUNS.on(c).set(SCHEDULE, name);
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                rs.next();
                boolean active = rs.getInt(1) == 1;
                long end = rs.getLong(2);
                return new ScheduleRuns(active, rs.wasNull() ? null : end);
            }
        });
    }

    CompletableFuture<Boolean> applyTick(TickWrite t) {
        return writer.submit(tx -> {
            int changed = TICK.on(tx)
                    .set(SCH_NAME, t.name())
                    .set(SCH_LAST_TICK, t.lastTick())
                    .set(SCH_PENDING_TICK, t.pendingTick())
                    .set(SCH_NEXT_CHECK, t.nextCheck())
                    .set(SCH_LAST_JOB, t.lastJob())
                    .set(SCH_DROPPED, t.dropped())
                    .set(NOW, t.now())
                    .set("expected", t.expectedVersion())
                    .update();
            if (changed != 1) {
                return false;
            }
            for (NewJob job : t.jobs()) {
                Objects.requireNonNull(job.schedule(), "a tick's job names its schedule");
                if (SqliteJobStore.newJob(SqliteJobStore.INSERT_TICK_JOB.on(tx), job)
                                .update()
                        == 1) {
                    SqliteJobStore.holdResources(tx, job);
                }
            }
            return true;
        });
    }

    private interface Binder {
        void bind(Statement.Bind b) throws SQLException;
    }

    private List<ScheduleRow> read(Statement statement, Binder binder) {
        return reads.read(c -> {
            Statement.Bind b = statement.on(c);
            binder.bind(b);
            List<ScheduleRow> rows = new ArrayList<>();
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        });
    }

    private static ScheduleRow row(ResultSet rs) throws SQLException {
        return new ScheduleRow(
                new ScheduleDefinition(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getString(7),
                        rs.getInt(8)),
                rs.getInt(9) != 0,
                rs.getLong(10),
                longOrNull(rs, 11),
                longOrNull(rs, 12),
                longOrNull(rs, 13),
                rs.getString(14),
                rs.getLong(15),
                rs.getLong(16),
                rs.getLong(17),
                rs.getLong(18));
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
