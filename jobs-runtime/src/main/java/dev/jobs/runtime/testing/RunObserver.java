package dev.jobs.runtime.testing;

import java.util.UUID;

/**
 * Sees every checkpoint and every {@code checkInterrupt()} of the jobs a manager runs, and may
 * stop the job right there; then sees how the job's {@code run()} ended. This is the hook the {@code jobs-test} harness uses to pause, cancel or
 * crash a job at its k-th checkpoint; production code has no reason to set one.
 *
 * <p>Called on the job's worker thread; keep it fast.
 */
public interface RunObserver {

    /** What to do to the job at this point. */
    enum Action {
        /** Nothing: the job goes on. */
        CONTINUE,
        /** Pause the job here, as {@code JobManager.pause} would. */
        PAUSE,
        /** Cancel the job here, as {@code JobManager.cancel} would. */
        CANCEL,
        /**
         * Simulate the process dying here: the run ends at once with nothing more written, the job's
         * row stays RUNNING, and only a new manager (after a restart) can resume it from what was
         * committed.
         */
        CRASH
    }

    /**
     * After the {@code number}-th checkpoint of this run was committed.
     *
     * @param state the MessagePack bytes that were committed
     */
    default Action afterCheckpoint(UUID jobId, String jobName, int number, byte[] state) {
        return Action.CONTINUE;
    }

    /** Before the {@code number}-th explicit {@code checkInterrupt()} call of this run does its check. */
    default Action beforeCheckInterrupt(UUID jobId, String jobName, int number) {
        return Action.CONTINUE;
    }

    /**
     * After the job's {@code run()} returned or threw, before the runtime records anything. This
     * is how an observer tells that a job let a requested stop through, or swallowed it: after a
     * {@link Action#PAUSE} or {@link Action#CANCEL}, {@code run()} should have thrown the
     * {@code JobInterruptedException}, and after a {@link Action#CRASH} the {@link SimulatedCrash}.
     *
     * @param thrown what {@code run()} threw, or null if it returned normally
     */
    default void afterRun(UUID jobId, String jobName, Throwable thrown) {}
}
