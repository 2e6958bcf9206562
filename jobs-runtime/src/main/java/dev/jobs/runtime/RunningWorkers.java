package dev.jobs.runtime;

import dev.jobs.Progress;
import dev.jobs.runtime.execution.Engine;
import dev.jobs.runtime.execution.Recovery;
import dev.jobs.runtime.maintenance.LeaseKeeper;
import dev.jobs.runtime.maintenance.Maintenance;
import dev.jobs.runtime.maintenance.MaintenanceTask;
import dev.jobs.runtime.maintenance.RecoverySweep;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.Control;
import dev.jobs.runtime.store.JobRow;
import dev.jobs.runtime.store.JobStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of a manager that runs jobs: the {@link Engine} and its pool, this process's owner
 * row and lease, recovery of owners that are gone, and the background tasks.
 */
final class RunningWorkers implements Workers {

    static final Kind KIND = new Kind() {
        @Override
        public List<String> runnableNames(JobRegistry registry) {
            return registry.names();
        }

        @Override
        public Workers create(Setup setup) {
            return new RunningWorkers(setup);
        }
    };

    /** JobManager's: its warnings at close() keep the logger they always had. */
    private static final Logger LOG = LoggerFactory.getLogger(JobManager.class);

    private final JobStore store;
    private final String owner;
    private final String host;
    private final long startedAt = System.currentTimeMillis();
    private final Duration lease;
    private final Duration shutdownTimeout;
    private final List<JobRow> unresolved;
    private final ScheduledExecutorService leases;
    private final ScheduledExecutorService maintenance;
    private final ExecutorService ownedExecutor;
    private final Engine engine;
    private final RecoverySweep recoverySweep;
    private final List<MaintenanceTask> tasks;

    private RunningWorkers(Setup s) {
        JobManagerBuilder b = s.options();
        this.store = s.store();
        this.owner = s.owner();
        this.host = hostName();
        this.lease = b.lease;
        this.shutdownTimeout = b.shutdownTimeout;
        this.maintenance = s.maintenance();
        long now = System.currentTimeMillis();
        // at start, only jobs of processes known to be gone; expired leases from the first background sweep on
        new Recovery(store, s.registry(), host, owner, b.maxLostRuns).run(false);
        store.registerOwner(owner, host, ProcessHandle.current().pid(), now, now + lease.toMillis());
        this.unresolved = store.unresolved();

        this.leases = Executors.newSingleThreadScheduledExecutor(JobManager.daemonThreads("jobs-lease-"));
        Executor executor = b.executor;
        if (executor == null) {
            ThreadFactory factory =
                    b.threadFactory != null ? b.threadFactory : JobManager.daemonThreads("jobs-worker-");
            this.ownedExecutor = Executors.newFixedThreadPool(b.workers, factory);
            executor = ownedExecutor;
        } else {
            this.ownedExecutor = null;
        }
        this.engine = new Engine(
                store,
                s.codec(),
                s.json(),
                s.registry(),
                owner,
                s.dataDirectory(),
                executor,
                b.workers,
                lease,
                s.ended(),
                s.events(),
                s.clock(),
                b.observer,
                b.claimBatch,
                s.callbacks(),
                b.maxUnwrittenCompletions,
                s.relatives(),
                b.jobInitializer,
                b.instrumentation);
        this.recoverySweep = new RecoverySweep(
                new Recovery(store, s.registry(), host, owner, b.maxLostRuns), engine::leaseSteady, engine::signal);
        Duration renewal = LeaseKeeper.period(lease);
        this.tasks = new ArrayList<>(List.of(
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
        if (s.retention().automatic()) {
            tasks.add(new MaintenanceTask(
                    "automatic retention",
                    MaintenanceTask.Lane.BACKGROUND,
                    Duration.ZERO,
                    b.retentionPeriod,
                    s.retention()));
        }
    }

    @Override
    public boolean runsJobs() {
        return true;
    }

    @Override
    public List<JobRow> unresolved() {
        return unresolved;
    }

    @Override
    public void start() {
        Maintenance.start(tasks, leases, maintenance);
        engine.start("jobs-scheduler");
    }

    @Override
    public Reservation reserveIdleWorker() {
        if (!engine.reserveIdleWorker()) {
            return null;
        }
        long epoch = engine.leaseEpoch();
        return new Reservation() {
            @Override
            public long leaseUntil() {
                return System.currentTimeMillis() + lease.toMillis();
            }

            @Override
            public void start(ClaimedJob job) {
                engine.startReserved(job, epoch);
            }

            @Override
            public void release() {
                engine.releaseReservation();
            }
        };
    }

    @Override
    public void signal() {
        engine.signal();
    }

    @Override
    public void wakeBy(long runAtMillis) {
        engine.wakeBy(runAtMillis);
    }

    @Override
    public void request(UUID id, Control control) {
        engine.request(id, control);
    }

    @Override
    public void withdrawPause(UUID id) {
        engine.withdrawPause(id);
    }

    @Override
    public Progress progress(UUID id) {
        return engine.progress(id);
    }

    @Override
    public boolean runsHere(UUID id) {
        return engine.runsHere(id);
    }

    @Override
    public boolean runsAny() {
        return !engine.runningIds().isEmpty();
    }

    @Override
    public int runningCount() {
        return engine.runningCount();
    }

    @Override
    public boolean hasFreeWorker() {
        return engine.hasFreeWorker();
    }

    @Override
    public int pendingOutcomes() {
        return engine.pendingOutcomes();
    }

    @Override
    public int recoverNow() {
        return recoverySweep.sweep();
    }

    @Override
    public boolean stop() {
        return engine.stop(shutdownTimeout);
    }

    @Override
    public void close(boolean stopped) {
        leases.shutdownNow();
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        if (stopped) {
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
}
