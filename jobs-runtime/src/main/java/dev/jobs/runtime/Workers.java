package dev.jobs.runtime;

import dev.jobs.Progress;
import dev.jobs.runtime.codec.JsonCodec;
import dev.jobs.runtime.codec.StateCodec;
import dev.jobs.runtime.events.EventBus;
import dev.jobs.runtime.execution.JobEndListener;
import dev.jobs.runtime.maintenance.Retention;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.Control;
import dev.jobs.runtime.store.JobRow;
import dev.jobs.runtime.store.JobStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What runs jobs in this process, or nothing: the one difference between a manager that runs jobs
 * ({@link RunningWorkers}) and a client ({@link NoWorkers}, {@code builder().client()}).
 * {@link JobManager} picks the {@link Kind} once, at construction; nothing else asks which it is.
 */
interface Workers {

    /** How a manager gets its workers. */
    interface Kind {
        /** The job names the store may claim for this manager. */
        List<String> runnableNames(JobRegistry registry);

        /**
         * Recovers the jobs of owners that are gone and registers this manager as an owner, as
         * needed, before any worker or background task starts (they start at {@link #start()}).
         */
        Workers create(Setup setup);
    }

    /** What the workers are made of; shared with the rest of the manager. */
    record Setup(
            JobManagerBuilder options,
            JobStore store,
            JobRegistry registry,
            StateCodec codec,
            JsonCodec json,
            EventBus events,
            Clock clock,
            String owner,
            Path dataDirectory,
            JobEndListener ended,
            Executor callbacks,
            ScheduledExecutorService maintenance,
            Retention retention,
            dev.jobs.runtime.execution.Relatives relatives) {}

    /**
     * An idle worker held for one job being dispatched right now: the job is inserted already
     * claimed and handed to it, with no claim round trip (see {@link Dispatcher}).
     */
    interface Reservation {
        /** When the claim of a row inserted now ends unless renewed (wall-clock millis). */
        long leaseUntil();

        /** Runs the job that was inserted as claimed on the reserved worker. */
        void start(ClaimedJob job);

        /** Gives the worker back (the job was queued behind others, or the insert failed). */
        void release();
    }

    /** Whether this process runs jobs; false for a client. */
    boolean runsJobs();

    /** Active jobs found at the start whose name no registered job has. */
    List<JobRow> unresolved();

    /** Starts the background tasks and the scheduler. */
    void start();

    /** An idle worker for a job being dispatched now, or null when none is idle. */
    Reservation reserveIdleWorker();

    /** There may be work to claim. */
    void signal();

    /** A delayed job becomes due at {@code runAtMillis} (the manager's clock): claim no later than then. */
    void wakeBy(long runAtMillis);

    /** Tells the run of {@code id} here, if any, that {@code control} was asked. */
    void request(UUID id, Control control);

    /** Tells the run of {@code id} here, if any, that its pause was withdrawn. */
    void withdrawPause(UUID id);

    /** The in-memory progress of a job running here, or null. */
    Progress progress(UUID id);

    /** Whether the job runs here, or its end is being committed here. */
    boolean runsHere(UUID id);

    /** Whether any job runs here. */
    boolean runsAny();

    /** How many jobs run on this manager's workers now (0 for a client). */
    int runningCount();

    /** Whether a worker is free to take a job. */
    boolean hasFreeWorker();

    /** Runs whose final write failed and is being retried (for tests). */
    int pendingOutcomes();

    /** One recovery sweep, as the background task runs it; the number of jobs it changed (for tests). */
    int recoverNow();

    /**
     * Stops claiming, asks running jobs to stop at their next interrupt point and waits for them
     * up to the shutdown timeout; returns whether every run ended.
     */
    boolean stop();

    /** Stops the background tasks and the worker pool and gives up the owner row (if {@code stopped}). */
    void close(boolean stopped);
}
