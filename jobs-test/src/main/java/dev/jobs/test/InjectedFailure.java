package dev.jobs.test;

/**
 * The exception the harness throws through a job for {@link Interruption#failAtCheckpoint} and
 * {@link Interruption#failAtCheckInterrupt}: it comes out of the job's {@code ctx.checkpoint()} or
 * {@code ctx.checkInterrupt()} call as if the job's own code had thrown there, so the runtime
 * treats it as any failure of the job, and the job's retry policy decides whether it is tried
 * again. It is a plain {@link RuntimeException}, retried by every policy that does not narrow
 * what it retries ({@code retryOn}, {@code noRetryFor}).
 */
public final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Interruption where;

    InjectedFailure(Interruption where) {
        super("failure injected by the test harness at "
                + (where.point() == Interruption.Point.CHECKPOINT ? "checkpoint " : "checkInterrupt() call ")
                + where.number());
        this.where = where;
    }

    /** The interruption that asked for this failure. */
    public Interruption where() {
        return where;
    }
}
