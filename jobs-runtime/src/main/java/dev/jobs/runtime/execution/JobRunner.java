package dev.jobs.runtime.execution;

import dev.jobs.JobHandler;
import dev.jobs.JobInterruptedException;
import dev.jobs.JobInterruptedException.Reason;
import dev.jobs.JobRegistration;
import dev.jobs.JobStatus;
import dev.jobs.Progress;
import dev.jobs.RetryPolicy;
import dev.jobs.runtime.StoreException;
import dev.jobs.runtime.store.Claim;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.Control;
import dev.jobs.runtime.store.JobRow;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.StoreFutures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one claimed job on a worker thread and records how the run ended.
 *
 * <p>A claim is not a run: before starting, the runner checks that this process's lease was held
 * without a lapse since the claim (else the job goes back to the queue unstarted), and for a
 * non-resumable job or a re-run it records the start in the row first, so recovery can tell a run
 * that started from a claim that did not. Every write of the run carries the claim's fencing
 * token: once the job was claimed again (by another process, or by this one after its lease
 * lapsed), the run's writes change nothing and the run stops at its next checkpoint or interrupt
 * point. A final write that keeps failing is handed to the {@link OutcomeRetrier}.
 */
final class JobRunner implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final Engine engine;
    private final ClaimedJob claimed;
    private final Claim claim;
    private final JobRegistration<?> registration;
    private final long epoch;
    private final long claimedAtNanos = System.nanoTime();
    /** Set once the run's outcome was written or handed on (or deliberately not written). */
    private volatile boolean settled;

    private volatile RunContext context;
    private volatile Reason early;

    /** @param epoch the lease epoch the claim was made in */
    JobRunner(Engine engine, ClaimedJob claimed, JobRegistration<?> registration, long epoch) {
        this.engine = engine;
        this.claimed = claimed;
        this.claim = claimed.claim(engine.owner());
        this.registration = registration;
        this.epoch = epoch;
    }

    UUID id() {
        return claimed.id();
    }

    Claim claim() {
        return claim;
    }

    /** Passes a pause/cancel/shutdown request to the job (or remembers it until the job starts). */
    synchronized void request(Reason reason) {
        RunContext ctx = context;
        if (ctx != null) {
            ctx.request(reason);
        } else {
            early = RunContext.stronger(early, reason);
        }
    }

    synchronized void withdrawPause() {
        RunContext ctx = context;
        if (ctx != null) {
            ctx.withdrawPause();
        } else if (early == Reason.PAUSED) {
            early = null;
        }
    }

    Progress progress() {
        RunContext ctx = context;
        return ctx == null ? null : ctx.latestProgress();
    }

    /** Writes progress reported since the last write, if any (coalesced: latest wins). */
    void persistProgress() {
        RunContext ctx = context;
        Progress p = ctx == null ? null : ctx.takeUnpersistedProgress();
        if (p != null) {
            engine.store()
                    .saveProgress(claim, RunContext.fraction(p), engine.json().progressToJson(p))
                    .whenComplete((held, failure) -> {
                        if (failure != null) {
                            ctx.progressNotStored(); // written again with the next change, checkpoint or end
                            LOG.debug("job {}: storing its progress failed: {}", claimed.id(), failure.getMessage());
                        } else if (!held) {
                            ctx.claimLost();
                        }
                    });
        }
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        MDC.put("job.id", claimed.id().toString());
        MDC.put("job.name", claimed.name());
        try {
            if (start()) {
                runJob();
            }
        } catch (RuntimeException | Error e) {
            LOG.error("job {} ({}): its runner hit an unexpected error", claimed.id(), claimed.name(), e);
            if (!settled
                    && context != null) { // the run had started: record it as failed rather than leave it RUNNING here
                String error = "the job runner hit an unexpected error: " + e;
                finish(
                        "its failure",
                        () -> engine.store().fail(claim, error, trace(e), null, null, now()),
                        () -> ended(JobStatus.FAILED, null, error));
            }
        } finally {
            MDC.remove("job.id");
            MDC.remove("job.name");
            long ran = System.nanoTime() - started;
            engine.recordRunTime(ran);
            dev.jobs.runtime.metrics.Instrumentation metrics = engine.instrumentation();
            if (metrics != null && context != null) { // a run that started, not a claim given back unstarted
                metrics.ran(claimed.name(), ran);
            }
            engine.runEnded(this);
            if (claimed.holdsResources()) {
                engine.signal(); // a run that ended otherwise than by completing has written its end by now
            }
        }
    }

    /** Whether the run may start: the lease held since the claim, and the start recorded where it must be. */
    private boolean start() {
        if (!engine.leaseHeld(epoch)) {
            LOG.debug(
                    "job {} ({}): this process's lease lapsed since the claim; it goes back to the queue unstarted",
                    claimed.id(),
                    claimed.name());
            engine.releaseQuietly(claim);
            return false;
        }
        if (registration.resumable()
                && !claimed.claimedBefore()
                && claimed.retryPolicy() == null
                && System.nanoTime() - claimedAtNanos < engine.freshClaimNanos()) {
            // a fresh first claim: its start is written lazily, with its first checkpoint or its
            // end. Not under a retry policy: a run lost with its process must count as an attempt,
            // and recovery can only count a run whose start was recorded
            return true;
        }
        boolean held;
        try {
            held = retrying(() -> engine.store().startRun(claim, now()));
        } catch (StoreException e) {
            LOG.error(
                    "job {} ({}): its start could not be recorded ({}); it is not run now",
                    claimed.id(),
                    claimed.name(),
                    e.getMessage());
            engine.retrier()
                    .add(
                            new OutcomeRetrier.Pending(
                                    describe("giving back its claim"),
                                    () -> engine.store().releaseClaim(claim, now()),
                                    held2 -> engine.signal()),
                            e);
            return false;
        }
        if (!held) {
            LOG.info(
                    "job {} ({}) was claimed again before its run started ({}); this claim is dropped unstarted",
                    claimed.id(),
                    claimed.name(),
                    whoHoldsIt());
        }
        return held;
    }

    private void runJob() {
        JobHandler<?> job;
        try {
            job = engine.codec().decode(registration, claimed.version(), claimed.data());
        } catch (RuntimeException e) {
            String error = e.getClass().getName() + ": " + e.getMessage();
            LOG.error(
                    "job {} ({}) cannot be restored and is marked FAILED: {}",
                    claimed.id(),
                    claimed.name(),
                    e.getMessage());
            finish(
                    "its failure",
                    () -> engine.store().fail(claim, error, trace(e), null, null, now()),
                    () -> ended(JobStatus.FAILED, null, error));
            return;
        }
        RunContext ctx = new RunContext(
                engine,
                claim,
                claimed.name(),
                resuming(),
                registration.resumable(),
                registration.version(),
                job,
                claimed.failures() + 1,
                claimed.saves(),
                () -> engine.leaseHeld(epoch));
        synchronized (this) { // publish the context and take over requests made before it existed
            context = ctx;
            if (early != null) {
                ctx.request(early);
            }
        }
        engine.events().started(claimed.id(), claimed.name(), ctx.isResuming());
        Object output;
        try {
            prepare(job);
            output = job.run(ctx);
        } catch (dev.jobs.runtime.testing.SimulatedCrash crash) {
            observeEnd(crash);
            settled = true;
            LOG.debug("job {} ({}): simulated crash; nothing more is written", claimed.id(), claimed.name());
            return;
        } catch (JobInterruptedException e) {
            observeEnd(e);
            Reason reason = ctx.lostClaim()
                    ? Reason.LOST_OWNERSHIP
                    : ctx.requested() != null && e.reason() != Reason.LOST_OWNERSHIP ? ctx.requested() : e.reason();
            interrupted(job, ctx, reason);
            return;
        } catch (Throwable t) { // OutOfMemoryError and other errors too: the job fails, the process goes on
            observeEnd(t);
            if (ctx.crashed()) {
                return; // the job caught the simulated crash; the "process" is dead all the same
            }
            if (ctx.lostClaim()) {
                lost("its failure");
                return;
            }
            if (ctx.storageFailure() != null) {
                storageFailed(ctx, ctx.storageFailure());
                return;
            }
            failOrRetry(ctx, t);
            return;
        }
        observeEnd(null);
        if (ctx.crashed()) {
            settled = true;
            return;
        }
        String json;
        try {
            json = output == null ? null : engine.json().toJson(output);
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        complete(ctx, output, json);
    }

    /**
     * Lets the host's {@link dev.jobs.runtime.JobInitializer} prepare the job object about to run
     * (give it services), on every run: first, resumed or retried. What it throws fails this run as
     * a throw from {@code run()} would, wrapped so that the stored error names the job and the
     * initializer; a {@link JobInterruptedException} stops it as an interrupt point would.
     */
    private void prepare(JobHandler<?> job) {
        dev.jobs.runtime.JobInitializer initializer = engine.initializer();
        if (initializer == null) {
            return;
        }
        try {
            initializer.initialize(job);
        } catch (JobInterruptedException e) {
            // an initializer that waited for its host (a container still starting) and saw it stop:
            // the run stops as at an interrupt point, before run(), instead of failing
            throw e;
        } catch (Exception | LinkageError e) {
            throw new dev.jobs.runtime.JobInitializationException(
                    "job '" + claimed.name() + "' (" + job.getClass().getName()
                            + ") could not be prepared for its run: " + describe(initializer) + " threw " + errorOf(e),
                    e);
        }
    }

    /** Names an initializer for an error message: its class, or for a lambda the class that declares it. */
    static String describe(dev.jobs.runtime.JobInitializer initializer) {
        String type = initializer.getClass().getName();
        int lambda = type.indexOf("$$Lambda");
        return lambda >= 0
                ? "the job initializer (a lambda in " + type.substring(0, lambda) + ")"
                : "the job initializer " + type;
    }

    /** Tells a test observer how the job's {@code run()} ended, before anything is recorded. */
    private void observeEnd(Throwable thrown) {
        dev.jobs.runtime.testing.RunObserver observer = engine.observer();
        if (observer != null) {
            observer.afterRun(claimed.id(), claimed.name(), thrown);
        }
    }

    /**
     * Writes the completion without making the worker wait for the commit: it takes the next job
     * while the writer batches completions. At most {@link Engine#maxUnwrittenCompletions()} of
     * them wait uncommitted in a process, which bounds the finished jobs a crash can re-run.
     */
    private void complete(RunContext ctx, Object output, String json) {
        Progress p = ctx.latestProgress();
        Double fraction = RunContext.fraction(p);
        String progressJson = engine.json().progressToJson(p);
        UUID id = claimed.id();
        settled = true;
        engine.acquireCompletion();
        engine.endingStarted(id);
        java.util.concurrent.CompletableFuture<Boolean> written =
                engine.store().complete(claim, json, fraction, progressJson, now());
        // the bound is on unwritten completions: a committed one frees its place at once, on the
        // writer thread, not after the callbacks thread got to it
        written.whenComplete((done, failure) -> {
            if (failure == null) {
                engine.releaseCompletion();
                if (claimed.holdsResources()) {
                    engine.signal(); // its resources are free now: a job waiting for them may start
                }
            }
        });
        written.whenCompleteAsync(
                (done, failure) -> {
                    try {
                        if (failure
                                != null) { // the batch failed (lock, disk): retried off this thread, still counted as
                            // unwritten
                            Throwable cause = failure instanceof java.util.concurrent.CompletionException c
                                            && c.getCause() != null
                                    ? c.getCause()
                                    : failure;
                            RuntimeException e = cause instanceof RuntimeException r
                                    ? r
                                    : new StoreException(cause.toString(), cause);
                            engine.retrier()
                                    .add(
                                            new OutcomeRetrier.Pending(
                                                    describe("recording its completion"),
                                                    () -> StoreFutures.await(engine.store()
                                                            .complete(claim, json, fraction, progressJson, now())),
                                                    held -> {
                                                        try {
                                                            afterWrite(
                                                                    held,
                                                                    "its completion",
                                                                    () -> ended(JobStatus.COMPLETED, output, null));
                                                        } finally {
                                                            engine.releaseCompletion();
                                                            engine.endingDone(id);
                                                        }
                                                    }),
                                            e);
                            return;
                        }
                        afterWrite(done, "its completion", () -> ended(JobStatus.COMPLETED, output, null));
                    } catch (RuntimeException e) {
                        LOG.error("job {} ({}): settling its completion failed", id, claimed.name(), e);
                    }
                    engine.endingDone(id);
                },
                engine.callbacks());
    }

    /**
     * Whether the job's fields hold saved state: it ran before, unless its last failure restarted
     * it (a policy with {@code restart}) and no state was saved since.
     */
    private boolean resuming() {
        if (!claimed.resuming()) {
            return false;
        }
        if (claimed.failures() == 0 || claimed.retryPolicy() == null || claimed.checkpointed()) {
            return true;
        }
        return !policy().restart();
    }

    /** The retry policy the job was dispatched with (read only when needed: after a failure). */
    private RetryPolicy policy() {
        String text = claimed.retryPolicy();
        if (text == null) {
            return RetryPolicy.none();
        }
        try {
            return engine.retryPolicies().decode(text);
        } catch (IllegalArgumentException e) {
            LOG.error("job {} ({}): {}; it is not retried", claimed.id(), claimed.name(), e.getMessage());
            return RetryPolicy.none();
        }
    }

    /**
     * The job threw: it is tried again if its retry policy has attempts left and retries this
     * failure, else it fails.
     */
    private void failOrRetry(RunContext ctx, Throwable t) {
        int attempt = ctx.attempt();
        RetryPolicy policy = policy();
        if (attempt >= policy.maxAttempts() || !policy.retries(t)) {
            fail(ctx, t);
            return;
        }
        String error = errorOf(t);
        String trace = trace(t);
        long now = now();
        long retryAt = now
                + policy.delayBefore(
                                attempt + 1,
                                java.util.concurrent.ThreadLocalRandom.current().nextDouble())
                        .toMillis();
        byte[] restartData = policy.restart() ? restartData() : null;
        Progress p = ctx.latestProgress();
        JobStore.RetryWrite retry = new JobStore.RetryWrite(
                retryAt,
                error,
                trace,
                restartData,
                registration.version(),
                RunContext.fraction(p),
                engine.json().progressToJson(p),
                now);
        LOG.warn(
                "job {} ({}) attempt {} of {} failed: {}; it is retried at {}",
                claimed.id(),
                claimed.name(),
                attempt,
                policy.maxAttempts(),
                error,
                java.time.Instant.ofEpochMilli(retryAt));
        finish("its retry", () -> engine.store().retry(claim, retry), () -> {
            JobStatus status =
                    engine.store().find(claimed.id()).map(JobRow::status).orElse(JobStatus.QUEUED);
            if (status == JobStatus.QUEUED) {
                engine.events()
                        .retryScheduled(
                                claimed.id(), claimed.name(), attempt, java.time.Instant.ofEpochMilli(retryAt), error);
                engine.wakeBy(retryAt);
            } else {
                ended(status, null, null); // a pause or cancel asked while it ran is honoured
            }
        });
    }

    /**
     * The job's state as dispatched, for a policy that restarts: rebuilt from its stored
     * parameters. A job stored without them (by an older version) keeps its last checkpoint.
     */
    private byte[] restartData() {
        try {
            JobRow row = engine.store().find(claimed.id()).orElse(null);
            if (row == null || row.parameters() == null) {
                LOG.warn(
                        "job {} ({}) has no stored parameters to restart from; it is retried from its last checkpoint",
                        claimed.id(),
                        claimed.name());
                return null;
            }
            return engine.codec().encode(engine.json().jobFromParameters(registration, row.parameters()));
        } catch (RuntimeException e) {
            LOG.warn(
                    "job {} ({}): its state as dispatched cannot be rebuilt ({}); it is retried from its last checkpoint",
                    claimed.id(),
                    claimed.name(),
                    e.getMessage());
            return null;
        }
    }

    private static String errorOf(Throwable t) {
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private void fail(RunContext ctx, Throwable t) {
        String error = errorOf(t);
        Progress p = ctx.latestProgress();
        LOG.warn("job {} ({}) failed: {}", claimed.id(), claimed.name(), error);
        finish(
                "its failure",
                () -> engine.store()
                        .fail(
                                claim,
                                error,
                                trace(t),
                                RunContext.fraction(p),
                                engine.json().progressToJson(p),
                                now()),
                () -> ended(JobStatus.FAILED, null, error));
    }

    /**
     * A checkpoint could not be written (a full disk, an I/O error, the file gone). A resumable job
     * is PAUSED keeping its last committed checkpoint, with the reason as its error message, so
     * {@code resume} continues it once the cause is fixed; a non-resumable one is FAILED.
     */
    private void storageFailed(RunContext ctx, StoreException e) {
        if (registration.resumable() && dev.jobs.runtime.maintenance.StoreOutage.is(e)) {
            requeueAfterOutage(ctx, e);
            return;
        }
        if (!registration.resumable()) {
            fail(ctx, e);
            return;
        }
        String message = "paused because " + e.getMessage()
                + "; resume the job once that is fixed: it continues from its last checkpoint";
        LOG.error("job {} ({}) is {}", claimed.id(), claimed.name(), message);
        finish(
                "its pause after a failed checkpoint",
                () -> engine.store().pauseAfterFailure(claim, message, now()),
                () -> ended(JobStatus.PAUSED, null, null));
    }

    /**
     * The database stayed unreachable for longer than the lease while the job checkpointed (or the
     * job was asked to stop meanwhile): nothing is lost, the job goes back to the queue keeping its
     * last committed checkpoint (written once the database is back, by the outcome retrier), to run
     * again from there, here or on another node. No one has to resume it by hand.
     */
    private void requeueAfterOutage(RunContext ctx, StoreException e) {
        LOG.info( // the store warned of the outage once; this is its consequence, not a new problem
                "job {} ({}): {}; it goes back to the queue and continues from its last committed checkpoint",
                claimed.id(),
                claimed.name(),
                e.getMessage());
        Progress p = ctx.latestProgress();
        finish(
                "its return to the queue after the database was unreachable",
                () -> engine.store()
                        .stopRunning(
                                claim,
                                null,
                                registration.version(),
                                RunContext.fraction(p),
                                engine.json().progressToJson(p),
                                now()),
                () -> {
                    ended(JobStatus.QUEUED, null, null);
                    engine.signal();
                });
    }

    private void interrupted(JobHandler<?> job, RunContext ctx, Reason reason) {
        if (reason == Reason.LOST_OWNERSHIP) {
            lost("its interruption");
            return;
        }
        Control asked = Control.of(reason);
        if (ctx.requested() == null
                && asked != null
                && !engine.recordRequest(
                        claim, asked)) { // the job threw it itself: record it, so the transition applies
            lost("its " + (asked == Control.CANCEL ? "cancellation" : "pause"));
            return;
        }
        Progress p = ctx.latestProgress();
        Double fraction = RunContext.fraction(p);
        String progressJson = engine.json().progressToJson(p);
        switch (reason) {
            case CANCELLED ->
                finish(
                        "its cancellation",
                        () -> engine.store().cancelRunning(claim, fraction, progressJson, now()),
                        () -> ended(JobStatus.CANCELLED, null, null));
            case PAUSED -> {
                byte[] data = stateToSave(ctx, job);
                finish(
                        "its pause",
                        () -> engine.store()
                                .pauseRunning(claim, data, registration.version(), fraction, progressJson, now()),
                        () -> ended(JobStatus.PAUSED, null, null),
                        () -> stop(
                                data,
                                fraction,
                                progressJson)); // the pause was withdrawn by a resume (or the claim is gone)
            }
            case SHUTDOWN -> stop(stateToSave(ctx, job), fraction, progressJson);
            case WAITING -> {
                byte[] data = stateToSave(ctx, job);
                finish(
                        "its wait for its children",
                        () -> engine.store()
                                .waitForChildren(claim, data, registration.version(), fraction, progressJson, now()),
                        () -> {
                            JobStatus status = engine.store()
                                    .find(claimed.id())
                                    .map(JobRow::status)
                                    .orElse(JobStatus.WAITING);
                            ended(status, null, null);
                            engine.signal(); // its worker (and resources) are free; it may be queued already
                        });
            }
            default -> throw new IllegalStateException("unexpected " + reason);
        }
    }

    /**
     * The state a run that stops without finishing saves: its current one, or null (keep the last
     * saved state) when it dispatched children since then ({@link RunContext#dispatchedSinceSave}).
     */
    private byte[] stateToSave(RunContext ctx, JobHandler<?> job) {
        return ctx.dispatchedSinceSave() ? null : engine.codec().encode(job);
    }

    private void stop(byte[] data, Double fraction, String progressJson) {
        finish(
                "its state on stopping",
                () -> engine.store().stopRunning(claim, data, registration.version(), fraction, progressJson, now()),
                () -> {
                    JobStatus status = engine.store()
                            .find(claimed.id())
                            .map(JobRow::status)
                            .orElse(JobStatus.QUEUED);
                    ended(status, null, null);
                    if (status == JobStatus.QUEUED) {
                        engine.signal(); // back in the queue: a worker may take it again
                    }
                });
    }

    private void finish(String what, BooleanSupplier write, Runnable onWritten) {
        finish(what, write, onWritten, () -> lost(what));
    }

    /**
     * Runs a final write of the run, retrying a failing store a few times; if it still fails, the
     * {@link OutcomeRetrier} keeps trying. {@code onWritten} runs if the claim was still held,
     * {@code onNotHeld} if the guarded write changed nothing.
     */
    private void finish(String what, BooleanSupplier write, Runnable onWritten, Runnable onNotHeld) {
        settled = true;
        boolean held;
        try {
            held = retrying(write);
        } catch (StoreException e) {
            // an outcome waiting in the retrier is an unwritten one: it counts towards the bound, so
            // workers stop taking new jobs when the store keeps refusing writes
            engine.acquireCompletion();
            engine.retrier()
                    .add(
                            new OutcomeRetrier.Pending(describe("recording " + what), write, h -> {
                                try {
                                    (h ? onWritten : onNotHeld).run();
                                } finally {
                                    engine.releaseCompletion();
                                }
                            }),
                            e);
            return;
        }
        (held ? onWritten : onNotHeld).run();
    }

    private void afterWrite(boolean held, String what, Runnable onWritten) {
        if (held) {
            onWritten.run();
        } else {
            lost(what);
        }
    }

    /** The run lost its claim: it wrote nothing, and says why. */
    private void lost(String what) {
        settled = true;
        LOG.warn(
                "job {} ({}): this run lost its claim ({}); {} was not written and the run stops without writing",
                claimed.id(),
                claimed.name(),
                whoHoldsIt(),
                what);
    }

    /** Describes who holds the job now, for the log line of a run that lost it. */
    private String whoHoldsIt() {
        try {
            JobRow row = engine.store().find(claimed.id()).orElse(null);
            if (row == null) {
                return "the job was deleted";
            }
            if (row.status() == JobStatus.RUNNING && engine.owner().equals(row.owner())) {
                return "this process claimed the job again after its lease lapsed";
            }
            if (row.status() == JobStatus.RUNNING) {
                return "the job was taken over by process " + row.owner() + " after this process's lease expired";
            }
            return "the job was taken over after this process's lease expired and is now " + row.status();
        } catch (RuntimeException e) {
            return "the job was taken over after this process's lease expired";
        }
    }

    private String describe(String what) {
        return "job " + claimed.id() + " (" + claimed.name() + "): " + what;
    }

    private void ended(JobStatus status, Object output, String error) {
        engine.ended(claimed.id(), claimed.name(), status, output, error);
    }

    /**
     * Runs a job's final write, retrying a store failure (a lock held past the busy timeout, a
     * full disk that frees up) a few times before giving up with the last failure.
     */
    static boolean retrying(BooleanSupplier write) {
        StoreException last = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                return write.getAsBoolean();
            } catch (StoreException e) {
                last = e;
                try {
                    Thread.sleep(100L << attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw last;
    }

    private long now() {
        return engine.clock().millis();
    }

    static String trace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
