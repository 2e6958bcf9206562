package dev.jobs.runtime.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite of the store SPI: what every {@link JobStore} must do, checked directly on
 * the store without workers or timing. Each test sets rows up, calls one store operation, and
 * checks the rows. A store passes by extending this class and implementing {@link #openStore}:
 *
 * <pre>{@code
 * class SqliteJobStoreConformanceTest extends JobStoreConformance {
 *     protected JobStore openStore(Path dir, Collection<String> runnable) {
 *         return SqliteJobStore.open(dir.resolve("jobs.db"), ..., runnable);
 *     }
 * }
 * }</pre>
 */
public abstract class JobStoreConformance {

    private static final String RESUMABLE = "t.resumable";
    private static final String ONE_SHOT = "t.oneshot";
    private static final long LEASE = 60_000;

    @TempDir
    protected Path dir;

    protected JobStore store;
    private long now = 1_000_000;

    /**
     * Opens a new, empty store in {@code dir} (a store that is not file-based may ignore it) that
     * can run the job types {@code runnable}. Called once per test.
     */
    protected abstract JobStore openStore(Path dir, Collection<String> runnable);

    @BeforeEach
    void open() {
        store = openStore(dir, List.of(RESUMABLE, ONE_SHOT));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private UUID insert(String name, int priority) {
        UUID id = UUID.randomUUID();
        StoreFutures.await(store.insert(new NewJob(id, name, 1, new byte[] {(byte) 0x80}, priority, now++), null));
        return id;
    }

    private ClaimedJob claimOne(String owner) {
        List<ClaimedJob> claimed = store.claim(owner, 1, now, now + LEASE);
        assertThat(claimed).hasSize(1);
        return claimed.get(0);
    }

    private JobRow row(UUID id) {
        return store.find(id).orElseThrow();
    }

    // ------------------------------------------------------------------ claims

    @Test
    void claimTakesHighestPriorityFirstThenOldestEvenWhenTheQueueIsLargerThanTheClaim() {
        List<UUID> low = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            low.add(insert(RESUMABLE, 0));
        }
        UUID high = insert(RESUMABLE, 10);
        UUID normalOld = insert(RESUMABLE, 5);
        UUID normalNew = insert(RESUMABLE, 5);
        assertThat(store.claim("a", 1, now, now + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactly(high);
        assertThat(store.claim("a", 1, now, now + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactly(normalOld);
        assertThat(store.claim("a", 2, now, now + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactly(normalNew, low.get(0));
        assertThat(store.claim("a", 10, now, now + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactlyElementsOf(low.subList(1, 5));
    }

    @Test
    void everyClaimGetsANewFencingTokenAndCountsNoAttempt() {
        UUID id = insert(RESUMABLE, 0);
        ClaimedJob first = claimOne("a");
        assertThat(first.token()).isEqualTo(1);
        assertThat(first.attempt()).isZero();
        assertThat(store.releaseClaim(first.claim("a"), now)).isTrue();
        ClaimedJob second = claimOne("a");
        assertThat(second.token()).as("a token is never reused").isEqualTo(2);
        assertThat(second.attempt()).as("a released claim was no attempt").isZero();
        assertThat(row(id).status()).isEqualTo(JobStatus.RUNNING);
    }

    // ------------------------------------------------------------------ fencing

    @Test
    void checkpointOfAnOlderClaimOfTheSameOwnerChangesNothing() {
        UUID id = insert(RESUMABLE, 0);
        Claim old = claimOne("a").claim("a");
        assertThat(store.releaseClaim(old, now)).isTrue(); // as recovery would after a lapse
        Claim current = claimOne("a").claim("a");
        assertThat(StoreFutures.await(store.checkpoint(old, new byte[] {1}, 1, 0.5, null, now)))
                .isFalse();
        assertThat(StoreFutures.await(store.checkpoint(current, new byte[] {2}, 1, 0.7, null, now)))
                .isTrue();
        assertThat(row(id).progress()).isEqualTo(0.7);
    }

    @Test
    void checkpointOfAnotherOwnerChangesNothing() {
        UUID id = insert(RESUMABLE, 0);
        Claim mine = claimOne("a").claim("a");
        Claim impostor = new Claim(id, "b", mine.token());
        assertThat(StoreFutures.await(store.checkpoint(impostor, new byte[] {1}, 1, 0.5, null, now)))
                .isFalse();
        assertThat(row(id).progress()).isNull();
        assertThat(row(id).lastCheckpoint()).isNull();
    }

    @Test
    void everyWriteOfAStaleClaimChangesNothing() {
        UUID id = insert(RESUMABLE, 0);
        Claim stale = claimOne("a").claim("a");
        store.releaseClaim(stale, now);
        Claim current = claimOne("b").claim("b");
        Claim staleAsB = new Claim(id, "b", stale.token()); // even under the current owner's name
        for (Claim c : List.of(stale, staleAsB)) {
            assertThat(StoreFutures.await(store.saveProgress(c, 0.9, null))).isFalse();
            assertThat(StoreFutures.await(store.appendLog(c, 1, now, "INFO", "from a stale run")))
                    .isFalse();
            assertThat(store.startRun(c, now)).isFalse();
            assertThat(store.requestControl(c, Control.CANCEL)).isFalse();
            assertThat(StoreFutures.await(store.complete(c, "1", 1.0, null, now)))
                    .isFalse();
            assertThat(store.fail(c, "x", null, null, null, now)).isFalse();
            assertThat(store.stopRunning(c, new byte[] {1}, 1, null, null, now)).isFalse();
            assertThat(store.pauseAfterFailure(c, "x", now)).isFalse();
            assertThat(store.releaseClaim(c, now)).isFalse();
        }
        JobRow row = row(id);
        assertThat(row.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(row.owner()).isEqualTo("b");
        assertThat(row.progress()).isNull();
        assertThat(row.control()).isNull();
        assertThat(store.logs(id, 0, 10)).isEmpty();
        assertThat(StoreFutures.await(store.complete(current, "1", 1.0, null, now)))
                .isTrue();
        assertThat(row(id).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aRunIsCountedOnceWhetherItsStartWasWrittenBeforeOrWithItsEnd() {
        UUID lazy = insert(RESUMABLE, 0);
        Claim c1 = claimOne("a").claim("a");
        assertThat(StoreFutures.await(store.complete(c1, null, null, null, now)))
                .isTrue();
        assertThat(row(lazy).attempt()).isEqualTo(1);

        UUID eager = insert(ONE_SHOT, 0);
        Claim c2 = claimOne("a").claim("a");
        assertThat(store.startRun(c2, now)).isTrue();
        assertThat(store.startRun(c2, now))
                .as("a start is recorded once per claim")
                .isFalse();
        assertThat(StoreFutures.await(store.complete(c2, null, null, null, now)))
                .isTrue();
        assertThat(row(eager).attempt()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ recovery

    private List<JobStore.Orphan> recover(int maxLostRuns) {
        // "a" is gone: it has no owner row, so each of its RUNNING rows is an orphan; its process died
        return store.recoverOrphans(
                "survivor",
                now,
                new JobStore.RecoveryPlan(
                        List.of(RESUMABLE),
                        List.of(ONE_SHOT),
                        true,
                        List.of("a"),
                        List.of("a"),
                        "interrupted",
                        "lapsed",
                        maxLostRuns,
                        "poison job: test"));
    }

    /** As {@link #recover} for an owner that is alive on this host but let its lease expire (frozen). */
    private List<JobStore.Orphan> recoverLapsed(int maxLostRuns) {
        return store.recoverOrphans(
                "survivor",
                now,
                new JobStore.RecoveryPlan(
                        List.of(RESUMABLE),
                        List.of(ONE_SHOT),
                        true,
                        List.of(),
                        List.of(),
                        "interrupted",
                        "lapsed",
                        maxLostRuns,
                        "poison job: test"));
    }

    @Test
    void runsTakenFromAFrozenProcessNeverMakeAPoisonJob() {
        UUID id = insert(RESUMABLE, 0);
        UUID oneShot = insert(ONE_SHOT, 0);
        for (int run = 0; run < 4; run++) {
            for (ClaimedJob job : store.claim("a", 2, now, now + LEASE)) {
                assertThat(store.startRun(job.claim("a"), now)).isTrue();
            }
            recoverLapsed(2);
            assertThat(row(id).status()).isEqualTo(JobStatus.QUEUED);
        }
        assertThat(row(oneShot).status()).isEqualTo(JobStatus.FAILED);
        assertThat(row(oneShot).errorMessage())
                .as("not 'the process ended': it may be alive")
                .isEqualTo("lapsed");
    }

    @Test
    void withoutLeasesRecoveryTakesOnlyRowsWhoseOwnerIsGone() {
        UUID id = insert(RESUMABLE, 0);
        store.registerOwner("frozen", "host", 1, now, now - 1); // its lease expired, its row is still there
        Claim c = claimOne("frozen").claim("frozen");
        assertThat(store.startRun(c, now)).isTrue();
        JobStore.RecoveryPlan plan = new JobStore.RecoveryPlan(
                List.of(RESUMABLE),
                List.of(ONE_SHOT),
                false,
                List.of(),
                List.of(),
                "interrupted",
                "lapsed",
                3,
                "poison job: test");
        assertThat(store.recoverOrphans("survivor", now + 2 * LEASE, plan)).isEmpty();
        assertThat(row(id).status()).isEqualTo(JobStatus.RUNNING);
        store.removeOwner("frozen");
        assertThat(store.recoverOrphans("survivor", now, plan)).hasSize(1);
        assertThat(row(id).status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void recoveryRequeuesClaimsThatNeverStartedWhateverTheJob() {
        UUID oneShot = insert(ONE_SHOT, 0);
        UUID resumable = insert(RESUMABLE, 0);
        store.claim("a", 2, now, now + LEASE);
        assertThat(recover(3)).hasSize(2);
        for (UUID id : List.of(oneShot, resumable)) {
            JobRow row = row(id);
            assertThat(row.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(row.attempt()).isZero();
            assertThat(row.errorMessage()).isNull();
        }
    }

    @Test
    void recoveryFailsAStartedOneShotRunAndRequeuesAStartedResumableOne() {
        UUID oneShot = insert(ONE_SHOT, 0);
        UUID resumable = insert(RESUMABLE, 0);
        for (ClaimedJob job : store.claim("a", 2, now, now + LEASE)) {
            assertThat(store.startRun(job.claim("a"), now)).isTrue();
        }
        recover(3);
        assertThat(row(oneShot).status()).isEqualTo(JobStatus.FAILED);
        assertThat(row(oneShot).errorMessage()).isEqualTo("interrupted");
        assertThat(row(resumable).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(row(resumable).attempt()).isEqualTo(1);
    }

    @Test
    void recoveryFailsAJobWhoseRunsKeepDyingWithoutACheckpoint() {
        UUID id = insert(RESUMABLE, 0);
        for (int lost = 1; lost <= 3; lost++) {
            Claim c = claimOne("a").claim("a");
            assertThat(store.startRun(c, now)).isTrue();
            recover(3);
            assertThat(row(id).status())
                    .as("after %d lost runs", lost)
                    .isEqualTo(lost < 3 ? JobStatus.QUEUED : JobStatus.FAILED);
        }
        assertThat(row(id).errorMessage()).isEqualTo("poison job: test");
    }

    @Test
    void aCheckpointResetsTheCountOfLostRuns() {
        UUID id = insert(RESUMABLE, 0);
        for (int run = 0; run < 5; run++) {
            Claim c = claimOne("a").claim("a");
            assertThat(StoreFutures.await(store.checkpoint(c, new byte[] {(byte) 0x80}, 1, null, null, now)))
                    .isTrue();
            recover(2);
            assertThat(row(id).status()).isEqualTo(JobStatus.QUEUED);
        }
        assertThat(row(id).attempt()).isEqualTo(5);
    }

    @Test
    void recoveryLeavesTheSurvivorsOwnRowsAndUnknownJobsAlone() {
        UUID mine = insert(RESUMABLE, 0);
        store.claim("survivor", 1, now, now + LEASE);
        UUID foreign = UUID.randomUUID();
        StoreFutures.await(store.insert(new NewJob(foreign, "t.unknown", 1, new byte[] {(byte) 0x80}, 0, now), null));
        assertThat(recover(3)).isEmpty();
        assertThat(row(mine).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(row(foreign).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(Set.of(row(mine).owner())).containsExactly("survivor");
    }
}
