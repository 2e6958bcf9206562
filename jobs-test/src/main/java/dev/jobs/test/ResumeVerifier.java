package dev.jobs.test;

import dev.jobs.JobHandler;
import dev.jobs.JobStatus;
import dev.jobs.RetryPolicy;
import dev.jobs.runtime.DispatchOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * Crashes (and pauses, and fails) a job at each of its checkpoints and checks it still gives the
 * output of an uninterrupted run. Get one from {@link JobHarness#verifier}.
 *
 * <pre>{@code
 * harness.verifier(() -> new IndexJob(root))
 *        .comparingOutputsWith((expected, actual) -> expected.files() == actual.files())
 *        .maxPoints(20).seed(42)
 *        .verify();
 * }</pre>
 */
public final class ResumeVerifier<O> {

    private final JobHarness harness;
    private final Supplier<? extends JobHandler<O>> job;
    private BiPredicate<O, O> sameOutput = Objects::equals;
    private int maxPoints = 25;
    private long seed = defaultSeed();
    private boolean checkPauses = true;
    private boolean checkResumePoint = true;
    /** Null: check failures when the job type's retry policy retries. */
    private Boolean checkFailures;

    /**
     * The policy a failure run is dispatched with when the job's own does not retry an
     * {@link InjectedFailure}: one retry, at once (the harness skips the delay anyway).
     */
    static final RetryPolicy FAILURE_CHECK_POLICY = RetryPolicy.attempts(2).withJitter(0);

    ResumeVerifier(JobHarness harness, Supplier<? extends JobHandler<O>> job) {
        this.harness = harness;
        this.job = job;
    }

    /** How to tell two outputs are the same (default {@code equals}). */
    public ResumeVerifier<O> comparingOutputsWith(BiPredicate<O, O> sameOutput) {
        this.sameOutput = Objects.requireNonNull(sameOutput);
        return this;
    }

    /** At most this many checkpoints are tried, always including the first and the last (default 25). */
    public ResumeVerifier<O> maxPoints(int maxPoints) {
        if (maxPoints < 1) {
            throw new IllegalArgumentException("maxPoints must be at least 1");
        }
        this.maxPoints = maxPoints;
        return this;
    }

    /**
     * The system property that sets the default seed, so that a failure seen elsewhere (in CI)
     * replays without a code change: {@code -Djobs.test.seed=N}.
     */
    public static final String SEED_PROPERTY = "jobs.test.seed";

    /** The value of {@link #SEED_PROPERTY} if set, else {@code System.nanoTime()}. */
    static long defaultSeed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed == null || fixed.isBlank()) {
            return System.nanoTime();
        }
        try {
            return Long.parseLong(fixed.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "-D" + SEED_PROPERTY + " must be a whole number, was '" + fixed + "'", e);
        }
    }

    /**
     * The seed of the sample of checkpoints when there are more than {@link #maxPoints} (default:
     * {@code -Djobs.test.seed=N} if given, else {@code System.nanoTime()}). Failures name it.
     */
    public ResumeVerifier<O> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Whether to also pause and resume at each point (default true). */
    public ResumeVerifier<O> checkPauses(boolean checkPauses) {
        this.checkPauses = checkPauses;
        return this;
    }

    /**
     * Whether to check that a run resumed from checkpoint k makes exactly as many further
     * checkpoints as the uninterrupted run makes after its k-th (default true). A job that
     * forgets its position (keeps it in a transient or static field, or resets it in
     * {@code run}) and silently starts over gives the right output but redoes the work; this
     * check catches it. Turn it off only for a job whose number of checkpoints depends on
     * timing rather than on its work.
     */
    public ResumeVerifier<O> checkResumePoint(boolean checkResumePoint) {
        this.checkResumePoint = checkResumePoint;
        return this;
    }

    /**
     * Whether to also inject a failure at each point and check that the job, retried, completes
     * with the uninterrupted output (default: when the job type's retry policy retries, {@code
     * @Job(retry = @Retry(...))}). A retry continues from the last checkpoint as a restart after a
     * crash does, but in the same process, with a new job object restored from the saved state;
     * under a policy with {@code restart} it starts from the state as dispatched.
     *
     * <p>Each failure run throws an {@link InjectedFailure} out of the job's k-th {@code
     * checkpoint()}, after it committed. The job is dispatched with its own retry policy if that
     * retries the failure; otherwise (no policy, or one whose {@code retryOn} or {@code
     * noRetryFor} excludes it) with one retry, {@code RetryPolicy.attempts(2).withJitter(0)}, that
     * keeps the policy's {@code restart}. So {@code checkFailures(true)} checks any job, with or
     * without a policy.
     */
    public ResumeVerifier<O> checkFailures(boolean checkFailures) {
        this.checkFailures = checkFailures;
        return this;
    }

    public ResumeReport verify() {
        JobHandler<O> first = job.get();
        RetryPolicy policy = harness.retryPolicy(first);
        boolean failures = checkFailures != null ? checkFailures : policy.retries();
        boolean ownPolicyRetries =
                policy.retries() && policy.retries(new InjectedFailure(Interruption.failAtCheckpoint(1)));
        DispatchOptions failureOptions = ownPolicyRetries
                ? DispatchOptions.defaults()
                : DispatchOptions.defaults()
                        .retry(policy.restart() ? FAILURE_CHECK_POLICY.withRestart() : FAILURE_CHECK_POLICY);
        JobRun<O> baseline = harness.run(first);
        if (!baseline.roundTripProblems().isEmpty()) {
            throw new AssertionError(
                    "a checkpoint's state does not survive being saved and read back, so a resume "
                            + "would start from different state:\n" + String.join("\n", baseline.roundTripProblems())
                            + "\n(mark such fields transient and rebuild them in run(), or give them a type the codec can read)");
        }
        if (baseline.status() != JobStatus.COMPLETED) {
            throw new AssertionError("the uninterrupted run did not complete: it ended " + baseline.status()
                    + (baseline.error() == null ? "" : " with " + baseline.error()));
        }
        int k = baseline.checkpoints().size();
        if (k == 0) {
            throw new AssertionError(
                    "the job made no checkpoint, so there is no point to crash it at and nothing to verify; "
                            + "a resumable job calls ctx.checkpoint() after each unit of work");
        }
        List<Integer> points = points(k);
        try {
            for (int point : points) {
                check(baseline, Interruption.crashAtCheckpoint(point), k, DispatchOptions.defaults(), false);
                if (checkPauses) {
                    check(baseline, Interruption.pauseAtCheckpoint(point), k, DispatchOptions.defaults(), false);
                }
                if (failures) {
                    check(baseline, Interruption.failAtCheckpoint(point), k, failureOptions, policy.restart());
                }
            }
        } catch (AssertionError e) {
            if (k <= maxPoints) {
                throw e; // every checkpoint was tried: nothing depends on the seed
            }
            AssertionError replayable = new AssertionError(
                    e.getMessage() + "\n(the " + maxPoints + " of " + k
                            + " checkpoints tried were drawn with seed " + seed + "; -D" + SEED_PROPERTY + "=" + seed
                            + " or .seed(" + seed + ") tries the same ones)",
                    e.getCause());
            replayable.setStackTrace(e.getStackTrace());
            throw replayable;
        }
        return new ResumeReport(k, points, checkPauses, failures, seed);
    }

    /**
     * @param restarts whether a retry starts from the state as dispatched (a policy with {@code
     *     restart}) rather than from the last checkpoint
     */
    private void check(
            JobRun<O> baseline, Interruption interruption, int total, DispatchOptions options, boolean restarts) {
        int k = interruption.number();
        boolean failure = interruption.kind() == Interruption.Kind.FAIL;
        String where = interruption + " of " + total + (failure ? " and a retry" : "") + " (seed " + seed + ")";
        JobRun<O> run;
        try {
            run = harness.run(job.get(), interruption, options);
        } catch (AssertionError e) { // a swallowed interruption, or a timeout: name the point
            AssertionError named = new AssertionError("after a " + where + ": " + e.getMessage(), e.getCause());
            named.setStackTrace(e.getStackTrace());
            throw named;
        }
        CheckpointRecord atCrash =
                run.checkpoints().size() >= k ? run.checkpoints().get(k - 1) : null;
        String state = atCrash == null ? "(never reached)" : atCrash.state().toString();
        if (run.status() != JobStatus.COMPLETED) {
            throw new AssertionError("after a " + where + " the job ended " + run.status()
                    + (run.error() == null ? "" : " with " + run.error()) + " instead of completing\n"
                    + run.explanation().map(e -> "  " + e + "\n").orElse("")
                    + (failure && run.retries() == 0 && run.status() == JobStatus.FAILED
                            ? "  the injected failure was not retried: does the job wrap it in a NonRetryableException "
                                    + "or an exception its retry policy does not retry?\n"
                            : "")
                    + "  state at checkpoint " + k + ": " + state);
        }
        if (failure && run.retries() != 1) {
            throw new AssertionError("after a " + where + " the job was retried " + run.retries()
                    + " times instead of once"
                    + (run.retries() == 0
                            ? run.checkpoints().size() < k
                                    ? ": the failure never happened (this run made only "
                                            + run.checkpoints().size()
                                            + " checkpoints), so nothing about retrying was checked; is the number of "
                                            + "checkpoints the same in every run?"
                                    : ": the job caught the InjectedFailure thrown out of ctx.checkpoint() and went on, "
                                            + "so nothing about retrying was checked; let exceptions from ctx.checkpoint() "
                                            + "and ctx.checkInterrupt() propagate out of run()"
                            : ""));
        }
        if (interruption.kind() == Interruption.Kind.PAUSE && run.pauses() != 1) {
            throw new AssertionError("after a " + where + " the job "
                    + (run.pauses() == 0
                            ? "never paused: this run made only "
                                    + run.checkpoints().size()
                                    + " checkpoints, so the pause was never asked for and nothing about resuming was "
                                    + "checked; is the number of checkpoints the same in every run?"
                            : "paused " + run.pauses() + " times instead of once"));
        }
        if (interruption.kind() == Interruption.Kind.CRASH && run.restarts() != 1) {
            throw new AssertionError(
                    "after a " + where + " the job restarted " + run.restarts() + " times instead of once"
                            + (run.restarts() == 0
                                    ? ": the crash never happened (this run made only "
                                            + run.checkpoints().size()
                                            + " checkpoints), so nothing about resuming was checked; is the number of checkpoints "
                                            + "the same in every run?"
                                    : ""));
        }
        if (!sameOutput.test(baseline.output(), run.output())) {
            throw new AssertionError("after a " + where + " the output differs from the uninterrupted run's\n"
                    + "  state at checkpoint " + k + ": " + state + "\n"
                    + "  uninterrupted: " + baseline.outputJson() + "\n"
                    + (failure ? "  retried:       " : "  resumed:       ") + run.outputJson());
        }
        if (!run.roundTripProblems().isEmpty()) {
            throw new AssertionError("after a " + where + ":\n" + String.join("\n", run.roundTripProblems()));
        }
        if (checkResumePoint) {
            checkResumePoint(baseline, run, k, where, state, restarts);
        }
    }

    /**
     * A run interrupted at checkpoint k resumes from the state saved there, so from then on it
     * must do what the uninterrupted run did after its k-th checkpoint: exactly {@code total - k}
     * more checkpoints. More means it redid work from before the point it resumed from (it
     * started over); fewer means it skipped some. A retry under a policy with {@code restart}
     * starts from the state as dispatched, so it must make all {@code total} again.
     */
    private void checkResumePoint(
            JobRun<O> baseline, JobRun<O> run, int k, String where, String state, boolean restarts) {
        int total = baseline.checkpoints().size();
        int expected = restarts ? total : total - k;
        int after = run.checkpoints().size() - k;
        if (after == expected) {
            return;
        }
        String first = after > 0 ? run.checkpoints().get(k).state().toString() : "(none)";
        int from = restarts ? 0 : k; // the baseline's checkpoint the resumed run's next one should equal
        String wanted = expected > 0 ? baseline.checkpoints().get(from).state().toString() : "(none: it ends there)";
        throw new AssertionError("after a " + where + " the job made " + after + " checkpoint" + (after == 1 ? "" : "s")
                + " after resuming, but the uninterrupted run makes " + expected
                + (restarts
                        ? " in all, and the retry policy restarts from the state as dispatched: "
                        : " after its checkpoint " + k + ": ")
                + (after > expected
                        ? "it redid work done before the checkpoint it resumed from (did it start over? keep the resume "
                                + "position in a saved field, not a transient or static one, and do not reset it in run())"
                        : "it skipped work after the checkpoint it resumed from")
                + "\n  state at checkpoint " + k + ": " + state
                + "\n  resumed run's checkpoint " + (k + 1) + ":       " + first
                + "\n  uninterrupted run's checkpoint " + (from + 1) + ": " + wanted
                + "\n(if the number of checkpoints depends on timing, use checkResumePoint(false))");
    }

    private List<Integer> points(int k) {
        if (k <= maxPoints) {
            List<Integer> all = new ArrayList<>();
            for (int i = 1; i <= k; i++) {
                all.add(i);
            }
            return all;
        }
        Random random = new Random(seed);
        TreeSet<Integer> sample = new TreeSet<>(List.of(1, k));
        while (sample.size() < maxPoints) {
            sample.add(1 + random.nextInt(k));
        }
        return new ArrayList<>(sample);
    }
}
