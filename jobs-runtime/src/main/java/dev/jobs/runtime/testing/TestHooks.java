package dev.jobs.runtime.testing;

import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.JobManagerBuilder;
import dev.jobs.runtime.registry.JobRegistry;
import java.util.Objects;

/**
 * Options and views that only tests need, kept out of the public {@link JobManagerBuilder} and
 * {@link JobManager}: a registry given by hand, a {@link RunObserver}, and the registry a manager
 * runs jobs from. For the {@code jobs-test} harness and the library's own tests; this package is
 * not meant for applications.
 *
 * <pre>{@code
 * JobManager jobs = TestHooks.observer(JobManager.builder().database(db), recorder).build();
 * }</pre>
 */
public final class TestHooks {

    /**
     * What the hooks can do to a builder or a manager. {@link JobManagerBuilder} implements it and
     * installs it when its class is initialised, which happens before any builder exists.
     */
    public interface Access {
        void registry(JobManagerBuilder builder, JobRegistry registry);

        void observer(JobManagerBuilder builder, RunObserver observer);

        JobRegistry registry(JobManager manager);

        void clockMoved(JobManager manager);

        void tickSchedules(JobManager manager);
    }

    private static volatile Access access;

    private TestHooks() {}

    /**
     * Called once, by {@link JobManagerBuilder}'s static initialiser; any later call fails.
     *
     * @throws IllegalStateException an implementation is installed already
     */
    public static synchronized void install(Access implementation) {
        Objects.requireNonNull(implementation, "implementation");
        if (access != null) {
            throw new IllegalStateException("the test hooks are installed already");
        }
        access = implementation;
    }

    /** Makes {@code builder} use exactly these job types instead of looking them up with ServiceLoader. */
    public static JobManagerBuilder registry(JobManagerBuilder builder, JobRegistry registry) {
        access().registry(Objects.requireNonNull(builder, "builder"), registry);
        return builder;
    }

    /** Gives {@code builder} a hook at every checkpoint and interrupt check (the jobs-test harness uses it). */
    public static JobManagerBuilder observer(JobManagerBuilder builder, RunObserver observer) {
        access().observer(Objects.requireNonNull(builder, "builder"), observer);
        return builder;
    }

    /** The registry {@code manager} runs jobs from. */
    public static JobRegistry registry(JobManager manager) {
        return access().registry(Objects.requireNonNull(manager, "manager"));
    }

    /**
     * Tells {@code manager} that a test moved its clock ({@link JobManagerBuilder#clock}): its
     * scheduler, which may be sleeping until a delayed job's run time measured on that clock,
     * looks again at once and claims the jobs now due.
     */
    public static void clockMoved(JobManager manager) {
        access().clockMoved(Objects.requireNonNull(manager, "manager"));
    }

    /**
     * Looks at the recurring schedules of {@code manager} now, on the caller's thread, and returns
     * once every tick due on the manager's clock has its job (or was dropped by its policy): a test
     * that moved the clock knows what the ticks did without waiting for the ticker's thread.
     *
     * @throws IllegalStateException the manager does not tick (it has no workers)
     */
    public static void tickSchedules(JobManager manager) {
        access().tickSchedules(Objects.requireNonNull(manager, "manager"));
    }

    private static Access access() {
        Access installed = access;
        if (installed == null) {
            // unreachable with a builder or manager in hand: creating one initialises JobManagerBuilder
            throw new IllegalStateException("JobManagerBuilder has not installed the test hooks");
        }
        return installed;
    }
}
