package dev.jobs.runtime.store;

import dev.jobs.JobStatus;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

/**
 * What the engine needs from storage: the store SPI. The SQLite store
 * ({@code dev.jobs.runtime.store.sqlite.SqliteJobStore}) is the embedded default; a store for
 * several machines implements the same interface and passes the same conformance suite
 * ({@code JobStoreConformance} in the runtime's test jar).
 *
 * <p>The rules every implementation keeps (the conformance suite checks each):
 *
 * <ul>
 *   <li><b>Every status change is a compare-and-set</b> on the statuses {@link Transition} allows
 *       as its source; the result says whether it won. A terminal status is never overwritten.
 *   <li><b>Every write of a run is fenced</b> by {@link Claim}: the row must still be RUNNING, owned
 *       by the claim's owner, under the claim's token. A write of a stale run changes nothing and
 *       returns false.
 *   <li><b>Writes are durable when their future completes</b>; a store may commit many of them
 *       together (group commit), and runs {@code onCommit} callbacks in commit order.
 *   <li><b>Time comes from the caller</b> ({@code now} arguments), never from the database's clock.
 *   <li><b>A row that cannot be read</b> as a job is skipped by claims and queries (reported once)
 *       and listed by {@link #unreadableRows()}; it never stops other jobs.
 * </ul>
 *
 * <p>Failures are {@link dev.jobs.runtime.StoreException}s whose message names the store and what
 * to do.
 */
public interface JobStore extends AutoCloseable {

    /** False once the store is known to be gone (its file deleted or replaced): every call then fails. */
    boolean available();

    // ---------------------------------------------------------------- dispatch

    /** Inserts a QUEUED job; {@code onCommit} (may be null) runs right after the commit, in commit order. */
    CompletableFuture<Void> insert(NewJob job, Runnable onCommit);

    /**
     * Inserts a QUEUED job with a unique key ({@code job.unique()}), unless another job holds the
     * key: one that is active (QUEUED, RUNNING, WAITING, PAUSED) for a {@code WHILE_ACTIVE} key, one whose
     * {@code until} is after {@code job.createdAt()} for {@code PERIOD}, any for {@code FOREVER}.
     * Check and insert are one atomic step across processes, so racing dispatches of one key
     * insert one job. The future gives the id of the job holding the key: {@code job.id()} when
     * it was inserted. {@code onInserted} (may be null) runs right after the commit, only if it was.
     */
    CompletableFuture<UUID> insertUnique(NewJob job, Runnable onInserted);

    /** Inserts every job in one transaction: all or none. */
    CompletableFuture<Void> insertAll(List<NewJob> jobs, Runnable onCommit);

    /**
     * Inserts a job already claimed by {@code owner} (RUNNING, claim token 1) if no queued job this
     * process can run that is due at the job's {@code createdAt} has the same or a higher priority,
     * else as QUEUED. The job itself is due at once (its {@code runAt} is null or not after its
     * {@code createdAt}). The future says whether it was claimed.
     */
    CompletableFuture<Boolean> insertClaimedIfFirst(NewJob job, String owner, long leaseUntil);

    // ---------------------------------------------------------------- claims and runs

    /**
     * Claims up to {@code limit} due queued jobs this process can run ({@link Transition#CLAIM}),
     * highest priority first, then oldest; each claim increments the row's fencing token. A job is
     * due when it has no run time or its run time is at or before {@code now}; a job not yet due is
     * never claimed and does not hold back due jobs behind it.
     */
    List<ClaimedJob> claim(String owner, int limit, long now, long leaseUntil);

    /**
     * The earliest run time after {@code now} of a queued job this process can run, or empty when
     * none waits for a future time (the scheduler sleeps until then).
     */
    java.util.OptionalLong nextRunAt(long now);

    /** Records that the claim's run starts now and counts the attempt; false if the claim was lost or already started. */
    boolean startRun(Claim claim, long now);

    /** Saves a running job's state ({@link Transition#CHECKPOINT}); the future says whether the run still held its claim. */
    CompletableFuture<Boolean> checkpoint(
            Claim claim, byte[] data, int version, Double progress, String progressData, long now);

    /** RUNNING to COMPLETED; the future says, after the commit, whether it happened. */
    CompletableFuture<Boolean> complete(Claim claim, String output, Double progress, String progressData, long now);

    /**
     * RUNNING to FAILED, counting the failed attempt and recording it in the attempts history
     * ({@link #failedAttempts}).
     */
    boolean fail(Claim claim, String message, String trace, Double progress, String progressData, long now);

    /**
     * The run failed and will be tried again ({@link Transition#RETRY}): QUEUED with the retry's run
     * time (or PAUSED / CANCELLED when one is pending), its error as the row's error until the next
     * claim, the failed attempt counted and recorded in the history. The last checkpoint stays,
     * unless {@code restartData} is given: then it replaces the state and the row counts as never
     * checkpointed.
     */
    boolean retry(Claim claim, RetryWrite retry);

    /** RUNNING to CANCELLED, only if a cancel was asked. */
    boolean cancelRunning(Claim claim, Double progress, String progressData, long now);

    /**
     * RUNNING to PAUSED with state saved, only if a pause is (still) asked. Here and in
     * {@link #stopRunning} and {@link #waitForChildren}, null {@code data} keeps the last saved
     * state and its generation (a run that dispatched children since then stops as if it had
     * crashed, so that it dispatches them again under the same keys).
     */
    boolean pauseRunning(Claim claim, byte[] data, int version, Double progress, String progressData, long now);

    /**
     * RUNNING to PAUSED keeping the last checkpoint, with {@code message} saying why (its state
     * could not be saved); CANCELLED if a cancel is pending.
     */
    boolean pauseAfterFailure(Claim claim, String message, long now);

    /** RUNNING back to QUEUED with state saved (or to PAUSED / CANCELLED when one of those is pending). */
    boolean stopRunning(Claim claim, byte[] data, int version, Double progress, String progressData, long now);

    /** Gives back a claim whose run never started: QUEUED (or PAUSED / CANCELLED if asked), no attempt counted. */
    boolean releaseClaim(Claim claim, long now);

    /** Records a pause or cancel that the run itself asks for; false if the claim was lost. */
    boolean requestControl(Claim claim, Control control);

    /** Writes a running job's latest progress; the future says whether the run still held its claim. */
    CompletableFuture<Boolean> saveProgress(Claim claim, Double progress, String progressData);

    /** Appends a log line of a run; nothing is written once the claim is lost (the future says false). */
    CompletableFuture<Boolean> appendLog(Claim claim, long seq, long at, String level, String message);

    // ---------------------------------------------------------------- children and chains

    /**
     * Inserts a QUEUED child of the run holding {@code parent} ({@code job.relation()} names the
     * parent and the child's key), unless the parent already has a child with that key. Claim check,
     * look-up and insert are one atomic step: a run that lost its claim inserts nothing. The future
     * gives the child's id ({@code job.id()} if it was inserted, the stored child's otherwise), or
     * null when the claim was lost. {@code onInserted} runs after the commit, only if it was.
     */
    CompletableFuture<UUID> insertChild(Claim parent, NewJob job, Runnable onInserted);

    /**
     * The run waits for its children ({@link Transition#WAIT}) with its state saved: WAITING while
     * one of them is active, else QUEUED; PAUSED or CANCELLED if one of those is pending.
     *
     * <p>Every store also keeps these rules in the same transaction as the write that causes them,
     * whichever write that is (a run's end, a cancel, recovery, in any process):
     *
     * <ul>
     *   <li>the end of a job's last active child queues the job if it is WAITING;
     *   <li>a cancelled job's active children are cancelled (a RUNNING one is asked to cancel);
     *   <li>a chain step that completed queues the next step; one that failed or was cancelled
     *       cancels it (which cancels the rest in turn), unless that step continues on failure.
     * </ul>
     *
     * Writes that replace a job's state (a checkpoint, a pause, a stop, a wait) increment its state
     * generation, handed back with each claim ({@link ClaimedJob#saves()}); a restart by a retry
     * sets it to 0, the generation of the state as dispatched.
     */
    boolean waitForChildren(Claim claim, byte[] data, int version, Double progress, String progressData, long now);

    /** The children of a job, oldest first. */
    List<JobRow> children(UUID parent);

    /** The steps of a chain, in order. */
    List<JobRow> chain(UUID chain);

    /**
     * Takes the jobs the store cancelled by itself under the rules above (a chain's later steps, a
     * cancelled job's queued, paused or waiting children), oldest first, at most {@code limit}.
     * Each is taken once, by one call in one process, which publishes its Cancelled event. Cheap
     * when there are none: a read, no write.
     */
    List<CascadedCancel> takeCascadedCancels(int limit);

    // ---------------------------------------------------------------- control from outside the run

    /**
     * Moves a job that is not running from {@code expected} to the one target status of
     * {@code transition} ({@link Transition#PAUSE}, {@link Transition#RESUME} or
     * {@link Transition#CANCEL}), as a compare-and-set; a terminal target records {@code now} as
     * its completion time.
     *
     * @throws IllegalArgumentException the table does not allow {@code transition} from {@code expected}, or
     *     {@code expected} is RUNNING (ask the run with {@link #requestControl(UUID, Control)})
     */
    boolean move(UUID id, Transition transition, JobStatus expected, long now);

    /** Asks a RUNNING job to pause or cancel; a pending cancel is never replaced. */
    boolean requestControl(UUID id, Control control);

    /** Withdraws a pause asked of a RUNNING job that has not stopped yet. */
    boolean withdrawPause(UUID id);

    // ---------------------------------------------------------------- owners, leases, recovery

    void registerOwner(String owner, String host, long pid, long now, long leaseUntil);

    void removeOwner(String owner);

    /** Extends this owner's lease and that of every job it runs (re-creating the owner row if a sweep removed it). */
    void renewLease(String owner, String host, long pid, long startedAt, long leaseUntil);

    /**
     * Deletes the owner rows of processes gone from this host ({@code pidAlive} false) and, if
     * {@code byLease}, of expired leases anywhere.
     */
    DeadOwners removeDeadOwners(String self, String host, LongPredicate pidAlive, long now, boolean byLease);

    /** Recovers every orphaned RUNNING row of the job types in {@code plan} ({@link Transition#RECOVER}), in one transaction. */
    List<Orphan> recoverOrphans(String self, long now, RecoveryPlan plan);

    // ---------------------------------------------------------------- queries

    Optional<JobRow> find(UUID id);

    /** Active rows whose job name this process cannot run. */
    List<JobRow> unresolved();

    /** Rows matching a filter, in a stable order (creation time, then id), with keyset paging. */
    List<JobRow> list(ListFilter filter);

    /** Ids starting with {@code prefix} (at most {@code limit}), in order. */
    List<UUID> idsStartingWith(String prefix, int limit);

    /**
     * Finished rows completed at or after {@code since} (epoch ms) that {@code self} did not finish
     * (a finished job keeps the owner that ran it).
     */
    List<JobRow> finishedSince(long since, String self);

    /**
     * The rows of the jobs among {@code ids} that have ended (COMPLETED, FAILED or CANCELLED) and
     * that {@code self} did not finish, whenever they ended. A process waiting for the results of a
     * few jobs asks this way, so that what one look reads depends on how many jobs it waits for,
     * not on how many jobs other processes finished lately ({@link #finishedSince} on a busy
     * cluster: thousands of rows per look). Callers pass few ids (the runtime: at most {@link
     * #FINISHED_AMONG_LIMIT}); a store should read them in one query. The default reads each row
     * with {@link #find}.
     */
    default List<JobRow> finishedAmong(java.util.Collection<UUID> ids, String self) {
        List<JobRow> rows = new java.util.ArrayList<>();
        for (UUID id : ids) {
            find(id).filter(r -> r.status().isTerminal() && !self.equals(r.owner()))
                    .ifPresent(rows::add);
        }
        return rows;
    }

    /** The most ids the runtime passes to {@link #finishedAmong} in one call. */
    int FINISHED_AMONG_LIMIT = 256;

    /** Pause and cancel requests for the RUNNING jobs of {@code owner}: id to control. */
    Map<UUID, Control> controlsFor(String owner);

    /** Whether a job this process can run is queued (due or not: a delayed one counts too). */
    boolean hasRunnableQueued();

    /**
     * How many jobs are QUEUED, due or delayed, of every type: the queue depth a metrics gauge
     * shows (read at most every few seconds). Empty (the default) for a store that cannot count
     * them without a scan.
     */
    default java.util.OptionalLong countQueued() {
        return java.util.OptionalLong.empty();
    }

    /** Rows that cannot be read as jobs (a full scan: for tools, not hot paths). */
    List<UnreadableRow> unreadableRows();

    // ---------------------------------------------------------------- logs

    /** A job's log lines with a sequence number above {@code afterSeq}, oldest first. */
    List<LogRow> logs(UUID id, long afterSeq, int limit);

    /**
     * The failed attempts of a job, oldest first: every attempt that threw, and every run lost with
     * its process that counted as an attempt. Empty for a job that never failed.
     */
    List<AttemptRow> failedAttempts(UUID id);

    /** The resources a job holds while it runs, with each one's max, by key; empty if none. */
    List<NewJob.Resource> resources(UUID id);

    /** The highest log sequence number of a job, 0 if it has none. */
    long lastLogSequence(UUID id);

    // ---------------------------------------------------------------- retention

    /**
     * Deletes up to {@code chunk} finished jobs completed before {@code cutoff} (or, when
     * {@code cutoff} is null, beyond the newest {@code keepNewest} finished jobs), their logs and
     * their attempts history, in one transaction.
     */
    Deleted deleteFinished(Long cutoff, int keepNewest, int chunk);

    // ---------------------------------------------------------------- recurring schedules

    /**
     * Creates the schedule, or changes it to {@code definition} if one of that name exists. An
     * unchanged definition changes nothing (its ticks carry on); a changed one keeps the last tick
     * handled, re-anchors an {@code every} schedule at {@code now} if its timing changed, and is
     * looked at by the next ticker at once.
     */
    ScheduleRow upsertSchedule(ScheduleDefinition definition, long now);

    Optional<ScheduleRow> findSchedule(String name);

    /** Every schedule, by name. */
    List<ScheduleRow> schedules();

    /**
     * Holds or releases a schedule's ticks; releasing it makes the next ticker look at it at once
     * (the ticks missed while paused follow its catch-up policy). False if there is no such schedule.
     */
    boolean pauseSchedule(String name, boolean paused, long now);

    /** Deletes a schedule (its jobs stay); false if there was none. */
    boolean deleteSchedule(String name);

    /**
     * Schedules of job types this process can run that a ticker must look at now: not paused, and
     * due for a check ({@code nextCheck <= now}) or waiting for a run to end ({@code nextCheck} null).
     */
    List<ScheduleRow> schedulesToCheck(long now, int limit);

    /** The earliest {@code nextCheck} of a schedule this process can tick, if any (a ticker sleeps until then). */
    java.util.OptionalLong nextScheduleCheck();

    /**
     * Whether a job of the schedule is active (QUEUED, RUNNING or PAUSED), and when the run of its
     * newest tick ended (null: none has ended).
     */
    ScheduleRuns scheduleRuns(String name);

    /**
     * Writes one look of a ticker at a schedule, in one transaction, if the schedule is still at
     * {@code expectedVersion} (else nothing, and false: another ticker got there first, or it was
     * changed): inserts its jobs, skipping any whose (schedule, tick) is already stored, and
     * records the ticks handled. Exactly one job per tick, however many managers tick. The future
     * completes after the commit (a store may commit many ticks together).
     */
    CompletableFuture<Boolean> applyTick(TickWrite tick);

    // ---------------------------------------------------------------- change notification

    /**
     * Calls {@code onChange} (on a thread of the store's) after other connections or processes
     * commit, checking about every {@code interval}, until the returned handle is closed. A store
     * that detects its storage was lost marks itself unavailable here.
     */
    AutoCloseable watchChanges(Duration interval, Runnable onChange);

    /** Commits what is queued, then releases connections. */
    @Override
    void close();

    // ---------------------------------------------------------------- webhook deliveries

    /**
     * Records one attempt to deliver a job's notification to a webhook; durable when the future
     * completes. A store deletes a job's delivery records with the job, whatever deletes it
     * ({@link #deleteFinished} included; the SQLite store uses a trigger).
     */
    CompletableFuture<Void> recordDelivery(DeliveryRow attempt);

    /** The delivery attempts recorded for a job, oldest first, at most {@code limit}. */
    List<DeliveryRow> deliveries(UUID jobId, int limit);

    /**
     * One attempt to deliver a notification.
     *
     * @param delivery the notification's id, the same for each attempt to deliver it
     * @param event the event type's name
     * @param attempt 1 for the first attempt, then +1 per retry
     * @param at when the attempt ended (epoch millis)
     * @param httpStatus the response's status, or null if there was no response
     * @param error why it failed (status line or exception), or null
     * @param delivered whether the receiver accepted it (2xx)
     */
    record DeliveryRow(
            String delivery,
            UUID jobId,
            String url,
            String event,
            int attempt,
            long at,
            Integer httpStatus,
            String error,
            boolean delivered) {}

    // ---------------------------------------------------------------- values

    /**
     * A filter for {@link #list}; {@code cursorCreated}/{@code cursorId} continue after a row;
     * {@code text} (lower case, or null) matches a job whose name, parameters or error message
     * contain it, ignoring case, or whose id starts with it.
     */
    record ListFilter(
            Set<JobStatus> statuses,
            List<String> names,
            Long createdAfter,
            Long createdBefore,
            int limit,
            boolean oldestFirst,
            Long cursorCreated,
            UUID cursorId,
            String text) {
        /** A filter without a text condition. */
        public ListFilter(
                Set<JobStatus> statuses,
                List<String> names,
                Long createdAfter,
                Long createdBefore,
                int limit,
                boolean oldestFirst,
                Long cursorCreated,
                UUID cursorId) {
            this(statuses, names, createdAfter, createdBefore, limit, oldestFirst, cursorCreated, cursorId, null);
        }
    }

    /**
     * The owners a sweep removed: {@code crashed} are known dead (their pid is gone on this host) or
     * cannot be told from dead (an expired lease on another host), {@code diedHere} the crashed
     * ones of this host; {@code lapsed} are processes on this host that are alive but let their
     * lease expire (frozen, overloaded).
     */
    record DeadOwners(List<String> crashed, List<String> diedHere, List<String> lapsed) {
        public boolean isEmpty() {
            return crashed.isEmpty() && lapsed.isEmpty();
        }
    }

    /** A RUNNING row whose owner is gone, and the status recovery gave it. */
    record Orphan(String id, String name, String owner, String status) {}

    /**
     * What recovery does with the orphaned rows of the job types this process knows.
     *
     * @param byLease also take rows whose lease expired (else only rows whose owner row is gone)
     * @param crashedOwners owners whose runs count as lost with their process (towards a poison job)
     * @param diedHere owners whose process is known to have ended: their one-shot runs fail with
     *     {@code interruptedReason}, others' with {@code lapsedReason}
     */
    record RecoveryPlan(
            Collection<String> resumable,
            Collection<String> oneShot,
            boolean byLease,
            Collection<String> crashedOwners,
            Collection<String> diedHere,
            String interruptedReason,
            String lapsedReason,
            int maxLostRuns,
            String poisonReason,
            String lastAttemptReason) {}

    /**
     * A failed run that will be tried again.
     *
     * @param runAt when the retry becomes due (epoch millis, the claim's clock)
     * @param message the error: exception class and message
     * @param trace its stack trace (the history keeps the first 4000 characters)
     * @param restartData the state to restart from (the job as dispatched), or null to keep the last checkpoint
     * @param restartVersion the state version of {@code restartData}
     */
    record RetryWrite(
            long runAt,
            String message,
            String trace,
            byte[] restartData,
            int restartVersion,
            Double progress,
            String progressData,
            long now) {}

    /**
     * A failed attempt in a job's history.
     *
     * @param attempt its number: 1 for the first run
     * @param at when it ended (epoch millis)
     * @param error the exception class and message, or why the run was lost
     * @param trace the head of its stack trace, or null
     */
    record AttemptRow(int attempt, long at, String error, String trace) {}

    /**
     * What a recurring schedule does: which job it creates, with which parameters, when, and how
     * it treats missed and overlapping ticks. Schedule, catch-up and overlap are stored as text
     * ({@code Schedule.text()}, enum names).
     */
    record ScheduleDefinition(
            String name,
            String jobName,
            String parameters,
            String schedule,
            String catchUp,
            int catchUpCap,
            String overlap,
            int priority) {}

    /** The runs of a schedule: whether one is active, and when the newest ended (null: none has). */
    record ScheduleRuns(boolean active, Long lastEnd) {}

    /**
     * One look of a ticker at a schedule.
     *
     * @param jobs the jobs to create, each with the schedule's name and its tick
     * @param lastTick the newest tick handled after this look
     * @param pendingTick a tick left waiting for the active run to end, or null
     * @param nextCheck when to look again; null: when a run of it ends
     * @param lastJob the id of the newest job created (this look's last, else the previous one)
     * @param dropped how many ticks this look dropped
     */
    record TickWrite(
            String name,
            long expectedVersion,
            List<NewJob> jobs,
            Long lastTick,
            Long pendingTick,
            Long nextCheck,
            String lastJob,
            long dropped,
            long now) {}

    /** A job the store cancelled by itself, because of another job's end. */
    record CascadedCancel(UUID id, String name) {}

    /** A stored log line. */
    record LogRow(long seq, long at, String level, String message) {}

    /** What one retention chunk deleted. */
    record Deleted(List<UUID> ids, long logLines) {}

    /** A row that cannot be read as a job: its raw id, name and status, and why. */
    record UnreadableRow(String id, String name, String status, String problem) {}
}
