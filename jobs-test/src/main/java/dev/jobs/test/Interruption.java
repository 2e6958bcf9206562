package dev.jobs.test;

/**
 * What to do to a job during {@link JobHarness#run(dev.jobs.JobHandler, Interruption)}: nothing, or
 * pause, cancel, crash or fail it at its k-th checkpoint or k-th {@code checkInterrupt()} call
 * (counted from 1, across restarts and retries).
 *
 * <pre>{@code
 * harness.run(new MyJob(), Interruption.crashAtCheckpoint(3));   // restarts and finishes
 * harness.run(new MyJob(), Interruption.pauseAtCheckInterrupt(10)); // resumes and finishes
 * harness.run(new MyJob(), Interruption.cancelAtCheckpoint(1));  // ends CANCELLED
 * harness.run(new MyJob(), Interruption.failAtCheckpoint(2));    // retried if its policy says so
 * }</pre>
 *
 * <p>After a crash the harness throws the job object away, opens a new manager on the same
 * database (exactly as a restart would), and lets recovery resume the job from the state last
 * committed. After a pause it resumes the job. Either way the run goes on to the job's end.
 *
 * <p>A failure throws an {@link InjectedFailure} out of the job's {@code checkpoint()} (after the
 * checkpoint committed) or {@code checkInterrupt()} call, as if the job's own code had thrown
 * there. The job's retry policy then applies: with attempts left the job is queued again for its
 * backoff, which the harness skips by moving its {@link MutableClock} to the retry time, and the
 * retry continues from the last checkpoint (or from the start, for a policy with {@code restart});
 * without a retry the run ends FAILED.
 */
public record Interruption(Kind kind, Point point, int number) {

    /** What happens to the job. */
    public enum Kind {
        NONE,
        PAUSE,
        CANCEL,
        CRASH,
        /** The job throws an {@link InjectedFailure}; its retry policy decides what follows. */
        FAIL
    }

    /** Where it happens. */
    public enum Point {
        CHECKPOINT,
        CHECK_INTERRUPT
    }

    public Interruption {
        if (kind != Kind.NONE && number < 1) {
            throw new IllegalArgumentException("points are counted from 1, was " + number);
        }
    }

    public static Interruption none() {
        return new Interruption(Kind.NONE, Point.CHECKPOINT, 0);
    }

    public static Interruption crashAtCheckpoint(int k) {
        return new Interruption(Kind.CRASH, Point.CHECKPOINT, k);
    }

    public static Interruption crashAtCheckInterrupt(int k) {
        return new Interruption(Kind.CRASH, Point.CHECK_INTERRUPT, k);
    }

    public static Interruption pauseAtCheckpoint(int k) {
        return new Interruption(Kind.PAUSE, Point.CHECKPOINT, k);
    }

    public static Interruption pauseAtCheckInterrupt(int k) {
        return new Interruption(Kind.PAUSE, Point.CHECK_INTERRUPT, k);
    }

    public static Interruption cancelAtCheckpoint(int k) {
        return new Interruption(Kind.CANCEL, Point.CHECKPOINT, k);
    }

    public static Interruption cancelAtCheckInterrupt(int k) {
        return new Interruption(Kind.CANCEL, Point.CHECK_INTERRUPT, k);
    }

    /** Throws an {@link InjectedFailure} out of the k-th {@code checkpoint()}, after it committed. */
    public static Interruption failAtCheckpoint(int k) {
        return new Interruption(Kind.FAIL, Point.CHECKPOINT, k);
    }

    /** Throws an {@link InjectedFailure} out of the k-th {@code checkInterrupt()} call. */
    public static Interruption failAtCheckInterrupt(int k) {
        return new Interruption(Kind.FAIL, Point.CHECK_INTERRUPT, k);
    }

    @Override
    public String toString() {
        String at = (point == Point.CHECKPOINT ? "checkpoint " : "checkInterrupt() ") + number;
        return switch (kind) {
            case NONE -> "no interruption";
            case FAIL -> "failure injected at " + at;
            default -> kind.name().toLowerCase(java.util.Locale.ROOT) + " at " + at;
        };
    }
}
