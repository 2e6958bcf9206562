package dev.jobs.runtime.execution;

import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.JobInterruptedException;
import dev.jobs.JobInterruptedException.Reason;
import dev.jobs.LogLevel;
import dev.jobs.Progress;
import dev.jobs.runtime.store.Control;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link JobContext} of one run. Interrupt requests arrive as a volatile field set by the
 * manager, so {@link #checkInterrupt()} costs one volatile read; progress is kept in a volatile
 * field and written to the store with checkpoints and the final transition.
 */
final class RunContext implements JobContext {

    private final Engine engine;
    private final dev.jobs.runtime.store.Claim claim;
    private final UUID id;
    private final String name;
    private final boolean resuming;
    private final boolean resumable;
    private final int version;
    private final JobHandler<?> job;
    private final int attempt;
    private final Logger log;
    /** Whether the lease this run was claimed under still holds (a checkpoint waits out an outage only then). */
    private final java.util.function.BooleanSupplier leaseHeld;

    private volatile Reason requested;
    private volatile boolean shutdown;
    private volatile boolean lostOwnership;
    private volatile Progress progress;
    private Progress persistedProgress;
    private java.util.concurrent.atomic.AtomicLong logSequence; // read from the store on the first log line
    private int checkpoints;
    private int interruptChecks;
    private volatile boolean crashed;
    private volatile dev.jobs.runtime.StoreException storageFailure;
    private volatile boolean logWriteFailed;
    /** The generation of the state this run started from, plus its own checkpoints (see {@link #dispatchChild}). */
    private int saves;
    /** Children dispatched since the last checkpoint (or since the start of the run). */
    private int childrenSinceSave;

    RunContext(
            Engine engine,
            dev.jobs.runtime.store.Claim claim,
            String name,
            boolean resuming,
            boolean resumable,
            int version,
            JobHandler<?> job,
            int attempt,
            int saves,
            java.util.function.BooleanSupplier leaseHeld) {
        this.leaseHeld = leaseHeld;
        this.attempt = attempt;
        this.saves = saves;
        this.engine = engine;
        this.claim = claim;
        this.id = claim.id();
        this.name = name;
        this.resuming = resuming;
        this.resumable = resumable;
        this.version = version;
        this.job = job;
        this.log = LoggerFactory.getLogger("dev.jobs.job." + name);
    }

    @Override
    public UUID id() {
        return id;
    }

    @Override
    public boolean isResuming() {
        return resuming;
    }

    @Override
    public int attempt() {
        return attempt;
    }

    private volatile java.util.Optional<java.time.Instant> scheduledTime;

    @Override
    public java.util.Optional<java.time.Instant> scheduledTime() {
        java.util.Optional<java.time.Instant> known = scheduledTime;
        if (known == null) { // read once, when asked: most jobs never ask
            known = engine.store().find(id).map(r -> r.scheduledFor()).map(java.time.Instant::ofEpochMilli);
            scheduledTime = known;
        }
        return known;
    }

    @Override
    public void log(LogLevel level, String message) {
        switch (level) {
            case TRACE -> log.trace(message);
            case DEBUG -> log.debug(message);
            case INFO -> log.info(message);
            case WARN -> log.warn(message);
            case ERROR -> log.error(message);
        }
        long seq = nextLogSequence();
        long at = engine.clock().millis();
        engine.store().appendLog(claim, seq, at, level.name(), message).whenComplete((held, failure) -> {
            if (failure != null) {
                if (!logWriteFailed) { // once per run: a full disk would otherwise log every line's failure
                    logWriteFailed = true;
                    log.warn(
                            "job {}: log lines could not be stored ({}); they are in this process's log only",
                            id,
                            failure.getMessage());
                }
            } else if (!held) {
                claimLost();
            }
        });
        engine.events().logged(id, name, level, message, seq, at);
    }

    private synchronized long nextLogSequence() {
        if (logSequence == null) {
            logSequence =
                    new java.util.concurrent.atomic.AtomicLong(engine.store().lastLogSequence(id));
        }
        return logSequence.incrementAndGet();
    }

    @Override
    public void progress(Progress progress) {
        this.progress = progress;
        engine.events().progress(id, name, progress);
    }

    /** The progress not yet written to the store, or null; marks it written. */
    synchronized Progress takeUnpersistedProgress() {
        Progress p = progress;
        if (p == null || p == persistedProgress) {
            return null;
        }
        persistedProgress = p;
        return p;
    }

    /** The last progress write failed: forget that it was written, so the next one tries again. */
    synchronized void progressNotStored() {
        persistedProgress = null;
    }

    Progress latestProgress() {
        return progress;
    }

    @Override
    public void checkInterrupt() throws JobInterruptedException {
        dev.jobs.runtime.testing.RunObserver observer = engine.observer();
        if (observer != null) {
            act(observer.beforeCheckInterrupt(id, name, ++interruptChecks));
        }
        interruptPoint();
    }

    /** Applies what a test observer asked for at this point. */
    private void act(dev.jobs.runtime.testing.RunObserver.Action action) {
        switch (action) {
            case CONTINUE -> {}
            case PAUSE -> {
                engine.recordRequest(claim, Control.PAUSE);
                request(Reason.PAUSED);
            }
            case CANCEL -> {
                engine.recordRequest(claim, Control.CANCEL);
                request(Reason.CANCELLED);
            }
            case CRASH -> {
                crashed = true;
                throw new dev.jobs.runtime.testing.SimulatedCrash("simulated crash of job " + id);
            }
        }
    }

    boolean crashed() {
        return crashed;
    }

    /** A write of this run changed nothing: the job was claimed again since this run's claim. */
    void claimLost() {
        lostOwnership = true;
    }

    boolean lostClaim() {
        return lostOwnership;
    }

    /** The failure of the checkpoint that could not be written, or null. */
    dev.jobs.runtime.StoreException storageFailure() {
        return storageFailure;
    }

    private void interruptPoint() throws JobInterruptedException {
        if (crashed) {
            throw new dev.jobs.runtime.testing.SimulatedCrash("simulated crash of job " + id);
        }
        if (lostOwnership) {
            throw new JobInterruptedException(Reason.LOST_OWNERSHIP);
        }
        Reason reason = requested;
        if (reason != null) {
            throw new JobInterruptedException(reason);
        }
        if (shutdown && resumable) {
            throw new JobInterruptedException(Reason.SHUTDOWN); // a non-resumable job runs on to its end
        }
    }

    @Override
    public void checkpoint() throws JobInterruptedException {
        if (crashed) {
            throw new dev.jobs.runtime.testing.SimulatedCrash("simulated crash of job " + id);
        }
        checkInterruptOwnership();
        dev.jobs.runtime.metrics.Instrumentation metrics = engine.instrumentation();
        long started = metrics == null ? 0 : System.nanoTime();
        byte[] data = engine.codec().encode(job);
        Progress p = progress;
        boolean held = writeCheckpoint(data, p);
        if (metrics != null && held) {
            metrics.checkpointed(name, System.nanoTime() - started);
        }
        if (!held) {
            lostOwnership = true;
        } else {
            synchronized (this) {
                persistedProgress = p;
                saves++; // the store counted this save too: children dispatched from here have new keys
                childrenSinceSave = 0;
            }
            engine.events().checkpointed(id, name, data.length);
        }
        checkpoints++;
        dev.jobs.runtime.testing.RunObserver observer = engine.observer();
        if (observer != null && held) {
            act(observer.afterCheckpoint(id, name, checkpoints, data));
        }
        interruptPoint();
    }

    /**
     * Writes a checkpoint. While the store's database is unreachable (a {@link
     * dev.jobs.runtime.maintenance.StoreOutage}), the write is tried again with a backoff for as
     * long as this run's lease holds and the job is not asked to stop: a short outage (a database
     * restart, a failover) then costs the job a wait, not a pause. Any other failure, or an outage
     * that outlasts the lease, throws (see {@link JobRunner} for what follows).
     */
    private boolean writeCheckpoint(byte[] data, Progress p) {
        long backoff = 100;
        while (true) {
            try {
                return dev.jobs.runtime.store.StoreFutures.await(engine.store()
                        .checkpoint(
                                claim,
                                data,
                                version,
                                fraction(p),
                                engine.json().progressToJson(p),
                                engine.clock().millis()));
            } catch (dev.jobs.runtime.StoreException e) {
                boolean outage = dev.jobs.runtime.maintenance.StoreOutage.is(e);
                if (!outage || !leaseHeld.getAsBoolean() || requested != null || shutdown || lostOwnership) {
                    storageFailure = new dev.jobs.runtime.StoreException(
                            "the checkpoint of job " + id + " (" + name + ") could not be written: " + e.getMessage(),
                            e);
                    throw storageFailure;
                }
                log.debug("job {}: the checkpoint waits for the database ({})", id, e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    storageFailure = new dev.jobs.runtime.StoreException(
                            "the checkpoint of job " + id + " (" + name + ") could not be written: " + e.getMessage(),
                            e);
                    throw storageFailure;
                }
                backoff = Math.min(2_000, backoff * 2);
            }
        }
    }

    /**
     * A child's key is the generation of the saved state the run is at and the index of the child
     * since then: a run resumed from that state dispatches its children again under the same keys
     * and gets the stored children back, where a run going on from a later checkpoint makes new ones.
     */
    @Override
    public synchronized UUID dispatchChild(JobHandler<?> child) throws JobInterruptedException {
        java.util.Objects.requireNonNull(child, "child job");
        interruptPoint();
        UUID childId = engine.relatives().dispatchChild(claim, child, saves + "." + childrenSinceSave);
        if (childId == null) {
            lostOwnership = true;
            throw new JobInterruptedException(Reason.LOST_OWNERSHIP);
        }
        childrenSinceSave++;
        return childId;
    }

    /**
     * Whether the run dispatched children since its last save. Its state now may or may not show
     * them (the job may stop between a dispatch and the field that records it), so a pause, a
     * shutdown or a wait then keeps the last saved state: the run after it dispatches them again
     * under the same keys and gets the stored ones, as after a crash.
     */
    synchronized boolean dispatchedSinceSave() {
        return childrenSinceSave > 0;
    }

    @Override
    public java.util.List<dev.jobs.ChildOutcome> awaitChildren() throws JobInterruptedException {
        interruptPoint();
        java.util.List<dev.jobs.ChildOutcome> children = engine.relatives().children(id);
        if (children.stream().allMatch(c -> c.status().isTerminal())) {
            return children;
        }
        throw new JobInterruptedException(Reason.WAITING); // the runner saves the state and records the wait
    }

    @Override
    public <T> java.util.Optional<T> previousOutput(Class<T> type) {
        return engine.relatives().previousOutput(id, type);
    }

    private void checkInterruptOwnership() {
        if (lostOwnership) {
            throw new JobInterruptedException(Reason.LOST_OWNERSHIP);
        }
    }

    int checkpoints() {
        return checkpoints;
    }

    @Override
    public Path dataDir() {
        Path dir = engine.dataDirectory().resolve(id.toString());
        try {
            return dev.jobs.runtime.util.PrivateFiles.createDirectories(dir); // 0700 where it creates them
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir + " of job " + id, e);
        }
    }

    /** Asks the job to stop at its next interrupt point; a stronger request is never replaced by a weaker one. */
    synchronized void request(Reason reason) {
        if (reason == Reason.SHUTDOWN) {
            shutdown = true;
        } else {
            requested = stronger(requested, reason);
        }
    }

    /** CANCELLED over PAUSED over SHUTDOWN: a cancel or pause asked before a shutdown is still honoured. */
    static Reason stronger(Reason current, Reason next) {
        if (current == null) {
            return next;
        }
        return rank(next) > rank(current) ? next : current;
    }

    private static int rank(Reason r) {
        return switch (r) {
            case CANCELLED -> 3;
            case PAUSED -> 2;
            case SHUTDOWN -> 1;
            case LOST_OWNERSHIP -> 4;
            case WAITING -> 0;
        };
    }

    /** Withdraws a pending pause (a resume arrived before the job noticed it). */
    synchronized void withdrawPause() {
        if (requested == Reason.PAUSED) {
            requested = null;
        }
    }

    Reason requested() {
        return requested;
    }

    static Double fraction(Progress p) {
        if (p == null) {
            return null;
        }
        java.util.OptionalDouble f = p.fraction();
        return f.isPresent() ? f.getAsDouble() : null;
    }
}
