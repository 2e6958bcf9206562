package dev.jobs.postgres;

import dev.jobs.runtime.store.JobStore.ScheduleDefinition;
import dev.jobs.runtime.store.JobStore.ScheduleRuns;
import dev.jobs.runtime.store.JobStore.TickWrite;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.ScheduleRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code job_schedules} table. A ticker's write is a compare-and-set on the row's version, in
 * the same transaction as the jobs it inserts; the unique (schedule, tick) index keeps one job per
 * tick whatever the number of nodes.
 */
final class PostgresSchedules {

    private static final String FIELDS = "name, job_name, parameters, schedule, catch_up, catch_up_cap, overlap,"
            + " priority, paused, anchor, last_tick, pending_tick, next_check, last_job, dropped, version,"
            + " created_at, updated_at";

    private final PostgresJobStore store;
    private final Sql find;
    private final Sql findForUpdate;
    private final Sql all;
    private final Sql insert;
    private final Sql redefine;
    private final Sql pause;
    private final Sql delete;
    private final Sql tick;
    private final Sql runs;
    private final Sql toCheck;
    private final Sql nextCheck;

    PostgresSchedules(PostgresJobStore store, Collection<String> runnableNames) {
        this.store = store;
        find = store.sql("SELECT " + FIELDS + " FROM #.job_schedules WHERE name = :name");
        findForUpdate = store.sql("SELECT " + FIELDS + " FROM #.job_schedules WHERE name = :name FOR UPDATE");
        all = store.sql("SELECT " + FIELDS + " FROM #.job_schedules ORDER BY name");
        insert = store.sql("INSERT INTO #.job_schedules (name, job_name, parameters, schedule, catch_up,"
                + " catch_up_cap, overlap, priority, paused, anchor, next_check, version, created_at, updated_at)"
                + " VALUES (:name, :job_name, :parameters, :schedule, :catch_up, :catch_up_cap, :overlap, :priority,"
                + " false, :now, :now, 1, :now, :now) ON CONFLICT (name) DO NOTHING");
        redefine = store.sql("UPDATE #.job_schedules SET job_name = :job_name, parameters = :parameters,"
                + " schedule = :schedule, catch_up = :catch_up, catch_up_cap = :catch_up_cap, overlap = :overlap,"
                + " priority = :priority, anchor = :anchor, next_check = :now, version = version + 1,"
                + " updated_at = :now WHERE name = :name");
        pause = store.sql("UPDATE #.job_schedules SET paused = :paused,"
                + " next_check = CASE WHEN :paused THEN next_check ELSE CAST(:now AS bigint) END,"
                + " version = version + 1, updated_at = :now WHERE name = :name");
        delete = store.sql("DELETE FROM #.job_schedules WHERE name = :name");
        tick = store.sql("UPDATE #.job_schedules SET last_tick = CAST(:last_tick AS bigint),"
                + " pending_tick = CAST(:pending_tick AS bigint), next_check = CAST(:next_check AS bigint),"
                + " last_job = CAST(:last_job AS text), dropped = dropped + :dropped, version = version + 1,"
                + " updated_at = :now WHERE name = :name AND version = :expected");
        runs = store.sql("SELECT EXISTS (SELECT 1 FROM #.jobs WHERE schedule = :name AND status IN ('QUEUED',"
                + " 'RUNNING', 'PAUSED', 'WAITING')), (SELECT completed_at FROM #.jobs WHERE schedule = :name"
                + " ORDER BY scheduled_for DESC LIMIT 1)");
        String active = "NOT paused AND "
                + (runnableNames.isEmpty()
                        ? "false"
                        : "job_name IN (" + PostgresJobStore.literals(runnableNames) + ")");
        toCheck = store.sql("SELECT " + FIELDS + " FROM #.job_schedules WHERE " + active
                + " AND (next_check IS NULL OR next_check <= :now) ORDER BY next_check NULLS FIRST LIMIT :limit");
        nextCheck = store.sql("SELECT min(next_check) FROM #.job_schedules WHERE " + active);
    }

    ScheduleRow upsert(ScheduleDefinition d, long now) {
        return store.tx("upserting schedule " + d.name(), c -> {
            try (Sql.Bind b = insert.on(c)) {
                if (definition(b, d).set("now", now).update() == 1) {
                    return one(c, find, d.name());
                }
            }
            ScheduleRow existing = one(c, findForUpdate, d.name());
            if (existing.definition().equals(d)) {
                return existing;
            }
            boolean retimed = !existing.definition().schedule().equals(d.schedule());
            try (Sql.Bind b = redefine.on(c)) {
                definition(b, d)
                        .set("anchor", retimed ? now : existing.anchor())
                        .set("now", now)
                        .update();
            }
            return one(c, find, d.name());
        });
    }

    private static ScheduleRow one(java.sql.Connection c, Sql statement, String name) throws SQLException {
        try (Sql.Bind b = statement.on(c);
                ResultSet rs = b.set("name", name).query()) {
            rs.next();
            return row(rs);
        }
    }

    private static Sql.Bind definition(Sql.Bind b, ScheduleDefinition d) throws SQLException {
        return b.set("name", d.name())
                .set("job_name", d.jobName())
                .set("parameters", d.parameters())
                .set("schedule", d.schedule())
                .set("catch_up", d.catchUp())
                .set("catch_up_cap", d.catchUpCap())
                .set("overlap", d.overlap())
                .set("priority", d.priority());
    }

    Optional<ScheduleRow> find(String name) {
        List<ScheduleRow> rows = read(find, b -> b.set("name", name));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    List<ScheduleRow> all() {
        return read(all, b -> {});
    }

    List<ScheduleRow> toCheck(long now, int limit) {
        return read(toCheck, b -> b.set("now", now).set("limit", limit));
    }

    boolean pause(String name, boolean paused, long now) {
        return store.tx("pausing schedule " + name, c -> {
            try (Sql.Bind b = pause.on(c)) {
                return b.set("name", name).set("paused", paused).set("now", now).update() == 1;
            }
        });
    }

    boolean delete(String name) {
        return store.tx("deleting schedule " + name, c -> {
            try (Sql.Bind b = delete.on(c)) {
                return b.set("name", name).update() == 1;
            }
        });
    }

    OptionalLong nextCheck() {
        return store.read("reading the next schedule check", c -> {
            try (Sql.Bind b = nextCheck.on(c);
                    ResultSet rs = b.query()) {
                long v = rs.next() ? rs.getLong(1) : 0;
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
        });
    }

    ScheduleRuns runs(String name) {
        return store.read("reading the runs of schedule " + name, c -> {
            try (Sql.Bind b = runs.on(c);
                    ResultSet rs = b.set("name", name).query()) {
                rs.next();
                boolean active = rs.getBoolean(1);
                long end = rs.getLong(2);
                return new ScheduleRuns(active, rs.wasNull() ? null : end);
            }
        });
    }

    boolean applyTick(TickWrite t) {
        return store.tx("writing a tick of schedule " + t.name(), c -> {
            try (Sql.Bind b = tick.on(c)) {
                int changed = b.set("name", t.name())
                        .set("last_tick", t.lastTick())
                        .set("pending_tick", t.pendingTick())
                        .set("next_check", t.nextCheck())
                        .set("last_job", t.lastJob())
                        .set("dropped", t.dropped())
                        .set("now", t.now())
                        .set("expected", t.expectedVersion())
                        .update();
                if (changed != 1) {
                    return false;
                }
            }
            for (NewJob job : t.jobs()) {
                Objects.requireNonNull(job.schedule(), "a tick's job names its schedule");
                store.insertTickJob(c, job);
            }
            return true;
        });
    }

    private interface Binder {
        void bind(Sql.Bind b) throws SQLException;
    }

    private List<ScheduleRow> read(Sql statement, Binder binder) {
        return store.read("reading schedules", c -> {
            List<ScheduleRow> rows = new ArrayList<>();
            try (Sql.Bind b = statement.on(c)) {
                binder.bind(b);
                try (ResultSet rs = b.query()) {
                    while (rs.next()) {
                        rows.add(row(rs));
                    }
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
                rs.getBoolean(9),
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
