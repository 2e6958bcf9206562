package dev.jobs.runtime;

import dev.jobs.JobException;
import dev.jobs.JobHandler;
import dev.jobs.JobPriority;
import dev.jobs.JobStatus;
import dev.jobs.LogLevel;
import dev.jobs.Progress;
import dev.jobs.runtime.codec.JsonCodec;
import dev.jobs.runtime.codec.StateCodec;
import dev.jobs.runtime.events.EventBus;
import dev.jobs.runtime.events.JobListener;
import dev.jobs.runtime.events.Subscription;
import dev.jobs.runtime.execution.Engine;
import dev.jobs.runtime.maintenance.Retention;
import dev.jobs.runtime.notify.Delivery;
import dev.jobs.runtime.notify.JobEventType;
import dev.jobs.runtime.notify.Notifier;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.JobRow;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.sqlite.SqliteJobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
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
 * <p>{@link JobManagerBuilder#build()} migrates the schema, recovers jobs left running by a dead
 * process and starts the workers. {@link #close()} asks running jobs to stop at their next
 * interrupt point, saves resumable ones so they continue on the next start, and closes the
 * database. All methods are thread-safe.
 */
public final class JobManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

    private final JobRegistry registry;
    private final JobStore store;
    private final JsonCodec json = new JsonCodec();
    private final Clock clock;
    private final ScheduledExecutorService maintenance;
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(daemonThreads("jobs-callbacks-"));
    private final EventBus events;
    private final Results results;
    private final Retention retention;
    private final Workers workers;
    private final Dispatcher dispatcher;
    private final Controls controls;
    private final StoreChanges changes;
    private final AutoCloseable watcher;
    private final ScheduleTicker ticker;
    private final Schedules schedules;
    private final List<JobInfo> unresolved;
    /** The hooks and webhooks of {@link JobManagerBuilder#notifications}, or null if there are none. */
    private final Notifier notifier;

    private final AtomicBoolean closed = new AtomicBoolean();

    /** Built by {@link JobManagerBuilder#build()}. */
    JobManager(JobManagerBuilder b) {
        this.registry = b.registry != null ? b.registry : JobRegistry.load(b.classLoader);
        this.clock = b.clock;
        // before the store opens: a hook naming a class that is no job type fails here, leaving nothing open
        this.notifier = b.notifications.isEmpty()
                ? null
                : new Notifier(b.notifications, this::jobNameOf, this::storedInfo, this::recordDelivery);
        String owner = UUID.randomUUID().toString();
        // the one place where a client and a manager that runs jobs part ways
        Workers.Kind kind = b.client ? NoWorkers.KIND : RunningWorkers.KIND;
        dev.jobs.runtime.store.JobStoreFactory factory = b.store != null
                ? b.store
                : SqliteJobStore.factory(b.database, b.synchronous, b.busyTimeout, b.writeBatchSize);
        Path dataDirectory = b.dataDirectory != null
                ? b.dataDirectory
                : factory.defaultDataDirectory()
                        .orElseThrow(() -> new IllegalStateException("the job store " + factory.describe()
                                + " has no place for the jobs' data directories: set"
                                + " JobManager.builder().dataDirectory(path)"));
        this.store = factory.open(kind.runnableNames(registry));
        this.maintenance = Executors.newSingleThreadScheduledExecutor(daemonThreads("jobs-maintenance-"));
        this.events = new EventBus(b.progressInterval, b.listenerQueueCapacity, maintenance, b.instrumentation);
        b.listeners.forEach(l -> events.subscribe(l, null)); // before recovery and workers: nothing is missed
        if (notifier != null) {
            events.subscribe(notifier, null);
        }
        this.results = new Results(store, registry, json, events, clock, owner);
        this.retention = new Retention(
                store,
                clock,
                id -> Engine.deleteDataDirectory(dataDirectory, id),
                b.retentionMaxAge,
                b.retentionMaxCount);
        StateCodec codec = new StateCodec();
        Family family = new Family(store, registry, json);
        try {
            this.workers = kind.create(new Workers.Setup(
                    b,
                    store,
                    registry,
                    codec,
                    json,
                    events,
                    clock,
                    owner,
                    dataDirectory,
                    this::jobEnded,
                    callbacks,
                    maintenance,
                    retention,
                    family));
            this.unresolved = workers.unresolved().stream().map(this::toInfo).toList();
        } catch (RuntimeException e) {
            maintenance.shutdownNow();
            store.close();
            throw e;
        }
        for (JobInfo job : unresolved) {
            LOG.warn(
                    "job {} ({}, {}) has no registered job type in this process; it is left untouched. "
                            + "Is the jar that defines '{}' on the classpath?",
                    job.id(),
                    job.name(),
                    job.status(),
                    job.name());
        }
        this.dispatcher = new Dispatcher(this, store, registry, codec, json, events, results, workers, clock, owner);
        family.dispatcher(dispatcher);
        this.changes = new StoreChanges(store, owner, workers, results);
        this.controls = new Controls(store, events, workers, results, clock, changes::afterCancel);
        this.ticker = workers.runsJobs() ? new ScheduleTicker(store, dispatcher, clock) : null;
        this.schedules = new Schedules(
                this, store, registry, json, dispatcher, clock, ticker == null ? () -> {} : ticker::signal);
        workers.start();
        if (ticker != null) {
            try {
                schedules.upsertDeclared();
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            ticker.start();
        }
        this.watcher = store.watchChanges(b.changePollInterval, this::storeChanged);
        if (b.instrumentation != null) {
            b.instrumentation.opened(new Gauges());
        }
    }

    /** What a metrics module's gauges read (see {@link dev.jobs.runtime.metrics.Instrumentation}). */
    private final class Gauges implements dev.jobs.runtime.metrics.ManagerGauges {
        @Override
        public int runningJobs() {
            return closed.get() ? 0 : workers.runningCount();
        }

        @Override
        public java.util.OptionalLong queuedJobs() {
            if (closed.get()) {
                return java.util.OptionalLong.empty();
            }
            try {
                return store.countQueued();
            } catch (RuntimeException e) {
                LOG.debug("counting the queued jobs for a metric failed: {}", e.getMessage());
                return java.util.OptionalLong.empty();
            }
        }
    }

    /** Starts configuring a manager. */
    public static JobManagerBuilder builder() {
        return new JobManagerBuilder();
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
        return dispatch(job, DispatchOptions.defaults().priority(priority));
    }

    /**
     * Stores {@code job} as QUEUED with these options (priority, run time) and returns once the row
     * is committed. A job with a future run time is not started before it (see {@link DispatchOptions}).
     *
     * <pre>{@code
     * jobs.dispatch(new ReminderJob(user), DispatchOptions.defaults().delay(Duration.ofHours(1)));
     * }</pre>
     */
    public <O> JobHandle<O> dispatch(JobHandler<O> job, DispatchOptions options) {
        ensureOpen("dispatch");
        return dispatcher.dispatch(job, options);
    }

    /** Dispatches the job called {@code name} with parameters given as a JSON object. */
    public JobHandle<?> dispatchByName(String name, String parametersJson) {
        return dispatchByName(name, parametersJson, JobPriority.NORMAL);
    }

    /**
     * Dispatches the job called {@code name} with parameters given as a JSON object, checked before
     * anything is written: the JSON strictly (one object, no key twice, finite numbers, valid
     * Unicode, within size limits), then against the job's schema (only its {@code @Param} fields,
     * required ones present, types and ranges), then by the job's own {@code validate()} if it has
     * one. Fields that are not parameters (the job's state) cannot be set this way.
     *
     * <pre>{@code
     * try {
     *     jobs.dispatchByName("file_copy", requestBody);
     * } catch (InvalidParametersException e) {
     *     return badRequest(e.getMessage()); // names the field and what was expected
     * }
     * }</pre>
     *
     * @throws IllegalArgumentException {@code name} or {@code parametersJson} is null (give {@code "{}"} for no parameters)
     * @throws dev.jobs.UnknownJobException no job has this name (the message lists the known ones)
     * @throws dev.jobs.InvalidParametersException the JSON is malformed, names a field that is not a
     *     parameter, misses a required one, has a value of the wrong type or range, or the job's
     *     {@code validate()} refused it
     */
    public JobHandle<?> dispatchByName(String name, String parametersJson, JobPriority priority) {
        return dispatchByName(name, parametersJson, DispatchOptions.defaults().priority(priority));
    }

    /**
     * {@link #dispatchByName(String, String, JobPriority)} with these options (priority, run time).
     *
     * @throws NullPointerException {@code options} is null
     */
    public JobHandle<?> dispatchByName(String name, String parametersJson, DispatchOptions options) {
        ensureOpen("dispatch");
        return dispatcher.dispatchByName(name, parametersJson, options);
    }

    /**
     * Dispatches many jobs at once, in one transaction: much faster than one {@link #dispatch} per
     * job, and all or nothing (if the commit fails, none is stored). Returns the handles in order.
     */
    public List<JobHandle<?>> dispatchAll(Collection<? extends JobHandler<?>> jobs) {
        return dispatchAll(jobs, JobPriority.NORMAL);
    }

    /** {@link #dispatchAll(Collection)} with one priority for every job. */
    public List<JobHandle<?>> dispatchAll(Collection<? extends JobHandler<?>> jobs, JobPriority priority) {
        return dispatchAll(jobs, DispatchOptions.defaults().priority(priority));
    }

    /** {@link #dispatchAll(Collection)} with the same options (priority, run time) for every job. */
    public List<JobHandle<?>> dispatchAll(Collection<? extends JobHandler<?>> jobs, DispatchOptions options) {
        ensureOpen("dispatch");
        return dispatcher.dispatchAll(jobs, options);
    }

    /**
     * Dispatches a finished job again, as a new job with the same name, parameters and priority
     * ({@link JobInfo#parameters()}), checked like any {@link #dispatchByName}. The new job's
     * {@link JobInfo#rerunOf()} names the old one, which is left as it is. Only the parameters are
     * repeated, not the old run's state: the new job starts from the beginning.
     *
     * <pre>{@code
     * if (jobs.info(id).status() == JobStatus.FAILED) {
     *     JobHandle<?> again = jobs.rerun(id);
     * }
     * }</pre>
     *
     * @throws JobNotFoundException no such job
     * @throws IllegalJobStateException the job has not finished (it is queued, running or paused)
     * @throws JobException the job was stored without its parameters (by an older version of the library)
     */
    public JobHandle<?> rerun(UUID id) {
        ensureOpen("rerun a job");
        JobRow row = row(id);
        if (!row.status().isTerminal()) {
            throw new IllegalJobStateException(id, row.status(), "rerun (only a finished job can run again)");
        }
        if (row.parameters() == null) {
            throw new JobException("job " + id + " was stored without its parameters (by an older version of "
                    + "the library); dispatch '" + row.name() + "' again by name with its parameters");
        }
        return dispatcher.dispatchByName(
                row.name(),
                row.parameters(),
                DispatchOptions.defaults().priority(JobPriority.ofValue(row.priority())),
                id);
    }

    // ------------------------------------------------------------------ chains and children

    /**
     * Starts a chain with {@code first}: add steps with {@link Chain#then}, store it with
     * {@link Chain#dispatch()}. Each step runs only once the step before it COMPLETED.
     */
    public Chain chain(JobHandler<?> first) {
        ensureOpen("dispatch a chain");
        return new Chain(this, first);
    }

    ChainHandle dispatchChain(List<JobHandler<?>> steps, DispatchOptions options, boolean continueOnFailure) {
        ensureOpen("dispatch a chain");
        return dispatcher.dispatchChain(steps, options, continueOnFailure);
    }

    /** The chain with this id (every step's {@link JobInfo#chain()}), or empty if none is stored. */
    public Optional<ChainHandle> findChain(UUID chainId) {
        ensureOpen("read a chain");
        Objects.requireNonNull(chainId, "chainId");
        List<JobRow> steps = store.chain(chainId);
        if (steps.isEmpty()) {
            return Optional.empty();
        }
        List<JobHandle<?>> handles = new ArrayList<>(steps.size());
        for (JobRow step : steps) {
            handles.add(handleOf(step, false));
        }
        return Optional.of(new ChainHandle(this, chainId, handles));
    }

    ChainInfo chainInfo(UUID chainId) {
        ensureOpen("read a chain");
        return ChainInfo.of(
                chainId, store.chain(chainId).stream().map(this::toInfo).toList());
    }

    /**
     * Cancels every step of a chain that has not ended, last first: the steps waiting are cancelled
     * before the one running is asked to stop, so none of them is queued by its end meanwhile.
     */
    void cancelChain(UUID chainId) {
        ensureOpen("cancel a chain");
        List<JobRow> steps = new ArrayList<>(store.chain(chainId));
        java.util.Collections.reverse(steps);
        for (JobRow step : steps) {
            if (step.status().isActive()) {
                try {
                    controls.cancel(step.id());
                } catch (IllegalJobStateException e) {
                    // it ended meanwhile (or was cancelled with the step before it): nothing to do
                }
            }
        }
    }

    /** The children a job dispatched from its runs ({@code ctx.dispatchChild}), oldest first. */
    public List<JobInfo> children(UUID parent) {
        ensureOpen("read a job's children");
        Objects.requireNonNull(parent, "parent");
        return store.children(parent).stream().map(this::toInfo).toList();
    }

    /** A handle to a stored job, for example one dispatched before a restart. */
    public JobHandle<?> handle(UUID id) {
        ensureOpen("get a handle");
        return existingHandle(id, false);
    }

    /** A handle to a stored job; {@code existing} when a dispatch found it holding its unique key. */
    JobHandle<?> existingHandle(UUID id, boolean existing) {
        return handleOf(row(id), existing);
    }

    /** A handle to the job of a row just read. */
    private JobHandle<?> handleOf(JobRow row, boolean existing) {
        return new JobHandle<>(this, row.id(), row.name(), results.forStored(row, () -> row(row.id())), existing);
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
        ensureOpen("pause a job");
        controls.pause(id);
    }

    /**
     * Resumes a paused job: it goes back to the queue and continues from its saved state with
     * {@code ctx.isResuming()} true. Resuming a queued or running job does nothing (a pause not
     * yet noticed by a running job is withdrawn).
     */
    public void resume(UUID id) {
        ensureOpen("resume a job");
        controls.resume(id);
    }

    /**
     * Cancels a job: a queued or paused one at once, a running one at its next interrupt point.
     *
     * @throws IllegalJobStateException the job has already finished
     */
    public void cancel(UUID id) {
        ensureOpen("cancel a job");
        controls.cancel(id);
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
        Progress live = workers.progress(id);
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

    /** The registry this manager runs jobs from (for {@link dev.jobs.runtime.testing.TestHooks#registry(JobManager)}). */
    JobRegistry registry() {
        return registry;
    }

    /** The clock was moved by a test: delayed jobs and schedules may be due now. */
    void clockMoved() {
        workers.signal();
        if (ticker != null) {
            ticker.signal();
        }
    }

    /** Runs the schedule ticker's work on this thread (a test hook). */
    void tickSchedules() {
        if (ticker == null) {
            throw new IllegalStateException("a manager without workers does not tick schedules");
        }
        ticker.tickDue();
    }

    /**
     * The recurring schedules of this manager's store: create, change, pause, resume, delete and
     * run them now. See {@link Schedules}.
     */
    public Schedules schedules() {
        return schedules;
    }

    private void jobEnded(UUID id, String name, JobStatus status, Object output, String error) {
        results.ended(id, name, status, output, error);
        ScheduleTicker t = ticker;
        if (t != null) {
            t.jobEnded();
        }
    }

    private void storeChanged() {
        changes.onStoreChanged();
        if (ticker != null) {
            ticker.signal();
        }
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
                        query.cursorId().orElse(null),
                        query.text().orElse(null)))
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

    /** Queued, running, waiting and paused jobs, oldest first, with their latest progress (at most 10,000). */
    public List<JobInfo> active() {
        return list(JobQuery.all()
                .statuses(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.WAITING, JobStatus.PAUSED)
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
            changes.await(250);
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

    /**
     * The attempts to deliver the job's webhook notifications ({@link JobManagerBuilder#notifications}),
     * oldest first, at most 1,000: by any process on this database. They are deleted with the job.
     */
    public List<Delivery> deliveries(UUID jobId) {
        ensureOpen("read webhook deliveries");
        Objects.requireNonNull(jobId, "jobId");
        return store.deliveries(jobId, 1_000).stream()
                .map(r -> new Delivery(
                        r.delivery(),
                        r.jobId(),
                        java.net.URI.create(r.url()),
                        JobEventType.valueOf(r.event()),
                        r.attempt(),
                        Instant.ofEpochMilli(r.at()),
                        r.httpStatus() == null
                                ? java.util.OptionalInt.empty()
                                : java.util.OptionalInt.of(r.httpStatus()),
                        Optional.ofNullable(r.error()),
                        r.delivered()))
                .toList();
    }

    private java.util.concurrent.CompletableFuture<Void> recordDelivery(Delivery d) {
        return store.recordDelivery(new JobStore.DeliveryRow(
                d.deliveryId(),
                d.jobId(),
                d.url().toString(),
                d.event().name(),
                d.attempt(),
                d.at().toEpochMilli(),
                d.httpStatus().isPresent() ? d.httpStatus().getAsInt() : null,
                d.error().orElse(null),
                d.delivered()));
    }

    /** The job as stored, for a webhook's document (also while closing, unlike {@link #info}). */
    private Optional<JobInfo> storedInfo(UUID id) {
        if (this.workers == null) { // an event while the workers are being set up
            return Optional.empty();
        }
        return store.find(id).map(this::toInfo);
    }

    /** The registered name of the job class {@code type}, or null. */
    private String jobNameOf(Class<?> type) {
        return registry.all().stream()
                .filter(r -> r.jobType().equals(type))
                .map(dev.jobs.JobRegistration::name)
                .findFirst()
                .orElse(null);
    }

    /** Whether this manager runs jobs, or is a client that only dispatches, queries and controls. */
    public boolean isClient() {
        return !workers.runsJobs();
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
        if (ticker != null) {
            ticker.stop();
        }
        boolean stopped = workers.stop();
        if (watcher != null) {
            closeQuietly(watcher);
        }
        workers.close(stopped);
        if (notifier != null) {
            notifier.beforeStoreClose(Duration.ofSeconds(2)); // webhook attempts in flight are recorded
        }
        store.close(); // commits what is queued, so pending completions settle
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close(); // after the last completions have published their events
        if (notifier != null) {
            notifier.close(Duration.ofSeconds(2)); // the hooks of those events, briefly
        }
        maintenance.shutdownNow();
        results.closePending(); // handles of jobs that did not finish here: they go on at the next start
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    // ------------------------------------------------------------------ internals

    /** Runs whose final write failed and is being retried (for tests). */
    int pendingOutcomes() {
        return workers.pendingOutcomes();
    }

    /** One recovery sweep, as the background task runs it; returns the jobs it changed (tests call it directly). */
    int recoverNow() {
        return workers.recoverNow();
    }

    void ensureOpen(String action) {
        if (closed.get()) {
            throw new ManagerClosedException(action);
        }
    }

    private JobRow row(UUID id) {
        Objects.requireNonNull(id, "id");
        return store.find(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    private JobInfo toInfo(JobRow r) {
        Progress progress = workers.progress(r.id());
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
                Optional.ofNullable(r.owner()),
                Optional.ofNullable(r.control()).map(c -> c.target()),
                r.status() == JobStatus.RUNNING ? instant(r.leaseUntil()) : Optional.empty(),
                Optional.ofNullable(r.parameters()),
                Optional.ofNullable(r.rerunOf()),
                instant(r.runAt()),
                r.failures(),
                r.maxAttempts() == null ? 1 : r.maxAttempts(),
                r.failures() == 0
                        ? List.of()
                        : store.failedAttempts(r.id()).stream()
                                .map(a -> new FailedAttempt(
                                        a.attempt(),
                                        Instant.ofEpochMilli(a.at()),
                                        a.error(),
                                        Optional.ofNullable(a.trace())))
                                .toList(),
                Optional.ofNullable(r.schedule()),
                instant(r.scheduledFor()),
                Optional.ofNullable(r.uniqueKey()),
                r.limited() ? resources(r.id()) : java.util.Map.of(),
                Optional.ofNullable(r.parent()),
                Optional.ofNullable(r.chain()),
                Optional.ofNullable(r.after()));
    }

    private java.util.Map<String, Integer> resources(UUID id) {
        java.util.Map<String, Integer> m = new java.util.LinkedHashMap<>();
        store.resources(id).forEach(res -> m.put(res.key(), res.max()));
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Optional<Instant> instant(Long millis) {
        return millis == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    static ThreadFactory daemonThreads(String prefix) {
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
}
