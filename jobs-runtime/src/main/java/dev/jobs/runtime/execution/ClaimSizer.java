package dev.jobs.runtime.execution;

/**
 * How many queued jobs one claim of the scheduler asks for: a pure decision, taken by the engine
 * under its lock.
 *
 * <p>It claims only for an idle worker: while every worker is busy (or claimed jobs still wait for
 * one), queued jobs stay QUEUED, so a job dispatched later with a higher priority still goes
 * first. It claims a whole batch only while runs are short (then one transaction per job would be
 * the bottleneck); long runs are claimed one per idle worker, so that other processes sharing the
 * store get their share.
 */
final class ClaimSizer {

    /** Runs shorter than this on average are short: a claim then takes a whole batch. */
    static final long SHORT_RUN_NANOS = 20_000_000L;

    /** The average before any run was measured: until then runs count as long. */
    static final long UNMEASURED = Long.MAX_VALUE;

    private final int batch;

    /** @param claimBatch the configured batch; a batch is never smaller than the number of workers */
    ClaimSizer(int workers, int claimBatch) {
        this.batch = Math.max(workers, claimBatch);
    }

    /**
     * The number of jobs to claim now, 0 for no claim.
     *
     * @param idleWorkers workers neither running a job nor reserved for one being dispatched
     * @param claimedAhead jobs already claimed that wait for a worker
     * @param mayHaveWork false after a claim found the queue empty, until new work is signalled
     * @param averageRunNanos the moving average of recent run times ({@link #UNMEASURED} before the first)
     */
    int size(int idleWorkers, int claimedAhead, boolean mayHaveWork, long averageRunNanos) {
        if (!mayHaveWork || claimedAhead > 0 || idleWorkers <= 0) {
            return 0;
        }
        return averageRunNanos < SHORT_RUN_NANOS ? batch : idleWorkers;
    }

    /** The moving average after one more run of {@code nanos}: the first run sets it, each later one weighs an eighth. */
    static long averaged(long average, long nanos) {
        return average == UNMEASURED ? nanos : average + (nanos - average) / 8;
    }
}
