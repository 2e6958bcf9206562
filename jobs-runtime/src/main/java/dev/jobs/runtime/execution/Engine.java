package dev.jobs.runtime.execution;

import dev.jobs.JobInterruptedException.Reason;
import dev.jobs.JobStatus;
import dev.jobs.Progress;
import dev.jobs.runtime.codec.JsonCodec;
import dev.jobs.runtime.codec.StateCodec;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.Control;
import dev.jobs.runtime.store.JobStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims queued jobs and runs them on the workers. One scheduler thread sleeps until it is
 * signalled (a dispatch committed, a resume, a run ended) and then claims as many jobs as there
 * are free workers in one statement: there is no polling loop for work made in this process.
 */
public final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final JobStore store;
    private final StateCodec codec;
    private final JsonCodec json;
    private final dev.jobs.runtime.codec.RetryPolicyText retryPolicies = new dev.jobs.runtime.codec.RetryPolicyText();
    private final JobRegistry registry;
    private final String owner;
    private final Path dataDirectory;
    private final Executor executor;
    private final int workers;
    private final Duration lease;
    private final JobEndListener listener;
    private final Relatives relatives;
    private final dev.jobs.runtime.events.EventBus events;
    private final java.time.Clock clock;
    private final dev.jobs.runtime.testing.RunObserver observer;
    /** The host's {@link dev.jobs.runtime.JobInitializer}, or null (then a run costs one null check). */
    private final dev.jobs.runtime.JobInitializer initializer;
    /** The metrics module's instrumentation, or null (metrics off: one null check per claim, checkpoint and run). */
    private final dev.jobs.runtime.metrics.Instrumentation instrumentation;

    private final Map<UUID, JobRunner> runners = new ConcurrentHashMap<>();
    private final java.util.ArrayDeque<JobRunner> ready = new java.util.ArrayDeque<>();
    private final java.util.Set<UUID> ending = ConcurrentHashMap.newKeySet();
    private final ClaimSizer claimSizer;
    private final Executor callbacks;
    /** Completions run to their end but not yet committed: bounded, so a crash re-runs at most this many finished jobs. */
    private final java.util.concurrent.Semaphore unwrittenCompletions;

    private final int maxUnwrittenCompletions;
    private final OutcomeRetrier retrier;
    /**
     * This process's lease as seen locally: the epoch changes each time a renewal finds that the
     * lease had lapsed (the process was frozen, or could not write), which voids every claim made
     * before. A claimed job starts only under the epoch it was claimed in, before the lease's end.
     */
    private volatile LeaseState leaseState;

    /**
     * @param validUntilNanos {@code System.nanoTime()} after which claims must not start runs
     * @param sinceNanos when this epoch began (the lease has been held without a lapse since)
     */
    record LeaseState(long epoch, long validUntilNanos, long sinceNanos) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private boolean signalled;
    /** False after a claim found the queue empty, until something may have queued work again. */
    private boolean mayHaveWork = true;
    /** Bumped by every {@link #signal()}: a claim that found nothing clears mayHaveWork only if no signal came meanwhile. */
    private long signals;
    /**
     * When the earliest delayed job known becomes due (millis of the injected clock), or
     * {@link #NO_WAKE}: the scheduler sleeps no longer than until then. Cleared before each claim
     * and set again from the store ({@link JobStore#nextRunAt}) when a claim leaves workers idle,
     * or lowered by a dispatch with an earlier run time ({@link #wakeBy}).
     */
    private long wakeAt = NO_WAKE;

    private static final long NO_WAKE = Long.MAX_VALUE;

    private int reserved;
    /** Exponential moving average of recent run times; long until measured. */
    private volatile long averageRunNanos = ClaimSizer.UNMEASURED;

    /** Claims (or reads of the next run time) that failed in a row: their retries back off. Scheduler thread only. */
    private int claimFailures;
    /** Whether the current run of failed claims was logged at WARN (then its end is logged at INFO). */
    private boolean claimFailureWarned;

    /** The first retry of a failed claim waits this long, each next one twice as long up to {@link #MAX_CLAIM_BACKOFF_MILLIS}. */
    private static final long FIRST_CLAIM_BACKOFF_MILLIS = 100;

    private static final long MAX_CLAIM_BACKOFF_MILLIS = 5_000;

    private boolean stopped;
    private int running;
    private Thread thread;

    public Engine(
            JobStore store,
            StateCodec codec,
            JsonCodec json,
            JobRegistry registry,
            String owner,
            Path dataDirectory,
            Executor executor,
            int workers,
            Duration lease,
            JobEndListener listener,
            dev.jobs.runtime.events.EventBus events,
            java.time.Clock clock,
            dev.jobs.runtime.testing.RunObserver observer,
            int claimBatch,
            Executor callbacks,
            int maxUnwrittenCompletions,
            Relatives relatives,
            dev.jobs.runtime.JobInitializer initializer,
            dev.jobs.runtime.metrics.Instrumentation instrumentation) {
        this.relatives = relatives;
        this.initializer = initializer;
        this.instrumentation = instrumentation;
        this.store = store;
        this.codec = codec;
        this.json = json;
        this.registry = registry;
        this.owner = owner;
        this.dataDirectory = dataDirectory;
        this.executor = executor;
        this.workers = workers;
        this.lease = lease;
        this.listener = listener;
        this.events = events;
        this.clock = clock;
        this.observer = observer;
        this.claimSizer = new ClaimSizer(workers, claimBatch);
        this.callbacks = callbacks;
        this.maxUnwrittenCompletions = maxUnwrittenCompletions;
        this.unwrittenCompletions = new java.util.concurrent.Semaphore(maxUnwrittenCompletions);
        this.retrier = new OutcomeRetrier();
        long now = System.nanoTime();
        this.leaseState = new LeaseState(0, now + leaseMarginNanos(lease), now);
    }

    /** The part of the lease a claim may use to start a run: a tenth is kept back for clock drift and slow writes. */
    private static long leaseMarginNanos(Duration lease) {
        return lease.toNanos() - lease.toNanos() / 10;
    }

    /**
     * A lease renewal that began at {@code startNanos} has committed. If the lease had already run
     * out by now, another process may have taken this process's jobs meanwhile: every claim made
     * before is void (its runs are not started; running ones find out at their next write).
     */
    public void leaseRenewed(long startNanos) {
        LeaseState current = leaseState;
        long now = System.nanoTime();
        long epoch = current.epoch();
        long since = current.sinceNanos();
        if (now - current.validUntilNanos() > 0) {
            epoch++;
            since = now;
            LOG.warn(
                    "this process's job lease lapsed ({} ms late: the process was frozen or could not write); "
                            + "jobs claimed before are given back unstarted, running ones stop at their next checkpoint if they were taken over",
                    (now - current.validUntilNanos()) / 1_000_000);
        }
        leaseState = new LeaseState(epoch, startNanos + leaseMarginNanos(lease), since);
        signal();
    }

    /**
     * Whether this process has held its lease without a lapse for a whole lease period. Only then
     * may it judge other processes by their leases: right after its own lapse, it may itself have
     * been what kept them from renewing (frozen while holding the database's write lock).
     */
    public boolean leaseSteady() {
        LeaseState state = leaseState;
        return System.nanoTime() - state.sinceNanos() >= lease.toNanos() && leaseHeld(state.epoch());
    }

    /** The lease epoch to record with a claim made now. */
    public long leaseEpoch() {
        return leaseState.epoch();
    }

    /** Whether a job claimed in {@code epoch} may start its run now. */
    boolean leaseHeld(long epoch) {
        LeaseState state = leaseState;
        return state.epoch() == epoch && System.nanoTime() - state.validUntilNanos() < 0;
    }

    /** Waits for room among the unwritten completions (the bound on finished jobs a crash can re-run). */
    void acquireCompletion() {
        unwrittenCompletions.acquireUninterruptibly();
    }

    void releaseCompletion() {
        unwrittenCompletions.release();
    }

    int maxUnwrittenCompletions() {
        return maxUnwrittenCompletions;
    }

    OutcomeRetrier retrier() {
        return retrier;
    }

    /** Retries the final writes of runs that could not be recorded (called periodically). */
    public void retryOutcomes() {
        retrier.retryAll();
    }

    /** How many runs wait for their final write to be retried. */
    public int pendingOutcomes() {
        return retrier.size();
    }

    java.time.Clock clock() {
        return clock;
    }

    /** The test observer, or null. */
    dev.jobs.runtime.testing.RunObserver observer() {
        return observer;
    }

    /** The metrics instrumentation, or null. */
    dev.jobs.runtime.metrics.Instrumentation instrumentation() {
        return instrumentation;
    }

    /** How many jobs run on the workers now. */
    public int runningCount() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    /** The host's job initializer, or null. */
    dev.jobs.runtime.JobInitializer initializer() {
        return initializer;
    }

    /** Records a pause or cancel of a run as a caller's request would (for a test observer, or a job that throws one itself). */
    boolean recordRequest(dev.jobs.runtime.store.Claim claim, Control control) {
        return store.requestControl(claim, control);
    }

    dev.jobs.runtime.events.EventBus events() {
        return events;
    }

    /** Writes the progress of every job running here that changed since its last write. */
    public void persistProgress() {
        for (JobRunner runner : runners.values()) {
            try {
                runner.persistProgress();
            } catch (RuntimeException e) {
                LOG.debug("persisting progress of {} failed: {}", runner.id(), e.getMessage());
            }
        }
    }

    /** Ids of the jobs running in this process. */
    public java.util.Set<UUID> runningIds() {
        return java.util.Set.copyOf(runners.keySet());
    }

    JobStore store() {
        return store;
    }

    StateCodec codec() {
        return codec;
    }

    dev.jobs.runtime.codec.RetryPolicyText retryPolicies() {
        return retryPolicies;
    }

    JsonCodec json() {
        return json;
    }

    String owner() {
        return owner;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    public void start(String threadName) {
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
        signal();
    }

    /**
     * A delayed job becomes due at {@code runAtMillis} (the injected clock): the scheduler claims no
     * later than then, and sleeps until then if nothing else wakes it.
     */
    public void wakeBy(long runAtMillis) {
        lock.lock();
        try {
            if (runAtMillis < wakeAt) {
                wakeAt = runAtMillis;
                wake.signal(); // to sleep a shorter time
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes the scheduler: there may be work to claim. */
    public void signal() {
        lock.lock();
        try {
            mayHaveWork = true;
            signalled = true;
            signals++;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (true) {
            try {
                if (!schedule()) {
                    return;
                }
            } catch (RuntimeException | Error e) {
                LOG.error("the job scheduler hit an unexpected error; it carries on", e);
                sleepQuietly(100);
            }
        }
    }

    /** One pass of the scheduler; false once stopped. */
    private boolean schedule() {
        {
            int want;
            long generation;
            lock.lock();
            try {
                awaitWork();
                if (stopped) {
                    return false;
                }
                signalled = false;
                generation = signals;
                // only for an idle worker, a batch only while runs are short: see ClaimSizer
                want = claimSizer.size(workers - running - reserved, ready.size(), mayHaveWork, averageRunNanos);
                if (want > 0) {
                    wakeAt = NO_WAKE; // this claim takes what is due; what it leaves sets the next wake
                }
            } finally {
                lock.unlock();
            }
            if (want > 0) {
                claim(want, generation);
            }
            startReady();
            return true;
        }
    }

    /**
     * Sleeps (lock held) until signalled or stopped, or until the earliest known run time of a
     * delayed job passes on the injected clock: then there may be work, as after a signal.
     */
    private void awaitWork() {
        while (!signalled && !stopped) {
            if (wakeAt == NO_WAKE) {
                wake.awaitUninterruptibly();
                continue;
            }
            long left = wakeAt - clock.millis();
            if (left <= 0) {
                wakeAt = NO_WAKE;
                mayHaveWork = true;
                signalled = true;
                signals++;
                return;
            }
            try {
                wake.await(left, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // the scheduler is stopped through 'stopped', never by interruption: carry on
            }
        }
    }

    /** Claims up to {@code want} queued jobs (one statement) into the ready queue. */
    private void claim(int want, long generation) {
        List<ClaimedJob> claimed;
        long epoch = leaseEpoch();
        if (!leaseHeld(epoch)) {
            return; // the lease ran out: claim again once a renewal signals
        }
        if (!store.available()) {
            // the database file is gone, or the database cannot be reached for now (the store
            // reports that): nothing is claimed until a lease renewal or a change signals again
            return;
        }
        long now = System.currentTimeMillis();
        long due = clock.millis(); // run times are on the injected clock
        dev.jobs.runtime.metrics.Instrumentation metrics = instrumentation;
        long claimStarted = metrics == null ? 0 : System.nanoTime();
        try {
            claimed = store.claim(owner, want, due, now + lease.toMillis());
        } catch (RuntimeException e) {
            claimFailed("claiming jobs", e);
            return;
        }
        if (metrics != null) {
            metrics.claimed(claimed.size(), System.nanoTime() - claimStarted);
        }
        claimSucceeded();
        List<JobRunner> made = new ArrayList<>(claimed.size());
        for (ClaimedJob job : claimed) {
            JobRunner runner =
                    new JobRunner(this, job, registry.find(job.name()).orElseThrow(), epoch);
            runners.put(job.id(), runner); // from now on pause/cancel requests reach it
            made.add(runner);
        }
        boolean stoppedMeanwhile;
        lock.lock();
        try {
            stoppedMeanwhile = stopped;
            if (!stoppedMeanwhile) {
                ready.addAll(made);
                if (claimed.size() == want) {
                    signalled = true; // the queue may hold more
                } else if (signals == generation) {
                    mayHaveWork = false; // empty (for now): no claim until new work is signalled
                }
            }
        } finally {
            lock.unlock();
        }
        if (stoppedMeanwhile) {
            // stop() ran while this claim was committing: give the jobs back, none of them started
            for (JobRunner runner : made) {
                runners.remove(runner.id(), runner);
                releaseQuietly(runner.claim());
            }
        } else if (claimed.size() < want) {
            scheduleNextRunAt(due);
        }
    }

    /**
     * After a claim that took every job due at {@code due}: sleep no later than the earliest run
     * time after it (possibly already past, then the scheduler claims again at once).
     */
    private void scheduleNextRunAt(long due) {
        java.util.OptionalLong next;
        try {
            next = store.nextRunAt(due);
        } catch (RuntimeException e) {
            claimFailed("reading the next run time", e);
            return;
        }
        if (next.isPresent()) {
            wakeBy(next.getAsLong());
        }
    }

    /**
     * A claim (or the read after it) failed: retried after a backoff that doubles with each failure
     * in a row (100 ms up to 5 s), not in a busy loop. The first failure of a run is a WARN, unless
     * the store reports it as an outage of its own ({@link dev.jobs.runtime.maintenance.StoreOutage}):
     * then the store logs it once, and the retries log at DEBUG.
     */
    private void claimFailed(String what, RuntimeException e) {
        claimFailures++;
        long backoff =
                Math.min(MAX_CLAIM_BACKOFF_MILLIS, FIRST_CLAIM_BACKOFF_MILLIS << Math.min(claimFailures - 1, 16));
        if (claimFailures == 1 && !dev.jobs.runtime.maintenance.StoreOutage.is(e)) {
            claimFailureWarned = true;
            LOG.warn("{} failed; retrying with backoff, first in {} ms: {}", what, backoff, e.getMessage());
        } else {
            LOG.debug("{} failed ({} in a row); retrying in {} ms: {}", what, claimFailures, backoff, e.getMessage());
        }
        backOff(backoff);
        signal();
    }

    private void claimSucceeded() {
        if (claimFailures > 0) {
            if (claimFailureWarned) {
                LOG.info("claiming jobs works again after {} failed attempts", claimFailures);
            }
            claimFailures = 0;
            claimFailureWarned = false;
        }
    }

    /** Waits {@code millis} on the scheduler thread, or less if the engine stops meanwhile. */
    private void backOff(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        lock.lock();
        try {
            while (!stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                wake.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a claim whose run never started; if the store refuses, the retrier keeps trying. */
    void releaseQuietly(dev.jobs.runtime.store.Claim claim) {
        try {
            store.releaseClaim(claim, clock.millis());
        } catch (RuntimeException e) {
            retrier.add(
                    new OutcomeRetrier.Pending(
                            "job " + claim.id() + ": giving back its unstarted claim",
                            () -> store.releaseClaim(claim, clock.millis()),
                            held -> signal()),
                    e);
        }
    }

    /** How long after its claim a first run of a resumable job may start without writing its start first. */
    long freshClaimNanos() {
        return lease.toNanos() / 10;
    }

    /** Starts ready jobs on free workers. */
    private void startReady() {
        List<JobRunner> start = new ArrayList<>();
        lock.lock();
        try {
            while (running + reserved < workers && !ready.isEmpty() && !stopped) {
                start.add(ready.pollFirst());
                running++;
            }
        } finally {
            lock.unlock();
        }
        start.forEach(this::execute);
    }

    private void execute(JobRunner runner) {
        try {
            executor.execute(runner);
        } catch (RejectedExecutionException e) {
            LOG.warn("the worker executor rejected job {}; it goes back to the queue", runner.id());
            try {
                releaseQuietly(runner.claim());
            } finally {
                runEnded(runner);
            }
        }
    }

    /** Feeds the moving average that decides how many jobs a claim takes. */
    void recordRunTime(long nanos) {
        lock.lock(); // many workers end runs at once: a read-modify-write under the lock
        try {
            averageRunNanos = ClaimSizer.averaged(averageRunNanos, nanos);
        } finally {
            lock.unlock();
        }
    }

    /** A worker finished a run: start the next ready job on it at once, or wake the scheduler. */
    void runEnded(JobRunner runner) {
        runners.remove(runner.id(), runner);
        JobRunner next = null;
        lock.lock();
        try {
            running--;
            if (!ready.isEmpty() && !stopped) {
                next = ready.pollFirst();
                running++;
            }
            if (ready.isEmpty() && mayHaveWork) {
                signalled = true;
                wake.signal();
            }
            if (running == 0 && reserved == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            execute(next);
        }
    }

    /**
     * Reserves an idle worker for a job being dispatched right now, if one is idle and nothing is
     * claimed ahead; the dispatch then inserts the job as already claimed and hands it over.
     */
    public boolean reserveIdleWorker() {
        lock.lock();
        try {
            if (stopped || thread == null || !ready.isEmpty() || running + reserved >= workers) {
                return false;
            }
            reserved++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Runs a job the dispatch inserted as claimed (in lease {@code epoch}), on the reserved worker. */
    public void startReserved(ClaimedJob job, long epoch) {
        JobRunner runner = new JobRunner(this, job, registry.find(job.name()).orElseThrow(), epoch);
        runners.put(job.id(), runner);
        boolean stopping;
        lock.lock();
        try {
            reserved--;
            running++;
            stopping = stopped;
        } finally {
            lock.unlock();
        }
        if (stopping) {
            runner.request(Reason.SHUTDOWN); // the manager is closing: stop at the first interrupt point
        }
        execute(runner);
    }

    /** Gives back a reservation the dispatch did not use (the job was queued behind others). */
    public void releaseReservation() {
        lock.lock();
        try {
            reserved--;
            signalled = true;
            mayHaveWork = true;
            signals++;
            wake.signal();
            if (running == 0 && reserved == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A run whose end is being committed: its result is settled locally, not read back from the store. */
    void endingStarted(UUID id) {
        ending.add(id);
    }

    void endingDone(UUID id) {
        ending.remove(id);
    }

    /** Runs end-of-job callbacks (results, events) off the writer thread. */
    Executor callbacks() {
        return callbacks;
    }

    /** The jobs tied to runs: children, chain steps. */
    Relatives relatives() {
        return relatives;
    }

    void ended(UUID id, String name, JobStatus status, Object output, String error) {
        try {
            listener.ended(id, name, status, output, error);
        } catch (RuntimeException e) {
            LOG.warn("a job-end listener threw for job {}", id, e);
        }
    }

    /** Asks the job if it runs here; returns whether it does. */
    /** Tells the run of {@code id} here, if any, that {@code control} was asked; true if it runs here. */
    public boolean request(UUID id, Control control) {
        JobRunner runner = runners.get(id);
        if (runner != null) {
            runner.request(control.reason());
            return true;
        }
        return false;
    }

    public void withdrawPause(UUID id) {
        JobRunner runner = runners.get(id);
        if (runner != null) {
            runner.withdrawPause();
        }
    }

    /** The in-memory progress of a job running here, or null. */
    public Progress progress(UUID id) {
        JobRunner runner = runners.get(id);
        return runner == null ? null : runner.progress();
    }

    /** Whether fewer jobs run than there are workers. */
    public boolean hasFreeWorker() {
        lock.lock();
        try {
            return running + reserved + ready.size() < workers && !stopped && thread != null;
        } finally {
            lock.unlock();
        }
    }

    /** Deletes the scratch directory of a finished job under {@code dataDirectory}, if it has one. */
    public static void deleteDataDirectory(Path dataDirectory, UUID id) {
        Path dir = dataDirectory.resolve(id.toString());
        if (!java.nio.file.Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            LOG.warn("could not delete the data directory {} of a cleaned job: {}", dir, e.getMessage());
        }
    }

    public boolean runsHere(UUID id) {
        return runners.containsKey(id) || ending.contains(id);
    }

    /**
     * Stops claiming, asks every running job to stop at its next interrupt point, and waits up to
     * {@code timeout} for them; returns true if every run ended.
     */
    public boolean stop(Duration timeout) {
        lock.lock();
        try {
            stopped = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread != null) {
            try {
                thread.join(timeout.toMillis() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<JobRunner> unstarted;
        lock.lock();
        try {
            unstarted = new ArrayList<>(ready);
            ready.clear();
        } finally {
            lock.unlock();
        }
        for (JobRunner r : unstarted) { // claimed ahead, never started: back to the queue
            runners.remove(r.id(), r);
            releaseQuietly(r.claim());
        }
        runners.values().forEach(r -> r.request(Reason.SHUTDOWN));
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (running > 0 || reserved > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return running == 0;
        } finally {
            lock.unlock();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
