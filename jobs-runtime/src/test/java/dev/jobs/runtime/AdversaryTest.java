package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adversary scenarios ({@link Adversary}) that break a stated guarantee of the fencing change.
 * Each test asserts the guarantee; they fail on the code they were written against (see the
 * adversary report). Children are real JVMs, frozen with SIGSTOP and killed with SIGKILL.
 */
@org.junit.jupiter.api.Tag("faults")
@org.junit.jupiter.api.Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class AdversaryTest {

    /** Workers of an {@link AdvChild}, and the documented re-run bound: runs in flight plus 8 unwritten completions per worker. */
    private static final int WORKERS = 2;

    private static final long BOUND = WORKERS + 8L * WORKERS;

    @TempDir
    Path dir;

    /**
     * The write lock is held from outside (a sqlite3 shell, a process frozen in a commit) for 14 s
     * with the default lease and busy timeout, then the process is killed -9. Completions whose
     * write failed went to the OutcomeRetrier, freeing their unwritten-completion permit, so the
     * process ran on past the bound; every one of them runs again.
     */
    @Test
    void killAfterAHeldWriteLockReRunsAtMostTheBound() throws Exception {
        Map<String, Long> counts =
                Adversary.run("lockheld", dir, "lease=15000", "busy=10000", "holdMs=14000", "n=2000");
        assertThat(counts.get("countTwice")).as("jobs run twice after kill -9").isLessThanOrEqualTo(BOUND);
    }

    /**
     * Process A is frozen while it holds the write lock: B, healthy, cannot renew its lease. When
     * A thaws it runs recovery first and takes over B's running jobs (one-shot ones become FAILED
     * "the process ended" although B runs them to their end).
     */
    @Test
    void aProcessFrozenInACommitDoesNotTakeOverTheHealthyOne() throws Exception {
        Map<String, Long> counts = Adversary.run("frozenintx", dir, "lease=1000", "freezeMs=4000", "rounds=3");
        assertThat(counts.get("healthyLost"))
                .as("runs of the never-frozen process taken over")
                .isZero();
        assertThat(counts.get("onceFailedButRanToEnd"))
                .as("one-shot jobs FAILED although they ran to their end")
                .isZero();
    }

    /** A healthy resumable job whose process is frozen past its lease 4 times (no JVM dies) must not become a poison job. */
    @Test
    void freezesAreNotCrashes() throws Exception {
        Map<String, Long> counts = Adversary.run("poison", dir, "lease=1000", "stepMs=5000", "stepCount=2", "rounds=6");
        assertThat(counts.get("poison")).as("healthy jobs FAILED as poison").isZero();
    }

    /**
     * A manager on a host whose clock is ahead by one lease recovers W's claims and runs them:
     * W still starts each of its claimed-but-unstarted resumable jobs without checking its claim,
     * so up to a whole claim batch runs twice, far beyond runs in flight plus unwritten completions.
     */
    @Test
    void clockSkewReRunsAtMostTheBound() throws Exception {
        Map<String, Long> counts = Adversary.run("skew", dir, "lease=3000", "skewMs=3000", "n=3000", "millis=8");
        assertThat(counts.get("countTwice")).as("jobs run twice").isLessThanOrEqualTo(BOUND);
    }

    /**
     * The write lock is held for 6 s (lease 3 s, busy timeout 1 s): runners whose lease lapsed
     * cannot give their claims back ("it is recovered later"), but the process lives on and its
     * lease renewal extends every RUNNING row it owns, so recovery never takes them: they stay
     * RUNNING for as long as the process runs.
     */
    @Test
    void aClaimThatCouldNotBeGivenBackIsNotLeftRunningForEver() throws Exception {
        Map<String, Long> counts = Adversary.run(
                "lockheld",
                dir,
                "kill=0",
                "lease=3000",
                "busy=1000",
                "holdMs=6000",
                "millis=5",
                "n=3000",
                "finishSeconds=40");
        assertThat(counts.get("stuck"))
                .as("jobs left RUNNING under a live process")
                .isZero();
    }
}
