package dev.jobs.runtime;

import dev.jobs.JobException;
import dev.jobs.JobHandler;
import dev.jobs.JobPriority;
import dev.jobs.JobRegistration;
import dev.jobs.JobStatus;
import dev.jobs.LogLevel;
import dev.jobs.Progress;
import dev.jobs.runtime.codec.JsonCodec;
import dev.jobs.runtime.codec.StateCodec;
import dev.jobs.runtime.events.EventBus;
import dev.jobs.runtime.events.JobListener;
import dev.jobs.runtime.events.Subscription;
import dev.jobs.runtime.execution.Engine;
import dev.jobs.runtime.execution.Ids;
import dev.jobs.runtime.execution.Recovery;
import dev.jobs.runtime.maintenance.LeaseKeeper;
import dev.jobs.runtime.maintenance.Maintenance;
import dev.jobs.runtime.maintenance.MaintenanceTask;
import dev.jobs.runtime.maintenance.RecoverySweep;
import dev.jobs.runtime.maintenance.Retention;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.Control;
import dev.jobs.runtime.store.JobRow;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.Transition;
import dev.jobs.runtime.store.sqlite.SqliteJobStore;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs durably: every job is a row in a SQLite file before {@code dispatch} returns, its
 * state is saved at each checkpoint, and a job interrupted by a crash resumes when a manager opens
 * the file again.
 *
 * <pre>{@code
 * try (JobManager jobs = JobManager.builder().database(Path.of("jobs.db")).workers(4).build()) {
 *     JobHandle<FileCopyOutput> h = jobs.dispatch(new FileCopyJob(sources, target));
 *     JobHandle<?> h2 = jobs.dispatchByName("file_copy", "{\"sources\":[\"a\"],\"destination\":\"b\"}");
 *     jobs.pause(h.id());
 *     jobs.resume(h.id());
 *     FileCopyOutput result = h.result().join();
 * }
 * }</pre>
 *
 * <p>{@link Builder#build()} migrates the schema, recovers jobs left running by a dead process and
 * starts the workers. {@link #close()} asks running jobs to stop at their next interrupt point,
 * saves resumable ones so they continue on the next start, and closes the database. All methods
 * are thread-safe.
 */
public final class JobManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

    private final JobRegistry registry;
    private final JobStore store;
    private final StateCodec codec = new StateCodec();
    private final JsonCodec json = new JsonCodec();
    private final Engine engine;
    private final String owner;
    private final Duration shutdownTimeout;
    private final ExecutorService ownedExecutor;
    private final ScheduledExecutorService maintenance;
    private final ScheduledExecutorService leases;
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(daemonThreads("jobs-callbacks-"));
    private final Object changes = new Object();
    private long changeCount;
    private final EventBus events;
    private final Duration changePollInterval;
    private final AutoCloseable watcher;
    private final boolean client;
    private final Duration lease;
    private final long startedAt = System.currentTimeMillis();
    private final java.time.Clock clock;
    private final Retention retention;
    private final RecoverySweep recoverySweep;
    private final List<JobInfo> unresolved;
    private final Map<UUID, CompletableFuture<Object>> results = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private JobManager(Builder b) {
        this.registry = b.registry != null ? b.registry : JobRegistry.load(b.classLoader);
        this.shutdownTimeout = b.shutdownTimeout;
        this.clock = b.clock;
        this.owner = UUID.randomUUID().toString();
        SqliteJobStore sqlite = SqliteJobStore.open(
                b.database, b.synchronous, b.busyTimeout, b.writeBatchSize, b.client ? List.of() : registry.names());
        this.store = sqlite;
        this.client = b.client;
        this.lease = b.lease;
        this.maintenance = Executors.newSingleThreadScheduledExecutor(daemonThreads("jobs-maintenance-"));
        this.leases = Executors.newSingleThreadScheduledExecutor(daemonThreads("jobs-lease-"));
        this.events = new EventBus(b.progressInterval, b.listenerQueueCapacity, maintenance);
        b.listeners.forEach(l -> events.subscribe(l, null)); // before recovery and workers: nothing is missed
        String host = hostName();
        try {
            if (!client) {
                long now = System.currentTimeMillis();
                // at start, only jobs of processes known to be gone; expired leases from the first background sweep on
                new Recovery(store, registry, host, owner, b.maxLostRuns).run(false);
                store.registerOwner(owner, host, ProcessHandle.current().pid(), now, now + lease.toMillis());
            }
            this.unresolved = client
                    ? List.of()
                    : store.unresolved().stream().map(this::toInfo).toList();
            for (JobInfo job : unresolved) {
                LOG.warn(
                        "job {} ({}, {}) has no registered job type in this process; it is left untouched. "
                                + "Is the jar that defines '{}' on the classpath?",
                        job.id(),
                        job.name(),
                        job.status(),
                        job.name());
            }
        } catch (RuntimeException e) {
            maintenance.shutdownNow();
            leases.shutdownNow();
            store.close();
            throw e;
        }
        Executor executor = b.executor;
        if (executor == null && !client) {
            ThreadFactory factory = b.threadFactory != null ? b.threadFactory : daemonThreads("jobs-worker-");
            this.ownedExecutor = Executors.newFixedThreadPool(b.workers, factory);
            executor = ownedExecutor;
        } else {
            this.ownedExecutor = null;
        }
        Path dataDirectory = b.dataDirectory != null
                ? b.dataDirectory
                : sqlite.file().resolveSibling(sqlite.file().getFileName() + ".data");
        this.engine = new Engine(
                store,
                codec,
                json,
                registry,
                owner,
                dataDirectory,
                executor,
                b.workers,
                lease,
                this::ended,
                events,
                clock,
                b.observer,
                b.claimBatch,
                callbacks,
                b.maxUnwrittenCompletions);
        this.changePollInterval = b.changePollInterval;
        this.retention =
                new Retention(store, clock, engine::deleteDataDirectory, b.retentionMaxAge, b.retentionMaxCount);
        this.recoverySweep = new RecoverySweep(
                new Recovery(store, registry, host, owner, b.maxLostRuns), engine::leaseSteady, engine::signal);
        if (!client) {
            Duration renewal = LeaseKeeper.period(lease);
            List<MaintenanceTask> tasks = new ArrayList<>(List.of(
                    new MaintenanceTask(
                            "renewing the job lease",
                            MaintenanceTask.Lane.LEASE,
                            renewal,
                            renewal,
                            new LeaseKeeper(store, engine, owner, host, startedAt, lease)),
                    new MaintenanceTask(
                            "recovering jobs of owners that are gone",
                            MaintenanceTask.Lane.LEASE,
                            lease,
                            Duration.ofMillis(Math.max(1, lease.toMillis() / 2)),
                            recoverySweep),
                    new MaintenanceTask(
                            "retrying outcomes that could not be written",
                            MaintenanceTask.Lane.BACKGROUND,
                            renewal,
                            renewal,
                            engine::retryOutcomes),
                    new MaintenanceTask(
                            "storing progress",
                            MaintenanceTask.Lane.BACKGROUND,
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(1),
                            engine::persistProgress)));
            if (retention.automatic()) {
                tasks.add(new MaintenanceTask(
                        "automatic retention",
                        MaintenanceTask.Lane.BACKGROUND,
                        Duration.ZERO,
                        b.retentionPeriod,
                        retention));
            }
            Maintenance.start(tasks, leases, maintenance);
            engine.start("jobs-scheduler");
        }
        this.watcher = store.watchChanges(changePollInterval, this::onStoreChanged);
    }

    /** Starts configuring a manager. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ dispatch

    /** Stores {@code job} as QUEUED with {@link JobPriority#NORMAL} and returns once the row is committed. */
    public <O> JobHandle<O> dispatch(JobHandler<O> job) {
        return dispatch(job, JobPriority.NORMAL);
    }

    /**
     * Stores {@code job} as QUEUED and returns once the row is committed. The job's non-transient
     * fields are saved now; the worker runs a copy restored from them, exactly as after a restart.
     */
    public <O> JobHandle<O> dispatch(JobHandler<O> job, JobPriority priority) {
        ensureOpen("dispatch");
        Objects.requireNonNull(job, "job");
        JobRegistration<?> registration = registry.forJob(job);
        return insert(registration, codec.encode(job), priority);
    }

    /** Dispatches the job called {@code name} with parameters given as a JSON object. */
    public JobHandle<?> dispatchByName(String name, String parametersJson) {
        return dispatchByName(name, parametersJson, JobPriority.NORMAL);
    }

    /**
     * Dispatches the job called {@code name} with parameters given as a JSON object, checked
     * against the job's schema before anything is written.
     *
     * @throws dev.jobs.UnknownJobException no job has this name (the message lists the known ones)
     * @throws dev.jobs.InvalidParametersException malformed JSON, or a field unknown, missing or of the wrong type
     */
    public JobHandle<?> dispatchByName(String name, String parametersJson, JobPriority priority) {
        ensureOpen("dispatch");
        JobRegistration<?> registration = registry.require(name);
        JobHandler<?> job = json.jobFromParameters(registration, parametersJson);
        return insert(registration, codec.encode(job), priority);
    }

    /**
     * Dispatches many jobs at once, in one transaction: much faster than one {@link #dispatch} per
     * job, and all or nothing (if the commit fails, none is stored). Returns the handles in order.
     */
    public List<JobHandle<?>> dispatchAll(java.util.Collection<? extends JobHandler<?>> jobs) {
        return dispatchAll(jobs, JobPriority.NORMAL);
    }

    /** {@link #dispatchAll(java.util.Collection)} with one priority for every job. */
    public List<JobHandle<?>> dispatchAll(java.util.Collection<? extends JobHandler<?>> jobs, JobPriority priority) {
        ensureOpen("dispatch");
        long now = clock.millis();
        List<NewJob> rows = new ArrayList<>(jobs.size());
        List<JobHandle<?>> handles = new ArrayList<>(jobs.size());
        for (JobHandler<?> job : jobs) {
            JobRegistration<?> registration = registry.forJob(Objects.requireNonNull(job, "job"));
            UUID id = Ids.next();
            rows.add(new NewJob(
                    id, registration.name(), registration.version(), codec.encode(job), priority.value(), now));
            CompletableFuture<Object> result = new CompletableFuture<>();
            results.put(id, result);
            handles.add(new JobHandle<>(this, id, registration.name(), result));
        }
        try {
            dev.jobs.runtime.store.StoreFutures.await(store.insertAll(rows, () -> {
                if (events.hasListeners()) {
                    rows.forEach(r -> events.queued(r.id(), r.name()));
                }
            }));
        } catch (RuntimeException e) {
            rows.forEach(r -> results.remove(r.id()));
            throw e;
        }
        engine.signal();
        return handles;
    }

    @SuppressWarnings("unchecked")
    private <O> JobHandle<O> insert(JobRegistration<?> registration, byte[] data, JobPriority priority) {
        UUID id = Ids.next();
        CompletableFuture<Object> result = new CompletableFuture<>();
        results.put(id, result);
        NewJob row =
                new NewJob(id, registration.name(), registration.version(), data, priority.value(), clock.millis());
        boolean reserved = !client && engine.reserveIdleWorker();
        long epoch = reserved ? engine.leaseEpoch() : 0;
        boolean claimed;
        try {
            if (reserved) {
                // an idle worker: insert the job as already claimed and hand it over (no claim round trip)
                claimed = dev.jobs.runtime.store.StoreFutures.await(
                        store.insertClaimedIfFirst(row, owner, System.currentTimeMillis() + lease.toMillis()));
            } else {
                // Queued is published on the writer thread right after the commit, so no Started
                // (from a claim in a later write) can come before it
                dev.jobs.runtime.store.StoreFutures.await(
                        store.insert(row, () -> events.queued(id, registration.name())));
                claimed = false;
            }
        } catch (RuntimeException e) {
            results.remove(id);
            if (reserved) {
                engine.releaseReservation();
            }
            throw e;
        }
        if (reserved) {
            events.queued(id, registration.name()); // before this thread starts the job or signals
        }
        if (claimed) {
            engine.startReserved(
                    new dev.jobs.runtime.store.ClaimedJob(id, row.name(), row.version(), data, 0, 1), epoch);
        } else if (reserved) {
            engine.releaseReservation();
        } else {
            engine.signal();
        }
        return new JobHandle<>(this, id, registration.name(), (CompletableFuture<O>) (CompletableFuture<?>) result);
    }

    /** A handle to a stored job, for example one dispatched before a restart. */
    public JobHandle<?> handle(UUID id) {
        ensureOpen("get a handle");
        JobRow row = row(id);
        CompletableFuture<Object> result;
        if (row.status().isTerminal()) {
            result = new CompletableFuture<>();
            completeFromRow(result, row);
        } else {
            result = results.computeIfAbsent(id, k -> new CompletableFuture<>());
            // it may have finished between the read and the registration
            JobRow again = row(id);
            if (again.status().isTerminal() && results.remove(id, result)) {
                completeFromRow(result, again);
            }
        }
        return new JobHandle<>(this, id, row.name(), result);
    }

    // ------------------------------------------------------------------ control

    /**
     * Pauses a job: a queued one at once; a running one at its next {@code checkInterrupt()} or
     * {@code checkpoint()}, with its state saved. Pausing a paused job does nothing.
     *
     * @throws JobNotFoundException no such job
     * @throws IllegalJobStateException the job has finished or is being cancelled
     */
    public void pause(UUID id) {
        control(id, "pause", row -> switch (row.status()) {
            case QUEUED -> {
                boolean done = store.move(id, Transition.PAUSE, JobStatus.QUEUED, clock.millis());
                if (done) {
                    events.paused(id, row.name());
                }
                yield done;
            }
            case RUNNING -> {
                if (row.control() == Control.CANCEL) {
                    throw new IllegalJobStateException(id, row.status(), "pause (it is being cancelled)");
                }
                boolean done = store.requestControl(id, Control.PAUSE);
                if (done) {
                    engine.request(id, Control.PAUSE);
                }
                yield done;
            }
            case PAUSED -> true;
            default -> throw new IllegalJobStateException(id, row.status(), "pause");
        });
    }

    /**
     * Resumes a paused job: it goes back to the queue and continues from its saved state with
     * {@code ctx.isResuming()} true. Resuming a queued or running job does nothing (a pause not
     * yet noticed by a running job is withdrawn).
     */
    public void resume(UUID id) {
        control(id, "resume", row -> switch (row.status()) {
            case PAUSED -> {
                boolean done = store.move(id, Transition.RESUME, JobStatus.PAUSED, clock.millis());
                if (done) {
                    events.resumed(id, row.name());
                    engine.signal();
                }
                yield done;
            }
            case RUNNING -> {
                if (row.control() != Control.PAUSE) {
                    yield true;
                }
                boolean done = store.withdrawPause(id); // false: the pause landed meanwhile, read again
                if (done) {
                    engine.withdrawPause(id);
                }
                yield done;
            }
            case QUEUED -> true;
            default -> throw new IllegalJobStateException(id, row.status(), "resume");
        });
    }

    /**
     * Cancels a job: a queued or paused one at once, a running one at its next interrupt point.
     *
     * @throws IllegalJobStateException the job has already finished
     */
    public void cancel(UUID id) {
        control(id, "cancel", row -> switch (row.status()) {
            case QUEUED, PAUSED -> {
                boolean done = store.move(id, Transition.CANCEL, row.status(), clock.millis());
                if (done) {
                    ended(id, row.name(), JobStatus.CANCELLED, null, null);
                }
                yield done;
            }
            case RUNNING -> {
                boolean done = row.control() == Control.CANCEL || store.requestControl(id, Control.CANCEL);
                if (done) {
                    engine.request(id, Control.CANCEL);
                }
                yield done;
            }
            default -> throw new IllegalJobStateException(id, row.status(), "cancel");
        });
    }

    /**
     * The read-decide-compare-and-set loop of pause, resume and cancel: reads the row, lets
     * {@code step} try its transition for the status found, and reads again when a concurrent
     * change made the compare-and-set miss.
     */
    private void control(UUID id, String action, java.util.function.Predicate<JobRow> step) {
        ensureOpen(action + " a job");
        for (int attempt = 0; attempt < 100; attempt++) {
            if (step.test(row(id))) {
                return;
            }
        }
        throw new JobException("job " + id + " kept changing status during " + action + "; try again");
    }

    // ------------------------------------------------------------------ queries

    /**
     * The id of the one job whose id is {@code idOrPrefix} or starts with it (at least 4
     * characters), as command-line tools accept.
     *
     * @throws JobNotFoundException no job matches
     * @throws JobException the prefix matches several jobs
     */
    public UUID resolveId(String idOrPrefix) {
        ensureOpen("find a job");
        String text = idOrPrefix.trim();
        try {
            if (text.length() == 36) {
                UUID id = UUID.fromString(text);
                row(id);
                return id;
            }
        } catch (IllegalArgumentException e) {
            // not a full id: try it as a prefix
        }
        if (text.length() < 4 || !text.matches("[0-9a-fA-F-]+")) {
            throw new JobException(
                    "'" + idOrPrefix + "' is not a job id; give the full id or at least its first 4 characters");
        }
        List<UUID> matches = store.idsStartingWith(text, 2);
        if (matches.isEmpty()) {
            throw new JobNotFoundException(text);
        }
        if (matches.size() > 1) {
            throw new JobException("'" + text + "' matches several jobs (" + matches.get(0) + ", " + matches.get(1)
                    + ", ...); give more of the id");
        }
        return matches.get(0);
    }

    /** Everything stored about one job. */
    public JobInfo info(UUID id) {
        ensureOpen("read a job");
        return toInfo(row(id));
    }

    Optional<Progress> progress(UUID id) {
        Progress live = engine.progress(id);
        if (live != null) {
            return Optional.of(live);
        }
        return info(id).progress();
    }

    /** The names of the jobs this process can run, sorted. */
    public List<String> jobTypes() {
        return registry.names();
    }

    /** The parameter schema (JSON) of the job called {@code name}. */
    public String schema(String name) {
        return registry.schema(name);
    }

    /** The registry this manager runs jobs from. */
    public JobRegistry registry() {
        return registry;
    }

    /**
     * Active jobs found at startup whose name no registered job has (for example a jar missing
     * from the classpath). They are kept as they are, not failed or deleted.
     */
    public List<JobInfo> unresolved() {
        return unresolved;
    }

    /** Jobs matching {@code query}, in a stable order; see {@link JobQuery} for paging. */
    public List<JobInfo> list(JobQuery query) {
        ensureOpen("list jobs");
        return store
                .list(new JobStore.ListFilter(
                        query.statuses(),
                        query.names(),
                        query.createdAfter().map(Instant::toEpochMilli).orElse(null),
                        query.createdBefore().map(Instant::toEpochMilli).orElse(null),
                        query.limit(),
                        query.isOldestFirst(),
                        query.cursorCreated().map(Instant::toEpochMilli).orElse(null),
                        query.cursorId().orElse(null)))
                .stream()
                .map(this::toInfo)
                .toList();
    }

    /**
     * Rows that cannot be read as jobs (an id that is not a UUID, an unknown status). They are
     * skipped by claims and queries, with one warning each; this lists them. Reads the whole
     * table: for tools such as {@code jobctl list --all}, not for hot paths.
     */
    public List<UnreadableJob> unreadable() {
        ensureOpen("list unreadable jobs");
        return store.unreadableRows().stream()
                .map(r -> new UnreadableJob(r.id(), r.name(), r.status(), r.problem()))
                .toList();
    }

    /** Runs whose final write failed and is being retried (for tests). */
    int pendingOutcomes() {
        return engine.pendingOutcomes();
    }

    /** Queued, running and paused jobs, oldest first, with their latest progress (at most 10,000). */
    public List<JobInfo> active() {
        return list(JobQuery.all()
                .statuses(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.PAUSED)
                .oldestFirst()
                .limit(10_000));
    }

    /** The job's log lines with a sequence number above {@code afterSequence}, oldest first. */
    public List<LogLine> logs(UUID id, long afterSequence, int limit) {
        ensureOpen("read a job log");
        return store.logs(id, afterSequence, limit).stream()
                .map(r -> new LogLine(
                        id, r.seq(), Instant.ofEpochMilli(r.at()), LogLevel.valueOf(r.level()), r.message()))
                .toList();
    }

    /**
     * Passes every log line of the job after {@code afterSequence} to {@code sink}, waiting for new
     * lines until the job is no longer active (it finished, or it paused), then returns the last
     * sequence number seen. Works for jobs running in another process too: it reads the store
     * whenever the database changes.
     *
     * <pre>{@code
     * jobs.followLog(id, 0, line -> System.out.println(line));
     * }</pre>
     */
    public long followLog(UUID id, long afterSequence, Consumer<LogLine> sink) throws InterruptedException {
        long last = afterSequence;
        while (true) {
            ensureOpen("follow a job log");
            JobStatus status = info(id).status();
            List<LogLine> lines;
            do {
                lines = logs(id, last, 1000);
                for (LogLine line : lines) {
                    sink.accept(line);
                    last = line.sequence();
                }
            } while (lines.size() == 1000);
            if (status.isTerminal() || status == JobStatus.PAUSED) {
                return last;
            }
            awaitChange(250);
        }
    }

    /** Waits until the store watcher sees a commit (ours or another process's), or the timeout. */
    private void awaitChange(long millis) throws InterruptedException {
        synchronized (changes) {
            long seen = changeCount;
            long deadline = System.currentTimeMillis() + millis;
            while (changeCount == seen) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                changes.wait(left);
            }
        }
    }

    /**
     * Listens to the events of every job this process dispatches, runs or controls. Events of jobs
     * running in other processes are not delivered here; read them with {@link #info} or
     * {@link #followLog}.
     */
    public Subscription addListener(JobListener listener) {
        ensureOpen("add a listener");
        return events.subscribe(Objects.requireNonNull(listener, "listener"), null);
    }

    /** Listens to the events of one job. */
    public Subscription addListener(UUID jobId, JobListener listener) {
        ensureOpen("add a listener");
        return events.subscribe(Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(jobId, "jobId"));
    }

    /**
     * Deletes finished (COMPLETED, FAILED, CANCELLED) jobs that completed more than
     * {@code olderThan} ago, with their log lines and data directories. Works in chunks of at most
     * 500 jobs, one transaction each, so other writers (other processes included) wait at most one
     * chunk. Active jobs are never touched.
     */
    public CleanResult clean(Duration olderThan) {
        ensureOpen("clean jobs");
        return result(retention.olderThan(olderThan));
    }

    /** Deletes finished jobs beyond the newest {@code keep} finished ones, in chunks like {@link #clean}. */
    public CleanResult cleanKeepingNewest(int keep) {
        ensureOpen("clean jobs");
        if (keep < 0) {
            throw new IllegalArgumentException("keep must not be negative, was " + keep);
        }
        return result(retention.keepingNewest(keep));
    }

    private static CleanResult result(Retention.Deleted deleted) {
        return new CleanResult(deleted.jobs(), deleted.logLines(), deleted.chunks());
    }

    /** Whether this manager runs jobs, or is a client that only dispatches, queries and controls. */
    public boolean isClient() {
        return client;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Stops the manager: no new job starts, running jobs are asked to stop at their next interrupt
     * point (resumable ones are saved and continue on the next start; non-resumable ones are
     * waited for), for up to the shutdown timeout; then the database is closed. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean idle = client || engine.stop(shutdownTimeout);
        closeQuietly(watcher);
        leases.shutdownNow();
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        if (client) {
            // a client owns no jobs and has no owner row
        } else if (idle) {
            try {
                store.removeOwner(owner);
            } catch (RuntimeException e) {
                LOG.warn("could not remove this manager's owner row; it expires with its lease", e);
            }
        } else {
            LOG.warn(
                    "some jobs did not stop within {}; they stay RUNNING and are recovered once this owner's lease expires",
                    shutdownTimeout);
        }
        store.close(); // commits what is queued, so pending completions settle
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close(); // after the last completions have published their events
        maintenance.shutdownNow();
        // handles of jobs that did not finish here: they go on at the next start
        for (UUID id : List.copyOf(results.keySet())) {
            CompletableFuture<Object> result = results.remove(id);
            if (result != null) {
                result.completeExceptionally(new ManagerClosedException("wait for job " + id
                        + " (it is stored and continues when a manager opens the database again)"));
            }
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    // ------------------------------------------------------------------ internals

    private void ended(UUID id, String name, JobStatus status, Object output, String error) {
        switch (status) {
            case PAUSED -> events.paused(id, name);
            case COMPLETED -> events.completed(id, name, output);
            case FAILED -> events.failed(id, name, error);
            case CANCELLED -> events.cancelled(id, name);
            default -> {}
        }
        if (!status.isTerminal()) {
            return;
        }
        CompletableFuture<Object> result = results.remove(id);
        if (result == null) {
            return;
        }
        switch (status) {
            case COMPLETED -> result.complete(output);
            case FAILED -> result.completeExceptionally(new JobFailedException(id, name, error));
            default -> result.completeExceptionally(new JobCancelledException(id, name));
        }
    }

    private void completeFromRow(CompletableFuture<Object> result, JobRow row) {
        switch (row.status()) {
            case COMPLETED -> {
                Class<?> type = registry.find(row.name())
                        .<Class<?>>map(JobRegistration::outputType)
                        .orElse(Object.class);
                try {
                    result.complete(row.output() == null ? null : json.fromJson(row.output(), type));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }
            case FAILED ->
                result.completeExceptionally(new JobFailedException(row.id(), row.name(), row.errorMessage()));
            default -> result.completeExceptionally(new JobCancelledException(row.id(), row.name()));
        }
    }

    private JobRow row(UUID id) {
        Objects.requireNonNull(id, "id");
        return store.find(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    private JobInfo toInfo(JobRow r) {
        Progress progress = engine == null ? null : engine.progress(r.id());
        if (progress == null) {
            progress = json.progressFromJson(r.progressData());
        }
        return new JobInfo(
                r.id(),
                r.name(),
                r.status(),
                r.priority(),
                Optional.ofNullable(progress),
                Instant.ofEpochMilli(r.createdAt()),
                instant(r.startedAt()),
                instant(r.completedAt()),
                instant(r.lastCheckpoint()),
                r.attempt(),
                Optional.ofNullable(r.errorMessage()),
                Optional.ofNullable(r.errorTrace()),
                Optional.ofNullable(r.output()),
                Optional.ofNullable(r.owner()));
    }

    private static Optional<Instant> instant(Long millis) {
        return millis == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /** One recovery sweep, as the background task runs it; returns the jobs it changed (tests call it directly). */
    int recoverNow() {
        return recoverySweep.sweep();
    }

    /** Another connection committed: apply control requests, pick up work, settle foreign results. */
    private void onStoreChanged() {
        synchronized (changes) {
            changeCount++;
            changes.notifyAll();
        }
        if (!client) {
            Set<UUID> running = engine.runningIds();
            if (!running.isEmpty()) {
                store.controlsFor(owner).forEach(engine::request);
            }
            if (engine.hasFreeWorker() && store.hasRunnableQueued()) {
                engine.signal();
            }
        }
        settleForeignResults();
    }

    /** Start of the window of completions to look at next; older ones were seen already. */
    private long finishedWatermark = Long.MIN_VALUE;

    /**
     * Completes the handles of jobs that another process finished. Reads only the jobs finished
     * since the last look (by completion time, indexed), not one row per pending handle.
     */
    private void settleForeignResults() {
        if (results.isEmpty()) {
            finishedWatermark = clock.millis() - 2_000;
            return;
        }
        long now = clock.millis();
        long since = finishedWatermark == Long.MIN_VALUE ? 0 : finishedWatermark;
        finishedWatermark = now - 2_000; // a margin for clocks of other processes
        for (JobRow row : store.finishedSince(since, owner)) {
            if (!engine.runsHere(row.id())) {
                events.forget(row.id()); // its terminal event was not published here
            }
            CompletableFuture<Object> result = results.get(row.id());
            if (result != null && !engine.runsHere(row.id()) && results.remove(row.id(), result)) {
                completeFromRow(result, row);
            }
        }
    }

    private void ensureOpen(String action) {
        if (closed.get()) {
            throw new ManagerClosedException(action);
        }
    }

    /**
     * This machine's name, recorded with each owner so that a dead process on the same machine is
     * recognised by its pid. The system property {@code dev.jobs.host} overrides it (for tests
     * that simulate another machine, or containers that share a hostname).
     */
    private static String hostName() {
        String override = System.getProperty("dev.jobs.host");
        if (override != null && !override.isBlank()) {
            return override;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing
        }
    }

    /**
     * Options of a {@link JobManager}. Only {@link #database(Path)} is required.
     *
     * <pre>{@code
     * JobManager jobs = JobManager.builder()
     *         .database(Path.of("jobs.db"))
     *         .workers(4)
     *         .synchronous(SynchronousMode.FULL)
     *         .shutdownTimeout(Duration.ofSeconds(30))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private Path database;
        private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        private SynchronousMode synchronous = SynchronousMode.FULL;
        private Duration busyTimeout = Duration.ofSeconds(10);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Duration lease = Duration.ofSeconds(15);
        private ClassLoader classLoader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader()
                : JobManager.class.getClassLoader();
        private JobRegistry registry;
        private ThreadFactory threadFactory;
        private Executor executor;
        private Path dataDirectory;
        private int writeBatchSize = 512;
        private int claimBatch = 256;
        private int maxLostRuns = 3;
        private int maxUnwrittenCompletions = 256;
        private boolean client;
        private Duration progressInterval = Duration.ofMillis(100);
        private int listenerQueueCapacity = 4096;
        private Duration changePollInterval = Duration.ofMillis(200);
        private Duration retentionMaxAge;
        private int retentionMaxCount;
        private Duration retentionPeriod = Duration.ofHours(1);
        private java.time.Clock clock = java.time.Clock.systemUTC();
        private dev.jobs.runtime.testing.RunObserver observer;
        private final List<JobListener> listeners = new ArrayList<>();

        private Builder() {}

        /**
         * A listener subscribed before the manager recovers or runs anything, so it also sees the
         * events of jobs resumed at startup (which {@link JobManager#addListener} could miss).
         */
        public Builder listener(JobListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The clock for the times recorded with jobs (created, started, completed, checkpoints,
         * log lines) and for {@link JobManager#clean}'s cutoff. Leases always use the system
         * clock. For tests that control time.
         */
        public Builder clock(java.time.Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A hook at every checkpoint and interrupt check; used by the jobs-test harness. */
        public Builder observer(dev.jobs.runtime.testing.RunObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /**
         * Opens the manager as a client: it runs no workers and recovers nothing, but can dispatch,
         * list, read logs, and pause, resume or cancel jobs that a worker process runs. For tools
         * such as a CLI next to a long-running worker.
         */
        public Builder client() {
            this.client = true;
            return this;
        }

        /** The shortest time between two progress events of one job sent to listeners (default 100 ms). */
        public Builder progressInterval(Duration interval) {
            this.progressInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** How many progress and log events a slow listener may have queued before new ones are dropped (default 4096). */
        public Builder listenerQueueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
            }
            this.listenerQueueCapacity = capacity;
            return this;
        }

        /**
         * How often to check whether another process changed the database (default 200 ms): a
         * pause or cancel asked elsewhere reaches a job running here within about this time.
         */
        public Builder changePollInterval(Duration interval) {
            this.changePollInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** Deletes finished jobs older than {@code maxAge} automatically, at start and every hour. */
        public Builder retainFinishedFor(Duration maxAge) {
            this.retentionMaxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        /** Keeps only the newest {@code count} finished jobs, checked at start and every hour. */
        public Builder retainFinishedCount(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("count must be at least 1, was " + count);
            }
            this.retentionMaxCount = count;
            return this;
        }

        /** How often automatic retention runs (default one hour). */
        public Builder retentionPeriod(Duration period) {
            this.retentionPeriod = Objects.requireNonNull(period, "period");
            return this;
        }

        /** The SQLite file; created with its directory if missing. */
        public Builder database(Path file) {
            this.database = Objects.requireNonNull(file, "file");
            return this;
        }

        /** How many jobs run at once (default: the number of processors, at least 2). */
        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, was " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** What a commit survives; {@link SynchronousMode#FULL} (power cuts) by default. */
        public Builder synchronous(SynchronousMode mode) {
            this.synchronous = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** How long to wait for another process's write lock before failing (default 10 s). */
        public Builder busyTimeout(Duration timeout) {
            this.busyTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long {@link JobManager#close()} waits for running jobs to stop (default 30 s). */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long this manager's claim on its running jobs lasts without renewal (default 15 s;
         * renewed every third of it). Another manager on the same file takes over the jobs of an
         * owner whose lease expired; a dead process on the same host is detected at once.
         */
        public Builder leaseDuration(Duration lease) {
            if (lease.toMillis() < 30) {
                throw new IllegalArgumentException("lease must be at least 30 ms, was " + lease);
            }
            this.lease = lease;
            return this;
        }

        /** Where to look for job registrations (default: the context class loader). */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /** Uses exactly these job types instead of looking them up with ServiceLoader. */
        public Builder registry(JobRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Threads for the built-in worker pool (for example to name them or set priorities). */
        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Runs jobs on the host's executor, for example {@code Executors.newVirtualThreadPerTaskExecutor()}
         * on a newer JDK. At most {@link #workers(int)} jobs are given to it at once; the host shuts it down.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The parent of each job's {@code ctx.dataDir()} (default: {@code <database>.data} beside the file). */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * How many queued jobs a claim may take at once while jobs are short (default 256, at
         * least {@link #workers}). While the recent average run takes under 20 ms, a worker that
         * finds nothing claimed ahead claims this many in one transaction; they wait in memory
         * (shown as RUNNING) and a job of higher priority dispatched meanwhile waits behind at most
         * this many. Longer jobs are claimed one per idle worker, so that several processes on one
         * database share them. Set it to {@link #workers} for strict priority order.
         */
        public Builder claimBatch(int jobs) {
            if (jobs < 1) {
                throw new IllegalArgumentException("claim batch must be at least 1, was " + jobs);
            }
            this.claimBatch = jobs;
            return this;
        }

        /**
         * How many runs of a job in a row may end with their process (killed, out of memory, a
         * native crash, {@code System.exit}) before reaching a checkpoint, before recovery marks
         * the job FAILED as a poison job instead of resuming it again (default 3). A checkpoint
         * resets the count.
         */
        public Builder maxLostRuns(int runs) {
            if (runs < 1) {
                throw new IllegalArgumentException("maxLostRuns must be at least 1, was " + runs);
            }
            this.maxLostRuns = runs;
            return this;
        }

        /**
         * How many finished jobs may wait for their completion to be committed (default 256). A
         * worker does not wait for the commit of the job it finished, so that many completions
         * share one commit; when this many are waiting, the next worker to finish waits. After a
         * crash, at most this many jobs that ran to their end can run again (plus the step in
         * flight of each running job). The default keeps the throughput of very short jobs
         * (a bound of 32 costs about a third of it, see docs/performance.md); set it to
         * {@link #workers} when a re-run is costly and jobs are long.
         */
        public Builder maxUnwrittenCompletions(int completions) {
            if (completions < 1) {
                throw new IllegalArgumentException("maxUnwrittenCompletions must be at least 1, was " + completions);
            }
            this.maxUnwrittenCompletions = completions;
            return this;
        }

        /** Most writes committed together in one transaction (default 512). */
        public Builder writeBatchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, was " + size);
            }
            this.writeBatchSize = size;
            return this;
        }

        /** Opens the database, migrates it, recovers interrupted jobs and starts the workers. */
        public JobManager build() {
            if (database == null) {
                throw new IllegalStateException("JobManager.builder() needs .database(Path) before build()");
            }
            return new JobManager(this);
        }
    }
}
