package dev.jobs.runtime.execution;

import dev.jobs.JobHandler;
import dev.jobs.JobInterruptedException;
import dev.jobs.JobInterruptedException.Reason;
import dev.jobs.JobRegistration;
import dev.jobs.JobStatus;
import dev.jobs.Progress;
import dev.jobs.runtime.store.ClaimedJob;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one claimed job on a worker thread and records how the run ended. Whatever the job does
 * (returns, throws, is interrupted), the outcome is written as a compare-and-set from RUNNING by
 * this owner, and the worker is released.
 */
final class JobRunner implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final Engine engine;
    private final ClaimedJob claimed;
    private final JobRegistration<?> registration;
    private volatile RunContext context;
    private volatile Reason early;

    JobRunner(Engine engine, ClaimedJob claimed, JobRegistration<?> registration) {
        this.engine = engine;
        this.claimed = claimed;
        this.registration = registration;
    }

    UUID id() {
        return claimed.id();
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
            engine.store().saveProgress(claimed.id(), engine.owner(), RunContext.fraction(p), engine.json().progressToJson(p));
        }
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        MDC.put("job.id", claimed.id().toString());
        MDC.put("job.name", claimed.name());
        try {
            runJob();
        } catch (RuntimeException | Error e) {
            LOG.error("job {} ({}): recording its outcome failed; it stays RUNNING and is recovered on the next start",
                    claimed.id(), claimed.name(), e);
        } finally {
            MDC.remove("job.id");
            MDC.remove("job.name");
            engine.recordRunTime(System.nanoTime() - started);
            engine.runEnded(this);
        }
    }

    private void runJob() {
        JobHandler<?> job;
        try {
            job = engine.codec().decode(registration, claimed.version(), claimed.data());
        } catch (RuntimeException e) {
            String error = e.getClass().getName() + ": " + e.getMessage();
            LOG.error("job {} ({}) cannot be restored and is marked FAILED: {}", claimed.id(), claimed.name(), e.getMessage());
            if (retrying(() -> engine.store().failRunning(claimed.id(), engine.owner(), error, trace(e), null, null, now()))) {
                ended(JobStatus.FAILED, null, error);
            }
            return;
        }
        RunContext ctx = new RunContext(engine, claimed.id(), claimed.name(), claimed.resuming(), registration.resumable(),
                registration.version(), job);
        synchronized (this) { // publish the context and take over requests made before it existed
            context = ctx;
            if (early != null) {
                ctx.request(early);
            }
        }
        engine.events().started(claimed.id(), claimed.name(), claimed.resuming());
        Object output;
        try {
            output = job.run(ctx);
        } catch (dev.jobs.runtime.testing.SimulatedCrash crash) {
            LOG.info("job {} ({}): simulated crash; nothing more is written", claimed.id(), claimed.name());
            return;
        } catch (JobInterruptedException e) {
            Reason reason = ctx.requested() != null && e.reason() != Reason.LOST_OWNERSHIP ? ctx.requested() : e.reason();
            interrupted(job, ctx, reason);
            return;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                throw vme;
            }
            if (ctx.crashed()) {
                return; // the job caught the simulated crash; the "process" is dead all the same
            }
            fail(ctx, t);
            return;
        }
        if (ctx.crashed()) {
            return;
        }
        String json;
        try {
            json = output == null ? null : engine.json().toJson(output);
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        Progress p = ctx.latestProgress();
        // The worker does not wait for this commit: it takes the next job while the writer
        // batches completions. The result is settled once the commit is done.
        UUID id = claimed.id();
        engine.endingStarted(id);
        Object result = output;
        engine.store().completeAsync(id, engine.owner(), json, RunContext.fraction(p), engine.json().progressToJson(p), now())
                .whenCompleteAsync((done, failure) -> {
                    try {
                        boolean completed = Boolean.TRUE.equals(done);
                        if (failure != null) {
                            try { // the batch failed (lock, disk): try once more on its own, with retries
                                completed = retrying(() -> engine.store().complete(id, engine.owner(), json,
                                        RunContext.fraction(p), engine.json().progressToJson(p), now()));
                            } catch (RuntimeException e) {
                                LOG.error("job {} ({}): recording its completion failed; it stays RUNNING until a restart recovers it",
                                        id, claimed.name(), e);
                            }
                        }
                        if (completed) {
                            ended(JobStatus.COMPLETED, result, null);
                        }
                    } finally {
                        engine.endingDone(id);
                    }
                }, engine.callbacks());
    }

    private void fail(RunContext ctx, Throwable t) {
        String error = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        Progress p = ctx.latestProgress();
        LOG.warn("job {} ({}) failed: {}", claimed.id(), claimed.name(), error);
        if (retrying(() -> engine.store().failRunning(claimed.id(), engine.owner(), error, trace(t), RunContext.fraction(p),
                engine.json().progressToJson(p), now()))) {
            ended(JobStatus.FAILED, null, error);
        }
    }

    private void interrupted(JobHandler<?> job, RunContext ctx, Reason reason) {
        if (ctx.requested() == null && (reason == Reason.CANCELLED || reason == Reason.PAUSED)) {
            // the job threw the exception itself: record the request, so the transition below applies
            engine.recordRequest(claimed.id(), reason);
        }
        Progress p = ctx.latestProgress();
        Double fraction = RunContext.fraction(p);
        String progressJson = engine.json().progressToJson(p);
        switch (reason) {
            case CANCELLED -> {
                if (retrying(() -> engine.store().cancelRunning(claimed.id(), engine.owner(), fraction, progressJson, now()))) {
                    ended(JobStatus.CANCELLED, null, null);
                }
            }
            case PAUSED -> {
                byte[] data = engine.codec().encode(job);
                if (retrying(() -> engine.store().pauseRunning(claimed.id(), engine.owner(), data, registration.version(), fraction, progressJson, now()))) {
                    ended(JobStatus.PAUSED, null, null);
                } else {
                    stop(data, fraction, progressJson); // the pause was withdrawn by a resume
                }
            }
            case SHUTDOWN -> stop(engine.codec().encode(job), fraction, progressJson);
            case LOST_OWNERSHIP -> LOG.warn("job {} ({}) was taken over by another process; this run stops without writing",
                    claimed.id(), claimed.name());
        }
    }

    private void stop(byte[] data, Double fraction, String progressJson) {
        if (retrying(() -> engine.store().stopRunning(claimed.id(), engine.owner(), data, registration.version(), fraction, progressJson, now()))) {
            JobStatus status = engine.store().find(claimed.id()).map(r -> r.status()).orElse(JobStatus.QUEUED);
            ended(status, null, null);
            if (status == JobStatus.QUEUED) {
                engine.signal(); // back in the queue: a worker may take it again
            }
        }
    }

    private void ended(JobStatus status, Object output, String error) {
        engine.ended(claimed.id(), claimed.name(), status, output, error);
    }

    /**
     * Runs a job's final write, retrying a store failure (a lock held past the busy timeout, a
     * full disk that frees up) a few times: giving up leaves the row RUNNING under this owner,
     * which only a restart recovers.
     */
    static boolean retrying(java.util.function.BooleanSupplier write) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                return write.getAsBoolean();
            } catch (dev.jobs.runtime.store.StoreException e) {
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
