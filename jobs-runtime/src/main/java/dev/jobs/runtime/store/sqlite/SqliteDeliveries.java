package dev.jobs.runtime.store.sqlite;

import static dev.jobs.runtime.store.sqlite.SqliteJobStore.p;
import static dev.jobs.runtime.store.sqlite.SqliteJobStore.stmt;
import static dev.jobs.runtime.store.sqlite.Tables.*;

import dev.jobs.runtime.store.JobStore.DeliveryRow;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The {@code job_deliveries} table: one row per attempt to deliver a job's notification to a
 * webhook. Rows are only inserted (an attempt is a fact, never updated) and are deleted with
 * their job by a trigger, so retention needs no change.
 */
final class SqliteDeliveries {

    private static final DSLContext SQL =
            DSL.using(SQLDialect.SQLITE, new Settings().withRenderQuotedNames(RenderQuotedNames.NEVER));

    private static final Statement INSERT = stmt(SQL.insertInto(
                    JOB_DELIVERIES,
                    DLV_DELIVERY,
                    DLV_JOB_ID,
                    DLV_URL,
                    DLV_EVENT,
                    DLV_ATTEMPT,
                    DLV_AT,
                    DLV_HTTP_STATUS,
                    DLV_ERROR,
                    DLV_DELIVERED)
            .values(
                    p(DLV_DELIVERY),
                    p(DLV_JOB_ID),
                    p(DLV_URL),
                    p(DLV_EVENT),
                    p(DLV_ATTEMPT),
                    p(DLV_AT),
                    p(DLV_HTTP_STATUS),
                    p(DLV_ERROR),
                    p(DLV_DELIVERED)));

    private static final Statement OF_JOB = stmt(SQL.select(
                    DLV_DELIVERY,
                    DLV_JOB_ID,
                    DLV_URL,
                    DLV_EVENT,
                    DLV_ATTEMPT,
                    DLV_AT,
                    DLV_HTTP_STATUS,
                    DLV_ERROR,
                    DLV_DELIVERED)
            .from(JOB_DELIVERIES)
            .where(DLV_JOB_ID.eq(p(DLV_JOB_ID)))
            .orderBy(DLV_ID)
            .limit(DSL.param("limit", Integer.class)));

    private final Writer writer;
    private final ReadPool reads;

    SqliteDeliveries(Writer writer, ReadPool reads) {
        this.writer = writer;
        this.reads = reads;
    }

    CompletableFuture<Void> record(DeliveryRow d) {
        return writer.submitStatement(tx -> {
            INSERT.on(tx)
                    .set(DLV_DELIVERY, d.delivery())
                    .set(DLV_JOB_ID, d.jobId().toString())
                    .set(DLV_URL, d.url())
                    .set(DLV_EVENT, d.event())
                    .set(DLV_ATTEMPT, d.attempt())
                    .set(DLV_AT, d.at())
                    .set(DLV_HTTP_STATUS, d.httpStatus())
                    .set(DLV_ERROR, d.error())
                    .set(DLV_DELIVERED, d.delivered() ? 1 : 0)
                    .update();
            return null;
        });
    }

    List<DeliveryRow> of(UUID jobId, int limit) {
        return reads.read(c -> {
            Statement.Bind b = OF_JOB.on(c).set(DLV_JOB_ID, jobId.toString()).set("limit", limit);
            List<DeliveryRow> rows = new ArrayList<>();
            try (PreparedStatement s = b.statement();
                    ResultSet rs = b.query()) {
                while (rs.next()) {
                    int status = rs.getInt(7);
                    Integer httpStatus = rs.wasNull() ? null : status;
                    rows.add(new DeliveryRow(
                            rs.getString(1),
                            UUID.fromString(rs.getString(2)),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getInt(5),
                            rs.getLong(6),
                            httpStatus,
                            rs.getString(8),
                            rs.getInt(9) == 1));
                }
            }
            return rows;
        });
    }
}
