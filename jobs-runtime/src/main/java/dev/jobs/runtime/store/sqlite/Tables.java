package dev.jobs.runtime.store.sqlite;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * The tables and columns of the store, typed for jOOQ. The DDL itself is in {@link Migrations};
 * these declarations must match it.
 *
 * <p>Timestamps are epoch milliseconds (INTEGER): cheap to compare and index. Statuses are the
 * {@code JobStatus} names as TEXT, so the table reads well in the {@code sqlite3} shell.
 */
public final class Tables {
    private Tables() {}

    public static final Table<Record> JOBS = table(name("jobs"));
    public static final Field<Long> ROWID = field(name("rowid"), SQLDataType.BIGINT);
    public static final Field<String> ID = field(name("id"), SQLDataType.VARCHAR);
    public static final Field<String> NAME = field(name("name"), SQLDataType.VARCHAR);
    public static final Field<Integer> VERSION = field(name("version"), SQLDataType.INTEGER);
    public static final Field<byte[]> DATA = field(name("data"), SQLDataType.BLOB);
    public static final Field<String> STATUS = field(name("status"), SQLDataType.VARCHAR);
    public static final Field<Integer> PRIORITY = field(name("priority"), SQLDataType.INTEGER);
    public static final Field<Double> PROGRESS = field(name("progress"), SQLDataType.DOUBLE);
    public static final Field<String> PROGRESS_DATA = field(name("progress_data"), SQLDataType.VARCHAR);
    public static final Field<String> OUTPUT = field(name("output"), SQLDataType.VARCHAR);
    public static final Field<String> ERROR_MESSAGE = field(name("error_message"), SQLDataType.VARCHAR);
    public static final Field<String> ERROR_TRACE = field(name("error_trace"), SQLDataType.VARCHAR);
    public static final Field<Long> CREATED_AT = field(name("created_at"), SQLDataType.BIGINT);
    public static final Field<Long> STARTED_AT = field(name("started_at"), SQLDataType.BIGINT);
    public static final Field<Long> COMPLETED_AT = field(name("completed_at"), SQLDataType.BIGINT);
    public static final Field<Long> LAST_CHECKPOINT = field(name("last_checkpoint"), SQLDataType.BIGINT);
    public static final Field<String> OWNER = field(name("owner"), SQLDataType.VARCHAR);
    public static final Field<Long> LEASE_UNTIL = field(name("lease_until"), SQLDataType.BIGINT);
    public static final Field<Integer> ATTEMPT = field(name("attempt"), SQLDataType.INTEGER);
    /** A pause or cancel asked of a RUNNING job, which its owner applies at the next interrupt point. */
    public static final Field<String> CONTROL = field(name("control"), SQLDataType.VARCHAR);
    /**
     * The fencing token: incremented by every claim and never decreased. Every write a run makes
     * names the token its claim got, so a run whose job was claimed again since (by another process
     * or by its own after a lapsed lease) changes nothing.
     */
    public static final Field<Long> CLAIM = field(name("claim"), SQLDataType.BIGINT);
    /** When the current claim's run started (epoch ms); null while the job is only claimed. */
    public static final Field<Long> RUN_STARTED = field(name("run_started"), SQLDataType.BIGINT);
    /** The job's parameters as given at dispatch, a JSON object of its {@code @Param} fields (null in older rows). */
    public static final Field<String> PARAMETERS = field(name("parameters"), SQLDataType.VARCHAR);
    /** The finished job this one runs again (JobManager.rerun). */
    public static final Field<String> RERUN_OF = field(name("rerun_of"), SQLDataType.VARCHAR);
    /** When a delayed job becomes due (epoch millis), or null: due since dispatch. */
    public static final Field<Long> RUN_AT = field(name("run_at"), SQLDataType.BIGINT);
    /**
     * When a queued job that is not due yet becomes due (its run time, or its retry time); null
     * once it is due. Jobs with a value are outside the index of ready jobs, in that of waiting ones.
     */
    public static final Field<Long> WAITING_UNTIL = field(name("waiting_until"), SQLDataType.BIGINT);
    /** Runs lost with their process since the last checkpoint; a poison job is failed at the limit. */
    public static final Field<Integer> LOST_RUNS = field(name("lost_runs"), SQLDataType.INTEGER);

    /** The retry policy the job was dispatched with (the runtime's text form), or null: no retry. */
    public static final Field<String> RETRY_POLICY = field(name("retry_policy"), SQLDataType.VARCHAR);
    /** The policy's attempts in all, or null: no retry (a run lost with its process then counts towards lost_runs). */
    public static final Field<Integer> MAX_ATTEMPTS = field(name("max_attempts"), SQLDataType.INTEGER);
    /** Attempts that failed (threw, or died with their process without a checkpoint, under a retry policy). */
    public static final Field<Integer> FAILURES = field(name("failures"), SQLDataType.INTEGER);

    /** The job whose run dispatched this one ({@code ctx.dispatchChild}), or null. */
    public static final Field<String> PARENT_ID = field(name("parent_id"), SQLDataType.VARCHAR);
    /**
     * Which child of its parent this is: the parent's state generation and the index of the
     * dispatch since. Unique per parent, so a parent resumed from a checkpoint that dispatches the
     * same children again finds them instead of adding new ones.
     */
    public static final Field<String> CHILD_KEY = field(name("child_key"), SQLDataType.VARCHAR);
    /**
     * The generation of the job's saved state: incremented by every write that replaces it (a
     * checkpoint, a pause, a stop, a wait, a restart), handed back with each claim.
     */
    public static final Field<Integer> SAVES = field(name("saves"), SQLDataType.INTEGER);
    /** The chain this job is a step of, or null. */
    public static final Field<String> CHAIN_ID = field(name("chain_id"), SQLDataType.VARCHAR);
    /** The step of its chain this one waits for (null for the first step). */
    public static final Field<String> AFTER_ID = field(name("after_id"), SQLDataType.VARCHAR);
    /** 1: the step runs even if the step before it failed or was cancelled. */
    public static final Field<Integer> CHAIN_CONTINUE = field(name("chain_continue"), SQLDataType.INTEGER);

    /**
     * The jobs the store's triggers cancelled (a chain's later steps, a cancelled job's children),
     * until one process takes them to publish their Cancelled events.
     */
    public static final Table<Record> JOB_CASCADES = table(name("job_cascades"));

    public static final Field<Long> CASCADE_SEQ = field(name("seq"), SQLDataType.BIGINT);
    public static final Field<String> CASCADE_JOB_ID = field(name("job_id"), SQLDataType.VARCHAR);
    public static final Field<String> CASCADE_NAME = field(name("name"), SQLDataType.VARCHAR);

    /** One row per failed attempt of a job: its error, kept while the job is kept. */
    public static final Table<Record> JOB_ATTEMPTS = table(name("job_attempts"));

    public static final Field<String> ATTEMPT_JOB_ID = field(name("job_id"), SQLDataType.VARCHAR);
    public static final Field<Integer> ATTEMPT_NUMBER = field(name("attempt"), SQLDataType.INTEGER);
    public static final Field<Long> ATTEMPT_AT = field(name("at"), SQLDataType.BIGINT);
    public static final Field<String> ATTEMPT_ERROR = field(name("error"), SQLDataType.VARCHAR);
    public static final Field<String> ATTEMPT_TRACE = field(name("trace"), SQLDataType.VARCHAR);

    /** The schedule that created the job (its name), or null. */
    public static final Field<String> SCHEDULE = field(name("schedule"), SQLDataType.VARCHAR);
    /** The tick of its schedule the job runs for (epoch millis); unique per schedule. */
    public static final Field<Long> SCHEDULED_FOR = field(name("scheduled_for"), SQLDataType.BIGINT);

    /** Recurring schedules: one row per named schedule, advanced by whichever manager ticks it. */
    public static final Table<Record> SCHEDULES = table(name("job_schedules"));

    public static final Field<String> SCH_NAME = field(name("name"), SQLDataType.VARCHAR);
    public static final Field<String> SCH_JOB_NAME = field(name("job_name"), SQLDataType.VARCHAR);
    public static final Field<String> SCH_PARAMETERS = field(name("parameters"), SQLDataType.VARCHAR);
    public static final Field<String> SCH_SCHEDULE = field(name("schedule"), SQLDataType.VARCHAR);
    public static final Field<String> SCH_CATCH_UP = field(name("catch_up"), SQLDataType.VARCHAR);
    public static final Field<Integer> SCH_CATCH_UP_CAP = field(name("catch_up_cap"), SQLDataType.INTEGER);
    public static final Field<String> SCH_OVERLAP = field(name("overlap"), SQLDataType.VARCHAR);
    public static final Field<Integer> SCH_PRIORITY = field(name("priority"), SQLDataType.INTEGER);
    public static final Field<Integer> SCH_PAUSED = field(name("paused"), SQLDataType.INTEGER);
    /** Where an {@code every} schedule counts its ticks from (its creation, or its last change). */
    public static final Field<Long> SCH_ANCHOR = field(name("anchor"), SQLDataType.BIGINT);
    /** The newest tick handled (run, dropped, or made pending). */
    public static final Field<Long> SCH_LAST_TICK = field(name("last_tick"), SQLDataType.BIGINT);
    /** A tick waiting for the active run to end (overlap QUEUE). */
    public static final Field<Long> SCH_PENDING_TICK = field(name("pending_tick"), SQLDataType.BIGINT);
    /** When a ticker must look at the schedule again; null: when a run of it ends. */
    public static final Field<Long> SCH_NEXT_CHECK = field(name("next_check"), SQLDataType.BIGINT);

    public static final Field<String> SCH_LAST_JOB = field(name("last_job"), SQLDataType.VARCHAR);
    /** Ticks dropped so far (catch-up SKIP or a cap, overlap SKIP). */
    public static final Field<Long> SCH_DROPPED = field(name("dropped"), SQLDataType.BIGINT);
    /** Incremented by every change: a ticker's write is a compare-and-set on it. */
    public static final Field<Long> SCH_VERSION = field(name("version"), SQLDataType.BIGINT);

    public static final Field<Long> SCH_CREATED_AT = field(name("created_at"), SQLDataType.BIGINT);
    public static final Field<Long> SCH_UPDATED_AT = field(name("updated_at"), SQLDataType.BIGINT);

    /** The unique key the job was dispatched with, or null. */
    public static final Field<String> UNIQUE_KEY = field(name("unique_key"), SQLDataType.VARCHAR);

    /** The job holding each unique key, and how long the key holds (see {@code Uniqueness}). */
    public static final Table<Record> UNIQUE_KEYS = table(name("job_unique_keys"));

    public static final Field<String> UK_KEY = field(name("key"), SQLDataType.VARCHAR);
    public static final Field<String> UK_JOB_ID = field(name("job_id"), SQLDataType.VARCHAR);
    public static final Field<String> UK_SCOPE = field(name("scope"), SQLDataType.VARCHAR);
    public static final Field<Long> UK_UNTIL = field(name("until"), SQLDataType.BIGINT);

    /** 1 when the job holds resources while it runs (concurrency limits): claimed through its own index. */
    public static final Field<Integer> LIMITED = field(name("limited"), SQLDataType.INTEGER);

    /** The resources each limited job holds while RUNNING, and the most holders each allows. */
    public static final Table<Record> JOB_RESOURCES = table(name("job_resources"));

    public static final Field<String> RES_JOB_ID = field(name("job_id"), SQLDataType.VARCHAR);
    public static final Field<String> RES_RESOURCE = field(name("resource"), SQLDataType.VARCHAR);
    public static final Field<Integer> RES_MAX = field(name("max"), SQLDataType.INTEGER);

    public static final Table<Record> OWNERS = table(name("owners"));
    public static final Field<String> OWNER_ID = field(name("id"), SQLDataType.VARCHAR);
    public static final Field<String> OWNER_HOST = field(name("host"), SQLDataType.VARCHAR);
    public static final Field<Long> OWNER_PID = field(name("pid"), SQLDataType.BIGINT);
    public static final Field<Long> OWNER_STARTED_AT = field(name("started_at"), SQLDataType.BIGINT);
    public static final Field<Long> OWNER_LEASE_UNTIL = field(name("lease_until"), SQLDataType.BIGINT);

    public static final Table<Record> JOB_LOGS = table(name("job_logs"));
    public static final Field<String> LOG_JOB_ID = field(name("job_id"), SQLDataType.VARCHAR);
    public static final Field<Long> LOG_SEQ = field(name("seq"), SQLDataType.BIGINT);
    public static final Field<Long> LOG_AT = field(name("at"), SQLDataType.BIGINT);
    public static final Field<String> LOG_LEVEL = field(name("level"), SQLDataType.VARCHAR);
    public static final Field<String> LOG_MESSAGE = field(name("message"), SQLDataType.VARCHAR);

    public static final Table<Record> SCHEMA_VERSION = table(name("jobs_schema_version"));
    public static final Field<Integer> SCHEMA_VERSION_NUMBER = field(name("version"), SQLDataType.INTEGER);
    public static final Field<String> SCHEMA_DESCRIPTION = field(name("description"), SQLDataType.VARCHAR);
    public static final Field<Long> SCHEMA_APPLIED_AT = field(name("applied_at"), SQLDataType.BIGINT);

    /**
     * One row per attempt to deliver a job's notification to a webhook. A trigger deletes a job's
     * rows with the job (see {@link Migrations}, version 12).
     */
    public static final Table<Record> JOB_DELIVERIES = table(name("job_deliveries"));

    public static final Field<Long> DLV_ID = field(name("id"), SQLDataType.BIGINT);
    /** The notification's id: the same for every attempt to deliver it. */
    public static final Field<String> DLV_DELIVERY = field(name("delivery"), SQLDataType.VARCHAR);

    public static final Field<String> DLV_JOB_ID = field(name("job_id"), SQLDataType.VARCHAR);
    public static final Field<String> DLV_URL = field(name("url"), SQLDataType.VARCHAR);
    /** The event type, {@code JobEventType}'s name. */
    public static final Field<String> DLV_EVENT = field(name("event"), SQLDataType.VARCHAR);
    /** 1 for the first attempt, then +1 per retry. */
    public static final Field<Integer> DLV_ATTEMPT = field(name("attempt"), SQLDataType.INTEGER);

    public static final Field<Long> DLV_AT = field(name("at"), SQLDataType.BIGINT);
    /** The HTTP status of the response, or null when there was none (timeout, refused connection). */
    public static final Field<Integer> DLV_HTTP_STATUS = field(name("http_status"), SQLDataType.INTEGER);

    public static final Field<String> DLV_ERROR = field(name("error"), SQLDataType.VARCHAR);
    /** 1 when the receiver accepted it (a 2xx response). */
    public static final Field<Integer> DLV_DELIVERED = field(name("delivered"), SQLDataType.INTEGER);
}
