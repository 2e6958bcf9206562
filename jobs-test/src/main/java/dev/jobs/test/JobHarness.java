package dev.jobs.test;

import dev.jobs.Job;
import dev.jobs.JobHandler;
import dev.jobs.JobInterruptedException;
import dev.jobs.JobRegistration;
import dev.jobs.JobStatus;
import dev.jobs.RetryPolicy;
import dev.jobs.runtime.DispatchOptions;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobManagerBuilder;
import dev.jobs.runtime.ManagerClosedException;
import dev.jobs.runtime.codec.JsonCodec;
import dev.jobs.runtime.codec.StateCodec;
import dev.jobs.runtime.events.JobEvent;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.testing.RunObserver;
import dev.jobs.runtime.testing.SimulatedCrash;
import dev.jobs.runtime.testing.TestHooks;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a user's job in a real {@link JobManager} on a throwaway SQLite file and reports everything
 * it did, and can pause, cancel, crash or fail it at a chosen point. Get one from {@link JobTest} (JUnit
 * 5) or {@link #create(Path)}.
 *
 * <pre>{@code
 * JobRun<Integer> run = harness.run(new MyJob(items));
 * assertThat(run).isCompleted().hasOutput(3).progressIsMonotonic().reachesFullProgress();
 *
 * JobRun<Integer> crashed = harness.run(new MyJob(items), Interruption.crashAtCheckpoint(2));
 * assertThat(crashed).isCompleted().hasOutput(3).hasRestarts(1);
 *
 * harness.assertResumesCorrectly(() -> new MyJob(items));   // crash at every checkpoint
 * }</pre>
 *
 * <p>Everything is real: the job is stored, checkpointed as MessagePack, and after a crash
 * restored by a new manager from the bytes last committed, exactly as after a restart.
 */
public final class JobHarness implements AutoCloseable {

    private final Path directory;
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final AtomicInteger runs = new AtomicInteger();
    private final StateCodec codec = new StateCodec();
    private final JsonCodec json = new JsonCodec();
    private final JobRegistry registry;
    private Duration timeout = Duration.ofSeconds(60);
    private dev.jobs.runtime.JobInitializer initializer;
    private JobManager manager;

    private JobHarness(Path directory) {
        this.directory = directory;
        this.registry = JobRegistry.load(
                Thread.currentThread().getContextClassLoader() != null
                        ? Thread.currentThread().getContextClassLoader()
                        : JobHarness.class.getClassLoader());
    }

    /** A harness that keeps its databases in {@code directory}. */
    public static JobHarness create(Path directory) {
        return new JobHarness(directory);
    }

    public Path directory() {
        return directory;
    }

    /** The clock the harness's managers record times with; move it with {@link MutableClock#advance}. */
    public MutableClock clock() {
        return clock;
    }

    /**
     * How long the harness waits for each step of a run (the crash, the pause, the end) before it
     * gives up, and how long closing a manager waits for the job (default 60 s).
     */
    public JobHarness timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    /**
     * Prepares every job object the harness's managers run, as {@link
     * JobManagerBuilder#jobInitializer} does in the application: for a job that gets services in
     * {@code transient} fields. It is called on each object that runs: the first run's, and the one
     * restored after each simulated crash, pause or retry. Set it before the first run (or the
     * first {@link #manager()}).
     *
     * <pre>{@code
     * harness.jobInitializer(job -> ((ReportJob) job).mailer = new FakeMailer());
     * assertThat(harness.run(new ReportJob("weekly"), Interruption.crashAtCheckpoint(1))).isCompleted();
     * }</pre>
     */
    public JobHarness jobInitializer(dev.jobs.runtime.JobInitializer initializer) {
        this.initializer = java.util.Objects.requireNonNull(initializer, "initializer");
        return this;
    }

    /**
     * A manager on this harness's own database, for tests that drive the API directly (dispatch
     * several jobs, list, clean). Closed with the harness.
     */
    public synchronized JobManager manager() {
        if (manager == null || manager.isClosed()) {
            manager = builder(directory.resolve("manager.db")).build();
            JobManager built = manager;
            clock.onMove(() -> {
                if (!built.isClosed()) {
                    TestHooks.clockMoved(built);
                }
            });
        }
        return manager;
    }

    /** Builds a manager for one run; moving the clock wakes it until {@link #closeRunManager}. */
    private JobManager runManager(Path db, Recorder recorder, List<Runnable> unsubscribe) {
        JobManager built = TestHooks.observer(builder(db), recorder)
                .listener(recorder::onEvent)
                .build();
        unsubscribe.add(clock.onMove(() -> {
            if (!built.isClosed()) {
                TestHooks.clockMoved(built);
            }
        }));
        return built;
    }

    private static void closeRunManager(JobManager jobs, List<Runnable> unsubscribe) {
        try {
            jobs.close();
        } finally {
            unsubscribe.forEach(Runnable::run);
            unsubscribe.clear();
        }
    }

    private JobManagerBuilder builder(Path db) {
        JobManagerBuilder builder = JobManager.builder()
                .database(db)
                .workers(1)
                .clock(clock)
                .progressInterval(Duration.ZERO)
                .listenerQueueCapacity(1 << 22)
                .shutdownTimeout(timeout);
        return initializer == null ? builder : builder.jobInitializer(initializer);
    }

    /** Runs {@code job} to its end with no interruption. */
    public <O> JobRun<O> run(JobHandler<O> job) {
        return run(job, Interruption.none());
    }

    /**
     * Runs {@code job} to its end, applying {@code interruption} on the way.
     *
     * <p>A run that ends any way at all (completes, fails, is cancelled, or is ended by recovery
     * after a crash, as a non-resumable job is) ends the wait at once, with that status.
     *
     * @throws AssertionError the job swallowed the interruption: after the harness asked for a
     *     pause, cancel or crash at a point, {@code run()} returned normally, threw something else,
     *     or went on to a further checkpoint or {@code checkInterrupt()}; or a step took longer
     *     than the {@link #timeout}
     */
    public <O> JobRun<O> run(JobHandler<O> job, Interruption interruption) {
        return run(job, interruption, DispatchOptions.defaults());
    }

    /**
     * Runs {@code job} dispatched with {@code options} (for instance another retry policy, {@code
     * DispatchOptions.defaults().retry(RetryPolicy.attempts(2))}), applying {@code interruption} on
     * the way. A job waiting for a retry runs at once: the harness moves its {@link #clock()} to
     * the retry time.
     *
     * @throws AssertionError as {@link #run(JobHandler, Interruption)}
     */
    @SuppressWarnings("unchecked")
    public <O> JobRun<O> run(JobHandler<O> job, Interruption interruption, DispatchOptions options) {
        Path db = directory.resolve("run-" + runs.incrementAndGet() + ".db");
        JobRegistration<?> registration = registry.forJob(job);
        Recorder recorder = new Recorder(interruption, registration);
        long started = System.nanoTime();
        List<Runnable> unsubscribe = new ArrayList<>();
        JobManager jobs = runManager(db, recorder, unsubscribe);
        UUID id = null;
        int restarts = 0;
        int retries = 0;
        try {
            JobHandle<O> handle = jobs.dispatch(job, options);
            id = handle.id();
            recorder.watch(handle);
            while (true) {
                String signal = recorder.await(timeout);
                if (signal.equals(Recorder.SWALLOWED)) {
                    throw new AssertionError(recorder.swallowed);
                } else if (signal.equals(Recorder.CRASHED)) {
                    closeRunManager(jobs, unsubscribe);
                    restarts++;
                    jobs = runManager(db, recorder, unsubscribe);
                    // recovery may have ended the job already (a non-resumable one fails on a crash),
                    // with no event: its handle's result tells, from the stored row
                    recorder.watch(jobs.handle(id));
                } else if (signal.equals(Recorder.RETRY_SCHEDULED)) {
                    // skip the backoff: moving the clock tells the manager, which claims the job now due
                    retries++;
                    Instant retryAt = recorder.retryAt;
                    if (clock.instant().isBefore(retryAt)) {
                        clock.set(retryAt);
                    } else {
                        TestHooks.clockMoved(jobs);
                    }
                } else if (signal.equals(Recorder.PAUSED) && interruption.kind() == Interruption.Kind.PAUSE) {
                    jobs.resume(id);
                } else if (signal.equals(Recorder.ENDED) || signal.equals(Recorder.PAUSED)) {
                    break;
                }
            }
            JobInfo info = jobs.info(id);
            O output = null;
            if (info.status() == JobStatus.COMPLETED && info.output().isPresent()) {
                output = (O) json.fromJson(info.output().get(), registration.outputType());
            }
            return new JobRun<>(
                    id,
                    registration.name(),
                    registration.resumable(),
                    info.status(),
                    output,
                    info.output().orElse(null),
                    info.error().orElse(null),
                    List.copyOf(recorder.progress),
                    jobs.logs(id, 0, Integer.MAX_VALUE),
                    List.copyOf(recorder.checkpoints),
                    restarts,
                    recorder.pauses.get(),
                    retries,
                    List.copyOf(recorder.roundTripProblems),
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            closeRunManager(jobs, unsubscribe);
        }
    }

    /**
     * Proves that {@code job} gives the same output however it is interrupted: runs it once
     * uninterrupted, then crashes a fresh copy at each checkpoint (a seeded sample when there are
     * many), restarts, and compares the outputs; also pauses and resumes at each point, and checks
     * that every checkpoint's state reads back unchanged. Throws an {@link AssertionError} that
     * names the checkpoint, the state at the crash and both outputs.
     */
    public <O> ResumeReport assertResumesCorrectly(Supplier<? extends JobHandler<O>> job) {
        return verifier(job).verify();
    }

    /** The retry policy {@code job}'s type declares ({@code @Job(retry = ...)}), or none. */
    RetryPolicy retryPolicy(JobHandler<?> job) {
        Job annotation = registry.forJob(job).jobType().getAnnotation(Job.class);
        return annotation == null ? RetryPolicy.none() : RetryPolicy.of(annotation.retry());
    }

    /** A configurable resume verifier, for a custom output comparison, sample size or seed. */
    public <O> ResumeVerifier<O> verifier(Supplier<? extends JobHandler<O>> job) {
        return new ResumeVerifier<>(this, job);
    }

    @Override
    public synchronized void close() {
        if (manager != null) {
            manager.close();
        }
    }

    /**
     * Observes one run: applies the interruption, checks that the job lets it through, records
     * progress, checkpoints and round trips, and tells the waiting thread what happened.
     */
    private final class Recorder implements RunObserver {
        static final String CRASHED = "crashed";
        static final String PAUSED = "paused";
        static final String ENDED = "ended";
        static final String SWALLOWED = "swallowed";
        static final String RETRY_SCHEDULED = "retry scheduled";

        private final Interruption interruption;
        private final JobRegistration<?> registration;
        private final BlockingQueue<String> signals = new LinkedBlockingQueue<>();
        private final List<dev.jobs.Progress> progress = Collections.synchronizedList(new ArrayList<>());
        private final List<CheckpointRecord> checkpoints = Collections.synchronizedList(new ArrayList<>());
        private final List<String> roundTripProblems = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger checkpointCount = new AtomicInteger();
        private final AtomicInteger interruptCount = new AtomicInteger();
        private final AtomicInteger pauses = new AtomicInteger();
        private volatile boolean fired;
        /** The stop the harness asked for and the job has not yet let through, or null. */
        private volatile Asked asked;
        /** What the job did with the interruption it swallowed (set once, before the signal). */
        private volatile String swallowed;
        /** The time of the retry last scheduled (set before its signal). */
        private volatile Instant retryAt;

        /** Where the interruption was asked for, and the line of the job that made the call. */
        private record Asked(Interruption.Point point, int number, String calledFrom) {
            String call() {
                return point == Interruption.Point.CHECKPOINT ? "ctx.checkpoint()" : "ctx.checkInterrupt()";
            }

            String where() {
                return point == Interruption.Point.CHECKPOINT
                        ? "checkpoint " + number
                        : "checkInterrupt() call " + number;
            }
        }

        /**
         * Whether a run is of the job type under test: the children it dispatches (of other types)
         * run in the same manager, and their checkpoints are neither counted nor interrupted.
         */
        private boolean underTest(String jobName) {
            return registration.name().equals(jobName);
        }

        Recorder(Interruption interruption, JobRegistration<?> registration) {
            this.interruption = interruption;
            this.registration = registration;
        }

        @Override
        public Action afterCheckpoint(UUID jobId, String jobName, int number, byte[] state) {
            if (!underTest(jobName)) {
                return Action.CONTINUE;
            }
            int k = checkpointCount.incrementAndGet();
            Map<String, Object> decoded = codec.describe(state);
            checkpoints.add(new CheckpointRecord(k, state.length, decoded));
            checkRoundTrip(k, state, decoded);
            if (asked != null) {
                return wentOn("went on to checkpoint " + k);
            }
            return maybeFire(Interruption.Point.CHECKPOINT, k);
        }

        @Override
        public Action beforeCheckInterrupt(UUID jobId, String jobName, int number) {
            if (!underTest(jobName)) {
                return Action.CONTINUE;
            }
            int k = interruptCount.incrementAndGet();
            if (asked != null) {
                return wentOn("went on to call ctx.checkInterrupt() again (call " + k + ")");
            }
            return maybeFire(Interruption.Point.CHECK_INTERRUPT, k);
        }

        @Override
        public void afterRun(UUID jobId, String jobName, Throwable thrown) {
            if (!underTest(jobName)) {
                return;
            }
            Asked stop = asked;
            if (stop == null) {
                return; // no stop was asked of this run, or the job was reported already
            }
            asked = null;
            boolean crash = interruption.kind() == Interruption.Kind.CRASH;
            if (crash ? thrown instanceof SimulatedCrash : thrown instanceof JobInterruptedException) {
                if (crash) {
                    signals.add(CRASHED);
                }
                return;
            }
            report(
                    stop,
                    thrown == null
                            ? "caught it and returned normally from run()"
                            : "ended run() by throwing " + thrown + " instead" + wraps(thrown));
        }

        /** The job went on past the point where it was asked to stop: report it, and stop it hard. */
        private Action wentOn(String what) {
            Asked stop = asked;
            asked = null;
            report(stop, "caught it and " + what + " instead of stopping");
            // as a crash stops it: a SimulatedCrash passes a catch (Exception e), and nothing more is written
            return Action.CRASH;
        }

        private void report(Asked stop, String what) {
            boolean crash = interruption.kind() == Interruption.Kind.CRASH;
            swallowed = "the job swallowed the interruption: for a " + interruption + ", " + stop.call()
                    + (stop.calledFrom() == null ? "" : " (called from " + stop.calledFrom() + ")") + " threw "
                    + (crash
                            ? "SimulatedCrash (an Error that stands for the process dying)"
                            : "JobInterruptedException")
                    + ", but the job " + what + ".\n"
                    + (crash
                            ? "A job cannot outlive its process: catch narrower exceptions than Throwable or Error around "
                                    + "ctx.checkpoint() and ctx.checkInterrupt() (catch (Exception e) lets the crash through), "
                                    + "or rethrow what you do not handle."
                            : "Rethrow JobInterruptedException (catch (JobInterruptedException e) { throw e; } ahead of a "
                                    + "broader catch), or catch narrower exceptions than Exception or Throwable around "
                                    + "ctx.checkpoint() and ctx.checkInterrupt(), so that it propagates out of run().");
            signals.add(SWALLOWED);
        }

        private String wraps(Throwable thrown) {
            Throwable cause = thrown.getCause();
            for (int depth = 0; cause != null && depth < 20; cause = cause.getCause(), depth++) {
                if (cause instanceof JobInterruptedException || cause instanceof SimulatedCrash) {
                    return " (it wraps the " + cause.getClass().getSimpleName() + ")";
                }
            }
            return "";
        }

        private Action maybeFire(Interruption.Point point, int k) {
            if (fired
                    || interruption.kind() == Interruption.Kind.NONE
                    || interruption.point() != point
                    || interruption.number() != k) {
                return Action.CONTINUE;
            }
            fired = true;
            if (interruption.kind() == Interruption.Kind.FAIL) {
                // thrown out of the job's ctx.checkpoint() or ctx.checkInterrupt() call, as if its own
                // code had thrown there: the runtime fails the attempt and its retry policy applies. A
                // job may catch it as it may catch its own exceptions; nothing is asked of it.
                throw new InjectedFailure(interruption);
            }
            asked = new Asked(point, k, calledFrom());
            return switch (interruption.kind()) {
                case CRASH -> Action.CRASH;
                case PAUSE -> Action.PAUSE;
                case CANCEL -> Action.CANCEL;
                case NONE, FAIL -> Action.CONTINUE;
            };
        }

        /** The first frame on this (the job's) thread outside the harness and the runtime: the job's call. */
        private String calledFrom() {
            return StackWalker.getInstance()
                    .walk(frames -> frames.filter(f -> !f.getClassName().startsWith(JobHarness.class.getName())
                                    && !f.getClassName().startsWith("dev.jobs.runtime."))
                            .findFirst()
                            .map(f -> f.toStackTraceElement().toString())
                            .orElse(null));
        }

        private void checkRoundTrip(int k, byte[] state, Map<String, Object> decoded) {
            try {
                JobHandler<?> restored = codec.decode(registration, registration.version(), state);
                Map<String, Object> again = codec.describe(codec.encode(restored));
                if (!again.equals(decoded)) {
                    roundTripProblems.add("checkpoint " + k + ": the state read back differs\n  saved:     " + decoded
                            + "\n  read back: " + again);
                }
            } catch (RuntimeException e) {
                roundTripProblems.add("checkpoint " + k + ": the saved state cannot be read back: " + e.getMessage()
                        + "\n  saved: " + decoded);
            }
        }

        void onEvent(JobEvent event) {
            if (!underTest(event.jobName())) {
                return; // a child's event
            }
            if (event instanceof JobEvent.ProgressUpdated p) {
                progress.add(p.progress());
            } else if (event instanceof JobEvent.RetryScheduled r) {
                retryAt = r.retryAt();
                signals.add(RETRY_SCHEDULED);
            } else if (event instanceof JobEvent.Paused) {
                pauses.incrementAndGet();
                signals.add(PAUSED);
            } else if (event instanceof JobEvent.Completed
                    || event instanceof JobEvent.Failed
                    || event instanceof JobEvent.Cancelled) {
                signals.add(ENDED);
            }
        }

        /**
         * Ends the wait when the job ends in a way no event reports, such as recovery failing a
         * non-resumable job after a crash. The future completes with ManagerClosedException when
         * the harness closes the manager for a restart; that is no end of the job.
         */
        void watch(JobHandle<?> handle) {
            handle.result().whenComplete((output, failure) -> {
                if (!(failure instanceof ManagerClosedException)
                        && !(failure != null && failure.getCause() instanceof ManagerClosedException)) {
                    signals.add(ENDED);
                }
            });
        }

        String await(Duration timeout) {
            try {
                String signal = signals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (signal == null) {
                    Asked stop = asked;
                    throw new AssertionError(
                            stop != null
                                    ? "the job did not stop within " + timeout + " after " + stop.call() + " threw at "
                                            + stop.where() + " (" + interruption
                                            + "): does it catch the interruption and carry on without calling "
                                            + "ctx.checkpoint() or ctx.checkInterrupt() again?"
                                    : "the job did not finish within " + timeout + " (" + interruption
                                            + "); does it call ctx.checkInterrupt() and return?");
                }
                return signal;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the job", e);
            }
        }
    }
}
