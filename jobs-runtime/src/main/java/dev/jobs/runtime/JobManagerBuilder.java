package dev.jobs.runtime;

import dev.jobs.runtime.events.JobListener;
import dev.jobs.runtime.notify.Notifications;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.testing.RunObserver;
import dev.jobs.runtime.testing.TestHooks;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

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
public final class JobManagerBuilder {
    Path database;
    dev.jobs.runtime.store.JobStoreFactory store;
    int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    SynchronousMode synchronous = SynchronousMode.FULL;
    Duration busyTimeout = Duration.ofSeconds(10);
    Duration shutdownTimeout = Duration.ofSeconds(30);
    Duration lease = Duration.ofSeconds(15);
    ClassLoader classLoader = Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader()
            : JobManager.class.getClassLoader();
    JobRegistry registry;
    ThreadFactory threadFactory;
    Executor executor;
    Path dataDirectory;
    int writeBatchSize = 512;
    int claimBatch = 256;
    int maxLostRuns = 3;
    int maxUnwrittenCompletions = 256;
    boolean client;
    Duration progressInterval = Duration.ofMillis(100);
    int listenerQueueCapacity = 4096;
    Duration changePollInterval = Duration.ofMillis(200);
    Duration retentionMaxAge;
    int retentionMaxCount;
    Duration retentionPeriod = Duration.ofHours(1);
    Clock clock = Clock.systemUTC();
    RunObserver observer;
    final List<JobListener> listeners = new ArrayList<>();
    Notifications notifications = Notifications.none();
    JobInitializer jobInitializer;
    dev.jobs.runtime.metrics.Instrumentation instrumentation;

    static {
        TestHooks.install(new Hooks()); // before any builder exists, so before any hook is called
        dev.jobs.runtime.metrics.MetricsHooks.install((builder, instrumentation) ->
                builder.instrumentation = Objects.requireNonNull(instrumentation, "instrumentation"));
    }

    JobManagerBuilder() {}

    /**
     * A listener subscribed before the manager recovers or runs anything, so it also sees the
     * events of jobs resumed at startup (which {@link JobManager#addListener} could miss).
     */
    public JobManagerBuilder listener(JobListener listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * The clock for the times recorded with jobs (created, started, completed, checkpoints,
     * log lines) and for {@link JobManager#clean}'s cutoff. Leases always use the system
     * clock. For tests that control time.
     */
    public JobManagerBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Opens the manager as a client: it runs no workers and recovers nothing, but can dispatch,
     * list, read logs, and pause, resume or cancel jobs that a worker process runs. For tools
     * such as a CLI next to a long-running worker.
     */
    public JobManagerBuilder client() {
        this.client = true;
        return this;
    }

    /** The shortest time between two progress events of one job sent to listeners (default 100 ms). */
    public JobManagerBuilder progressInterval(Duration interval) {
        this.progressInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /** How many progress and log events a slow listener may have queued before new ones are dropped (default 4096). */
    public JobManagerBuilder listenerQueueCapacity(int capacity) {
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
    public JobManagerBuilder changePollInterval(Duration interval) {
        this.changePollInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /** Deletes finished jobs older than {@code maxAge} automatically, at start and every hour. */
    public JobManagerBuilder retainFinishedFor(Duration maxAge) {
        this.retentionMaxAge = Objects.requireNonNull(maxAge, "maxAge");
        return this;
    }

    /** Keeps only the newest {@code count} finished jobs, checked at start and every hour. */
    public JobManagerBuilder retainFinishedCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        this.retentionMaxCount = count;
        return this;
    }

    /** How often automatic retention runs (default one hour). */
    public JobManagerBuilder retentionPeriod(Duration period) {
        this.retentionPeriod = Objects.requireNonNull(period, "period");
        return this;
    }

    /** The SQLite file; created with its directory if missing. */
    public JobManagerBuilder database(Path file) {
        this.store = null;
        this.database = Objects.requireNonNull(file, "file");
        return this;
    }

    /** How many jobs run at once (default: the number of processors, at least 2). */
    public JobManagerBuilder workers(int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        }
        this.workers = workers;
        return this;
    }

    /** What a commit survives; {@link SynchronousMode#FULL} (power cuts) by default. */
    public JobManagerBuilder synchronous(SynchronousMode mode) {
        this.synchronous = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** How long to wait for another process's write lock before failing (default 10 s). */
    public JobManagerBuilder busyTimeout(Duration timeout) {
        this.busyTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /** How long {@link JobManager#close()} waits for running jobs to stop (default 30 s). */
    public JobManagerBuilder shutdownTimeout(Duration timeout) {
        this.shutdownTimeout = Objects.requireNonNull(timeout, "timeout");
        return this;
    }

    /**
     * How long this manager's claim on its running jobs lasts without renewal (default 15 s;
     * renewed every third of it). Another manager on the same file takes over the jobs of an
     * owner whose lease expired; a dead process on the same host is detected at once.
     */
    public JobManagerBuilder leaseDuration(Duration lease) {
        if (lease.toMillis() < 30) {
            throw new IllegalArgumentException("lease must be at least 30 ms, was " + lease);
        }
        this.lease = lease;
        return this;
    }

    /** Where to look for job registrations (default: the context class loader). */
    public JobManagerBuilder classLoader(ClassLoader loader) {
        this.classLoader = Objects.requireNonNull(loader, "loader");
        return this;
    }

    /** Threads for the built-in worker pool (for example to name them or set priorities). */
    public JobManagerBuilder threadFactory(ThreadFactory factory) {
        this.threadFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /**
     * Runs jobs on the host's executor, for example {@code Executors.newVirtualThreadPerTaskExecutor()}
     * on a newer JDK. At most {@link #workers(int)} jobs are given to it at once; the host shuts it down.
     */
    public JobManagerBuilder executor(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
        return this;
    }

    /** The parent of each job's {@code ctx.dataDir()} (default: {@code <database>.data} beside the file). */
    public JobManagerBuilder dataDirectory(Path directory) {
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
    public JobManagerBuilder claimBatch(int jobs) {
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
    public JobManagerBuilder maxLostRuns(int runs) {
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
    public JobManagerBuilder maxUnwrittenCompletions(int completions) {
        if (completions < 1) {
            throw new IllegalArgumentException("maxUnwrittenCompletions must be at least 1, was " + completions);
        }
        this.maxUnwrittenCompletions = completions;
        return this;
    }

    /** Most writes committed together in one transaction (default 512). */
    public JobManagerBuilder writeBatchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + size);
        }
        this.writeBatchSize = size;
        return this;
    }

    /**
     * Hooks and webhooks run when a job completes, fails, is cancelled, waits for a retry or
     * pauses: once per event, in the process that recorded it, on threads of their own (a hook
     * never delays or fails a job). Replaces any given before. See {@link Notifications} and
     * {@code docs/notifications.md}.
     *
     * <pre>{@code
     * JobManager jobs = JobManager.builder()
     *         .database(Path.of("jobs.db"))
     *         .notifications(Notifications.builder()
     *                 .onFailure(e -> alerts.send(e.jobName() + " failed"))
     *                 .onComplete("send_report", e -> metrics.increment("reports"))
     *                 .webhook(Webhook.to("https://ops.example.com/jobs").secret(secret).build())
     *                 .build())
     *         .build();
     * }</pre>
     */
    public JobManagerBuilder notifications(Notifications notifications) {
        this.notifications = Objects.requireNonNull(notifications, "notifications");
        return this;
    }

    /**
     * Prepares every job object before its {@code run()}: after it is made for a first run, and
     * after it is restored for a resume (pause, restart, crash) or a retry. This is how jobs get
     * the host's services: the initializer fills {@code transient} fields, which are never saved
     * with the job. Replaces any given before; none by default. See {@link JobInitializer}.
     *
     * <pre>{@code
     * JobManager jobs = JobManager.builder()
     *         .database(Path.of("jobs.db"))
     *         .jobInitializer(beanFactory::autowireBean)   // Spring; Guice: injector::injectMembers
     *         .build();
     * }</pre>
     */
    public JobManagerBuilder jobInitializer(JobInitializer initializer) {
        this.jobInitializer = Objects.requireNonNull(initializer, "initializer");
        return this;
    }

    /**
     * Keeps the jobs in the store {@code factory} opens instead of a SQLite file (replaces a
     * {@link #database(Path)}): a store module's, such as a server database shared by several
     * machines. Give a {@link #dataDirectory(Path)} too unless the store has a place for it.
     */
    public JobManagerBuilder store(dev.jobs.runtime.store.JobStoreFactory factory) {
        this.database = null;
        this.store = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /** Opens the database, migrates it, recovers interrupted jobs and starts the workers. */
    public JobManager build() {
        if (database == null && store == null) {
            throw new IllegalStateException(
                    "JobManager.builder() needs .database(Path) (or .store(factory)) before build()");
        }
        return new JobManager(this);
    }

    /** What {@link TestHooks} may do, without reflection: set the test-only options, read a manager's registry. */
    private static final class Hooks implements TestHooks.Access {
        @Override
        public void registry(JobManagerBuilder builder, JobRegistry registry) {
            builder.registry = Objects.requireNonNull(registry, "registry");
        }

        @Override
        public void observer(JobManagerBuilder builder, RunObserver observer) {
            builder.observer = Objects.requireNonNull(observer, "observer");
        }

        @Override
        public JobRegistry registry(JobManager manager) {
            return manager.registry();
        }

        @Override
        public void clockMoved(JobManager manager) {
            manager.clockMoved();
        }

        @Override
        public void tickSchedules(JobManager manager) {
            manager.tickSchedules();
        }
    }
}
