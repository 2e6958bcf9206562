package dev.jobs.runtime.store;

import static dev.jobs.JobStatus.CANCELLED;
import static dev.jobs.JobStatus.COMPLETED;
import static dev.jobs.JobStatus.FAILED;
import static dev.jobs.JobStatus.PAUSED;
import static dev.jobs.JobStatus.QUEUED;
import static dev.jobs.JobStatus.RUNNING;
import static dev.jobs.JobStatus.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.jobs.JobStatus;
import dev.jobs.runtime.StoreException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance suite of the store SPI: what every {@link JobStore} must do, checked directly on
 * the store without workers or timing. Each test sets rows up through the SPI, calls one store
 * operation, and checks the rows through the SPI (no SQL, nothing of one implementation). A store
 * passes by extending this class and implementing {@link #openStore} and {@link #openSecondStore}:
 *
 * <pre>{@code
 * class SqliteJobStoreConformanceTest extends JobStoreConformance {
 *     protected JobStore openStore(Path dir, Collection<String> runnable) {
 *         return SqliteJobStore.open(dir.resolve("jobs.db"), ..., runnable);
 *     }
 *     protected JobStore openSecondStore(Path dir, Collection<String> runnable) {
 *         return SqliteJobStore.open(dir.resolve("jobs.db"), ..., runnable); // the same file
 *     }
 * }
 * }</pre>
 *
 * <p>The guards of status changes are driven by {@link Transition}: every move a job at rest can
 * make is tried from every status.
 */
public abstract class JobStoreConformance {

    private static final String RESUMABLE = "t.resumable";
    private static final String ONE_SHOT = "t.oneshot";
    private static final String UNKNOWN = "t.unknown";
    private static final long LEASE = 60_000;
    private static final String HOST = "host-1";
    private static final EnumSet<JobStatus> ALL = EnumSet.allOf(JobStatus.class);

    @TempDir
    private Path dir;

    protected JobStore store;

    /** For a store's test class (which implements {@link #openStore} and {@link #openSecondStore}). */
    protected JobStoreConformance() {}
    /** The time passed to the store (epoch ms in 1970: a store that used its own clock would show). */
    private long now = 1_000_000;
    /** Each job made by {@link #queuedFirst} goes ahead of every job queued before it. */
    private int nextFirst = 1_000;

    private final List<JobStore> others = new ArrayList<>();
    private boolean closed;

    /**
     * Opens a new, empty store in {@code dir} (a store that is not file-based may ignore it) that
     * can run the job types {@code runnable}. Called once per test.
     */
    protected abstract JobStore openStore(Path dir, Collection<String> runnable);

    /**
     * Opens another store on the same storage as the one {@link #openStore} opened in {@code dir}
     * (as another process would), able to run {@code runnable}. The suite closes it.
     */
    protected abstract JobStore openSecondStore(Path dir, Collection<String> runnable);

    @BeforeEach
    void open() {
        store = openStore(dir, List.of(RESUMABLE, ONE_SHOT));
    }

    @AfterEach
    void close() {
        others.forEach(JobStore::close);
        if (!closed) {
            store.close();
        }
    }

    /** Closes the store under test (once: the suite does not rely on a second close being harmless). */
    private void closeStore() {
        closed = true;
        store.close();
    }

    private JobStore second(Collection<String> runnable) {
        JobStore second = openSecondStore(dir, runnable);
        others.add(second);
        return second;
    }

    // ------------------------------------------------------------------ helpers

    private static <T> T await(CompletableFuture<T> future) {
        return StoreFutures.await(future);
    }

    private static byte[] state(int b) {
        return new byte[] {(byte) 0x80, (byte) b};
    }

    private UUID insert(String name, int priority) {
        UUID id = UUID.randomUUID();
        await(store.insert(new NewJob(id, name, 1, state(0), priority, now++), null));
        return id;
    }

    private UUID insertCreatedAt(String name, long createdAt) {
        UUID id = UUID.randomUUID();
        await(store.insert(new NewJob(id, name, 1, state(0), 0, createdAt), null));
        return id;
    }

    /** A queued job of {@code name} that the next claim takes before any job queued earlier. */
    private UUID queuedFirst(String name) {
        UUID id = UUID.randomUUID();
        await(store.insert(new NewJob(id, name, 1, state(0), nextFirst++, now++), null));
        return id;
    }

    private ClaimedJob claimOne(String owner) {
        List<ClaimedJob> claimed = store.claim(owner, 1, now, now + LEASE);
        assertThat(claimed).hasSize(1);
        return claimed.get(0);
    }

    /** Claims the job {@code id}, which must be the first in the queue. */
    private Claim claim(UUID id, String owner) {
        ClaimedJob job = claimOne(owner);
        assertThat(job.id()).as("the job claimed").isEqualTo(id);
        return job.claim(owner);
    }

    /** A step of a chain waiting for a step before it that is not stored (so WAITING for good). */
    private UUID waitingStep(String name) {
        UUID id = UUID.randomUUID();
        await(store.insert(
                new NewJob(id, name, 1, state(0), nextFirst++, now++)
                        .withRelation(NewJob.Relation.step(UUID.randomUUID(), UUID.randomUUID(), false)),
                null));
        return id;
    }

    /** A job claimed by {@code owner} (RUNNING, its run not started). */
    private Claim running(String owner) {
        return claim(queuedFirst(RESUMABLE), owner);
    }

    private JobRow row(UUID id) {
        return store.find(id).orElseThrow();
    }

    /** A job, and the last claim of it (null if it was never claimed). */
    private record Job(UUID id, Claim claim) {}

    /**
     * A resumable job brought to {@code status} through the SPI: RUNNING is claimed by "a"; the
     * terminal statuses are reached by a run of "a" (CANCELLED: asked, then honoured by the run).
     */
    private Job jobIn(JobStatus status) {
        UUID id = status == WAITING ? waitingStep(RESUMABLE) : queuedFirst(RESUMABLE);
        Claim claim = null;
        switch (status) {
            case QUEUED, WAITING -> {}
            case PAUSED ->
                assertThat(store.move(id, Transition.PAUSE, QUEUED, now)).isTrue();
            case RUNNING -> claim = claim(id, "a");
            case COMPLETED -> {
                claim = claim(id, "a");
                assertThat(await(store.complete(claim, "\"out\"", 1.0, null, now)))
                        .isTrue();
            }
            case FAILED -> {
                claim = claim(id, "a");
                assertThat(store.fail(claim, "boom", "trace", 0.5, null, now)).isTrue();
            }
            case CANCELLED -> {
                claim = claim(id, "a");
                assertThat(store.requestControl(id, Control.CANCEL)).isTrue();
                assertThat(store.cancelRunning(claim, null, null, now)).isTrue();
            }
        }
        assertThat(row(id).status()).isEqualTo(status);
        return new Job(id, claim);
    }

    /** Every write a run makes with {@code c}; each returns whether it changed the row. */
    private List<Boolean> everyFencedWrite(Claim c) {
        return List.of(
                store.startRun(c, now),
                await(store.checkpoint(c, state(9), 2, 0.9, "{}", now)),
                await(store.saveProgress(c, 0.9, "{}")),
                await(store.appendLog(c, 99, now, "INFO", "from a run that lost its job")),
                store.requestControl(c, Control.CANCEL),
                await(store.complete(c, "\"late\"", 1.0, null, now)),
                store.fail(c, "late", null, null, null, now),
                store.cancelRunning(c, null, null, now),
                store.pauseRunning(c, state(9), 2, null, null, now),
                store.pauseAfterFailure(c, "late", now),
                store.stopRunning(c, state(9), 2, null, null, now),
                store.retry(c, new JobStore.RetryWrite(now, "late", null, null, 1, null, null, now)),
                store.releaseClaim(c, now));
    }

    /** The state a job would run from if claimed now (it must be the first in the queue). */
    private byte[] stateOnNextClaim(UUID id) {
        ClaimedJob job = claimOne("z");
        assertThat(job.id()).isEqualTo(id);
        return job.data();
    }

    private static JobRow withStatus(JobRow r, JobStatus status, Long completedAt) {
        return new JobRow(
                r.id(),
                r.name(),
                r.version(),
                status,
                r.priority(),
                r.progress(),
                r.progressData(),
                r.output(),
                r.errorMessage(),
                r.errorTrace(),
                r.createdAt(),
                r.startedAt(),
                completedAt,
                r.lastCheckpoint(),
                r.owner(),
                r.leaseUntil(),
                r.attempt(),
                r.control(),
                r.parameters(),
                r.rerunOf(),
                r.runAt(),
                r.failures(),
                r.maxAttempts(),
                r.schedule(),
                r.scheduledFor(),
                r.uniqueKey(),
                r.limited(),
                r.parent(),
                r.chain(),
                r.after());
    }

    private static JobStore.ListFilter filter(int limit, boolean oldestFirst) {
        return new JobStore.ListFilter(ALL, List.of(), null, null, limit, oldestFirst, null, null);
    }

    private static List<UUID> ids(List<JobRow> rows) {
        return rows.stream().map(JobRow::id).toList();
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
                        "poison job: test",
                        "last attempt: test"));
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
                        "poison job: test",
                        "last attempt: test"));
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
                "poison job: test",
                "last attempt: test");
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

    @Test
    void claimRecordsTheOwnerTheLeaseAndTheCallersTime() {
        UUID id = queuedFirst(RESUMABLE);
        store.claim("a", 1, now, now + LEASE);
        JobRow row = row(id);
        assertThat(row.status()).isEqualTo(RUNNING);
        assertThat(row.owner()).isEqualTo("a");
        assertThat(row.leaseUntil()).isEqualTo(now + LEASE);
        assertThat(row.startedAt()).isEqualTo(now);
    }

    @Test
    void claimTakesOnlyQueuedJobs() {
        for (JobStatus status : EnumSet.complementOf(EnumSet.of(QUEUED))) {
            jobIn(status);
        }
        UUID queued = insert(RESUMABLE, 0);
        assertThat(store.claim("b", 10, now, now + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactly(queued);
    }

    @Test
    void claimTakesOnlyJobsThisStoreCanRun() {
        UUID foreign = insert(UNKNOWN, 10);
        UUID mine = insert(RESUMABLE, 0);
        assertThat(store.claim("a", 10, now, now + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactly(mine);
        assertThat(row(foreign).status()).isEqualTo(QUEUED);
    }

    // ------------------------------------------------------------------ delayed jobs

    /** A queued job of {@code name} that becomes due at {@code runAt}. */
    private UUID insertDelayed(String name, int priority, long runAt) {
        UUID id = UUID.randomUUID();
        await(store.insert(new NewJob(id, name, 1, state(0), priority, now, null, null, runAt), null));
        return id;
    }

    @Test
    void claimStepsOverAJobNotYetDueAndTakesTheDueJobsBehindIt() {
        long runAt = now + 1_000;
        UUID later = insertDelayed(RESUMABLE, 10, runAt);
        UUID due = insert(RESUMABLE, 0);
        assertThat(store.claim("a", 10, now, now + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactly(due);
        assertThat(row(later).status()).isEqualTo(QUEUED);
        assertThat(row(later).runAt()).isEqualTo(runAt);
    }

    @Test
    void claimTakesADelayedJobFromItsRunTimeOn() {
        UUID delayed = insertDelayed(RESUMABLE, 0, now + 1_000);
        assertThat(store.claim("a", 10, now + 999, now + 999 + LEASE)).isEmpty();
        assertThat(store.claim("a", 10, now + 1_000, now + 1_000 + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactly(delayed);
        assertThat(row(delayed).runAt()).as("the run time is kept").isEqualTo(now + 1_000);
    }

    @Test
    void claimTakesDueJobsInPriorityOrderWhetherDelayedOrNot() {
        UUID low = insert(RESUMABLE, 1);
        UUID dueDelayed = insertDelayed(RESUMABLE, 5, now - 10);
        UUID high = insert(RESUMABLE, 10);
        UUID notDue = insertDelayed(RESUMABLE, 7, now + 10);
        assertThat(store.claim("a", 10, now, now + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactly(high, dueDelayed, low);
        assertThat(row(notDue).status()).isEqualTo(QUEUED);
    }

    @Test
    void nextRunAtIsTheEarliestFutureRunTimeOfAQueuedJobThisStoreCanRun() {
        assertThat(store.nextRunAt(now)).isEmpty();
        insert(RESUMABLE, 0);
        insertDelayed(RESUMABLE, 0, now - 5); // due already
        assertThat(store.nextRunAt(now)).as("no job waits for a future time").isEmpty();
        long base = now;
        insertDelayed(RESUMABLE, 0, base + 500);
        UUID soonest = insertDelayed(ONE_SHOT, 0, base + 200);
        insertDelayed(UNKNOWN, 0, base + 100); // another process's job type
        assertThat(store.nextRunAt(base)).hasValue(base + 200);
        assertThat(store.move(soonest, Transition.PAUSE, QUEUED, now)).isTrue();
        assertThat(store.nextRunAt(base)).as("a paused job is not runnable").hasValue(base + 500);
        assertThat(store.nextRunAt(base + 500)).as("only times after now").isEmpty();
    }

    @Test
    void aPausedDelayedJobKeepsItsRunTimeWhenResumed() {
        UUID delayed = insertDelayed(RESUMABLE, 0, now + 1_000);
        assertThat(store.move(delayed, Transition.PAUSE, QUEUED, now)).isTrue();
        assertThat(store.move(delayed, Transition.RESUME, JobStatus.PAUSED, now))
                .isTrue();
        assertThat(row(delayed).runAt()).isEqualTo(now + 1_000);
        assertThat(store.claim("a", 10, now, now + LEASE)).isEmpty();
        assertThat(store.nextRunAt(now)).hasValue(now + 1_000);
    }

    @Test
    void insertClaimedIfFirstDisregardsQueuedJobsNotYetDue() {
        insertDelayed(RESUMABLE, 10, now + 1_000);
        UUID id = UUID.randomUUID();
        assertThat(await(store.insertClaimedIfFirst(new NewJob(id, RESUMABLE, 1, state(0), 0, now), "a", now + LEASE)))
                .isTrue();
        assertThat(row(id).status()).isEqualTo(RUNNING);
    }

    @Test
    void releaseAndRecoveryOfADelayedJobKeepItsRunTime() {
        long runAt = now - 100;
        UUID released = insertDelayed(RESUMABLE, 5, runAt);
        UUID recovered = insertDelayed(RESUMABLE, 0, runAt);
        List<ClaimedJob> claimed = store.claim("a", 2, now, now + LEASE);
        assertThat(claimed).extracting(ClaimedJob::id).containsExactly(released, recovered);
        assertThat(store.releaseClaim(claimed.get(0).claim("a"), now)).isTrue();
        assertThat(store.startRun(claimed.get(1).claim("a"), now)).isTrue();
        assertThat(recover(3)).hasSize(1);
        for (UUID id : List.of(released, recovered)) {
            assertThat(row(id).status()).isEqualTo(QUEUED);
            assertThat(row(id).runAt()).isEqualTo(runAt);
        }
    }

    @Test
    void aJobWithoutARunTimeShowsNone() {
        assertThat(row(insert(RESUMABLE, 0)).runAt()).isNull();
    }

    @Test
    void aClaimGivesTheRunTheJobsNameVersionAndState() {
        UUID id = UUID.randomUUID();
        await(store.insert(new NewJob(id, ONE_SHOT, 3, state(42), 0, now), null));
        ClaimedJob job = claimOne("a");
        assertThat(job.id()).isEqualTo(id);
        assertThat(job.name()).isEqualTo(ONE_SHOT);
        assertThat(job.version()).isEqualTo(3);
        assertThat(job.data()).isEqualTo(state(42));
    }

    // ------------------------------------------------------------------ moves of jobs at rest, driven by Transition

    /** The transitions a job at rest makes through {@link JobStore#move}: PAUSE, RESUME and CANCEL. */
    static Stream<Transition> moves() {
        return Arrays.stream(Transition.values())
                .filter(t -> !t.fenced())
                .filter(t -> !t.to().contains(RUNNING))
                .filter(t -> t.from().stream().anyMatch(s -> s != RUNNING));
    }

    static Stream<Arguments> allowedMoves() {
        return moves().flatMap(t ->
                t.from().stream().filter(s -> s != RUNNING).sorted().map(s -> arguments(t, s)));
    }

    /** Each move from each status the table does not allow it from, and from RUNNING (a running job is asked). */
    static Stream<Arguments> refusedMoves() {
        return moves().flatMap(t -> Arrays.stream(JobStatus.values())
                .filter(s -> s == RUNNING || !t.allowedFrom(s))
                .map(s -> arguments(t, s)));
    }

    /** Each allowed move, tried on a row that is in another status than the one it expects. */
    static Stream<Arguments> staleMoves() {
        return allowedMoves()
                .flatMap(a -> Arrays.stream(JobStatus.values())
                        .filter(actual -> actual != a.get()[1])
                        .map(actual -> arguments(a.get()[0], a.get()[1], actual)));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("dev.jobs.runtime.store.JobStoreConformance#allowedMoves")
    void aMoveFromAStatusTheTableAllowsReachesItsTargetAndChangesNothingElse(Transition move, JobStatus from) {
        UUID id = jobIn(from).id();
        JobRow before = row(id);
        now += 1_000;
        assertThat(store.move(id, move, from, now)).isTrue();
        JobStatus target = move.to().iterator().next();
        assertThat(row(id))
                .isEqualTo(withStatus(before, target, target.isTerminal() ? Long.valueOf(now) : before.completedAt()));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("dev.jobs.runtime.store.JobStoreConformance#refusedMoves")
    void aMoveFromAStatusTheTableDoesNotAllowThrowsAndChangesNothing(Transition move, JobStatus from) {
        Job job = jobIn(from);
        JobRow before = row(job.id());
        assertThatThrownBy(() -> store.move(job.id(), move, from, now)).isInstanceOf(IllegalArgumentException.class);
        assertThat(row(job.id())).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} expecting {1} on a {2} job")
    @MethodSource("dev.jobs.runtime.store.JobStoreConformance#staleMoves")
    void aMoveExpectingAnotherStatusThanTheRowsChangesNothing(Transition move, JobStatus expected, JobStatus actual) {
        UUID id = jobIn(actual).id();
        JobRow before = row(id);
        assertThat(store.move(id, move, expected, now)).isFalse();
        assertThat(row(id)).isEqualTo(before);
    }

    /** Every transition that is not a move of a job at rest, from each status it starts from. */
    static Stream<Arguments> notMoves() {
        java.util.Set<Transition> moves = moves().collect(java.util.stream.Collectors.toSet());
        return Arrays.stream(Transition.values())
                .filter(t -> !moves.contains(t))
                .flatMap(t -> t.from().stream().map(s -> arguments(t, s)));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("dev.jobs.runtime.store.JobStoreConformance#notMoves")
    void aTransitionThatIsNotAMoveAtRestIsRefusedByMove(Transition transition, JobStatus from) {
        Job job = jobIn(from);
        JobRow before = row(job.id());
        assertThatThrownBy(() -> store.move(job.id(), transition, from, now))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(row(job.id())).isEqualTo(before);
    }

    @Test
    void aMoveOfAJobThatDoesNotExistChangesNothing() {
        UUID missing = UUID.randomUUID();
        assertThat(store.move(missing, Transition.CANCEL, QUEUED, now)).isFalse();
        assertThat(store.find(missing)).isEmpty();
    }

    // ------------------------------------------------------------------ terminal rows

    @ParameterizedTest
    @EnumSource(
            value = JobStatus.class,
            names = {"COMPLETED", "FAILED", "CANCELLED"})
    void aFinishedJobIsChangedByNoWriteOfAnyKind(JobStatus terminal) {
        Job job = jobIn(terminal);
        JobRow before = row(job.id());
        now += 1_000;
        assertThat(everyFencedWrite(job.claim())).containsOnly(false);
        assertThat(store.requestControl(job.id(), Control.PAUSE)).isFalse();
        assertThat(store.requestControl(job.id(), Control.CANCEL)).isFalse();
        assertThat(store.withdrawPause(job.id())).isFalse();
        moves().forEach(move -> move.from().stream()
                .filter(s -> s != RUNNING)
                .forEach(expected -> assertThat(store.move(job.id(), move, expected, now))
                        .as("%s expecting %s", move, expected)
                        .isFalse()));
        assertThat(store.claim("b", 10, now, now + LEASE)).isEmpty();
        store.renewLease("a", HOST, 1, now, now + 10 * LEASE);
        assertThat(recover(3)).isEmpty();
        assertThat(row(job.id())).isEqualTo(before);
        assertThat(store.logs(job.id(), 0, 10)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(
            value = JobStatus.class,
            names = {"COMPLETED", "FAILED", "CANCELLED"})
    void insertingTheIdOfAFinishedJobAgainFailsAndChangesNothing(JobStatus terminal) {
        UUID id = jobIn(terminal).id();
        JobRow before = row(id);
        NewJob again = new NewJob(id, RESUMABLE, 1, state(1), 0, now);
        assertThatThrownBy(() -> await(store.insert(again, null))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> await(store.insertAll(List.of(again), null))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> await(store.insertClaimedIfFirst(again, "b", now + LEASE)))
                .isInstanceOf(StoreException.class);
        assertThat(row(id)).isEqualTo(before);
    }

    // ------------------------------------------------------------------ a run's own writes

    @ParameterizedTest
    @EnumSource(RunExit.class)
    void aRunThatLeftRunningCanNoLongerWriteWithItsClaim(RunExit exit) {
        Claim c = running("a");
        exit.leave(store, c, now);
        JobRow before = row(c.id());
        assertThat(before.status()).isNotEqualTo(RUNNING);
        assertThat(everyFencedWrite(c)).containsOnly(false);
        assertThat(row(c.id())).isEqualTo(before);
    }

    /** Ways a run leaves RUNNING without finishing, keeping the same claim token on the row. */
    enum RunExit {
        STOPPED {
            @Override
            void leave(JobStore store, Claim c, long now) {
                assertThat(store.stopRunning(c, state(1), 1, null, null, now)).isTrue();
            }
        },
        RELEASED {
            @Override
            void leave(JobStore store, Claim c, long now) {
                assertThat(store.releaseClaim(c, now)).isTrue();
            }
        },
        PAUSED {
            @Override
            void leave(JobStore store, Claim c, long now) {
                assertThat(store.requestControl(c.id(), Control.PAUSE)).isTrue();
                assertThat(store.pauseRunning(c, state(1), 1, null, null, now)).isTrue();
            }
        },
        PAUSED_AFTER_FAILURE {
            @Override
            void leave(JobStore store, Claim c, long now) {
                assertThat(store.pauseAfterFailure(c, "disk full", now)).isTrue();
            }
        },
        RETRIED {
            @Override
            void leave(JobStore store, Claim c, long now) {
                assertThat(store.retry(c, new JobStore.RetryWrite(now + 5, "boom", "trace", null, 1, null, null, now)))
                        .isTrue();
            }
        };

        abstract void leave(JobStore store, Claim c, long now);
    }

    @Test
    void completeRecordsTheOutputAndTheTimeAndEndsTheLease() {
        Claim c = running("a");
        now += 1_000;
        assertThat(await(store.complete(c, "\"out\"", 1.0, "{\"done\":1}", now)))
                .isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(COMPLETED);
        assertThat(row.output()).isEqualTo("\"out\"");
        assertThat(row.progress()).isEqualTo(1.0);
        assertThat(row.progressData()).isEqualTo("{\"done\":1}");
        assertThat(row.completedAt()).isEqualTo(now);
        assertThat(row.leaseUntil()).isNull();
        assertThat(row.owner()).as("a finished job keeps the owner that ran it").isEqualTo("a");
    }

    @Test
    void aRunThatCompletesWhileAPauseIsAskedIsCompleted() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.PAUSE)).isTrue();
        assertThat(await(store.complete(c, "1", 1.0, null, now))).isTrue();
        assertThat(row(c.id()).status()).isEqualTo(COMPLETED);
        assertThat(row(c.id()).control()).isNull();
    }

    @Test
    void failRecordsTheErrorAndTheTime() {
        Claim c = running("a");
        now += 1_000;
        assertThat(store.fail(c, "boom", "at x", 0.3, null, now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(FAILED);
        assertThat(row.errorMessage()).isEqualTo("boom");
        assertThat(row.errorTrace()).isEqualTo("at x");
        assertThat(row.progress()).isEqualTo(0.3);
        assertThat(row.completedAt()).isEqualTo(now);
    }

    @Test
    void saveProgressWritesTheLatestProgressOfARun() {
        Claim c = running("a");
        assertThat(await(store.saveProgress(c, 0.25, "{\"n\":1}"))).isTrue();
        assertThat(await(store.saveProgress(c, 0.5, "{\"n\":2}"))).isTrue();
        assertThat(row(c.id()).progress()).isEqualTo(0.5);
        assertThat(row(c.id()).progressData()).isEqualTo("{\"n\":2}");
        assertThat(row(c.id()).status()).isEqualTo(RUNNING);
    }

    @Test
    void aCheckpointIsWhatTheNextRunStartsFrom() {
        Claim c = running("a");
        assertThat(await(store.checkpoint(c, state(5), 2, 0.5, null, now))).isTrue();
        assertThat(row(c.id()).lastCheckpoint()).isEqualTo(now);
        assertThat(row(c.id()).version()).isEqualTo(2);
        assertThat(store.stopRunning(c, state(6), 2, 0.6, null, now)).isTrue();
        assertThat(stateOnNextClaim(c.id())).isEqualTo(state(6));
    }

    // ------------------------------------------------------------------ stopping, releasing, pausing, cancelling

    @Test
    void stopRunningPutsTheJobBackInTheQueueWithItsStateSaved() {
        Claim c = running("a");
        now += 1_000;
        assertThat(store.stopRunning(c, state(7), 2, 0.4, "{\"p\":4}", now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(QUEUED);
        assertThat(row.owner()).isNull();
        assertThat(row.leaseUntil()).isNull();
        assertThat(row.completedAt()).isNull();
        assertThat(row.progress()).isEqualTo(0.4);
        assertThat(row.progressData()).isEqualTo("{\"p\":4}");
        assertThat(row.lastCheckpoint()).isEqualTo(now);
        assertThat(row.attempt()).as("the run counts").isEqualTo(1);
        ClaimedJob next = claimOne("b");
        assertThat(next.data()).isEqualTo(state(7));
        assertThat(next.version()).isEqualTo(2);
        assertThat(next.resuming()).isTrue();
    }

    @Test
    void stopRunningHonoursAPendingPause() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.PAUSE)).isTrue();
        assertThat(store.stopRunning(c, state(7), 1, null, null, now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(PAUSED);
        assertThat(row.control()).isNull();
        assertThat(row.completedAt()).isNull();
        assertThat(store.move(c.id(), Transition.RESUME, PAUSED, now)).isTrue();
        assertThat(stateOnNextClaim(c.id())).isEqualTo(state(7));
    }

    @Test
    void stopRunningHonoursAPendingCancel() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        now += 1_000;
        assertThat(store.stopRunning(c, state(7), 1, null, null, now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(CANCELLED);
        assertThat(row.completedAt()).isEqualTo(now);
        assertThat(row.control()).isNull();
    }

    @Test
    void releaseClaimPutsTheJobBackInTheQueueAsIfNeverClaimed() {
        Claim c = running("a");
        assertThat(store.releaseClaim(c, now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(QUEUED);
        assertThat(row.owner()).isNull();
        assertThat(row.leaseUntil()).isNull();
        assertThat(row.startedAt()).isNull();
        assertThat(row.attempt()).isZero();
    }

    @Test
    void releaseClaimHonoursAPendingPause() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.PAUSE)).isTrue();
        assertThat(store.releaseClaim(c, now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(PAUSED);
        assertThat(row.control()).isNull();
        assertThat(row.attempt()).isZero();
    }

    @Test
    void releaseClaimHonoursAPendingCancel() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        now += 1_000;
        assertThat(store.releaseClaim(c, now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(CANCELLED);
        assertThat(row.completedAt()).isEqualTo(now);
        assertThat(row.attempt()).isZero();
    }

    @Test
    void pauseRunningPausesOnlyWhenAPauseIsAsked() {
        Claim c = running("a");
        assertThat(store.pauseRunning(c, state(3), 1, null, null, now)).isFalse();
        assertThat(row(c.id()).status()).isEqualTo(RUNNING);
        assertThat(store.requestControl(c.id(), Control.PAUSE)).isTrue();
        assertThat(store.pauseRunning(c, state(3), 1, 0.3, null, now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(PAUSED);
        assertThat(row.control()).isNull();
        assertThat(row.owner()).isNull();
        assertThat(row.progress()).isEqualTo(0.3);
        assertThat(store.move(c.id(), Transition.RESUME, PAUSED, now)).isTrue();
        assertThat(stateOnNextClaim(c.id())).isEqualTo(state(3));
    }

    @Test
    void pauseRunningNeverOverridesAPendingCancel() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        assertThat(store.pauseRunning(c, state(3), 1, null, null, now)).isFalse();
        assertThat(row(c.id()).status()).isEqualTo(RUNNING);
        assertThat(row(c.id()).control()).isEqualTo(Control.CANCEL);
    }

    @Test
    void cancelRunningCancelsOnlyWhenACancelIsAsked() {
        Claim c = running("a");
        assertThat(store.cancelRunning(c, null, null, now)).isFalse();
        assertThat(store.requestControl(c.id(), Control.PAUSE)).isTrue();
        assertThat(store.cancelRunning(c, null, null, now)).isFalse();
        assertThat(row(c.id()).status()).isEqualTo(RUNNING);
        assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        now += 1_000;
        assertThat(store.cancelRunning(c, 0.7, "{}", now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(CANCELLED);
        assertThat(row.completedAt()).isEqualTo(now);
        assertThat(row.progress()).isEqualTo(0.7);
        assertThat(row.control()).isNull();
    }

    @Test
    void pauseAfterFailurePausesWithTheReasonAndKeepsTheLastCheckpoint() {
        Claim c = running("a");
        assertThat(await(store.checkpoint(c, state(4), 1, 0.4, null, now))).isTrue();
        assertThat(store.pauseAfterFailure(c, "the disk is full", now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(PAUSED);
        assertThat(row.errorMessage()).isEqualTo("the disk is full");
        assertThat(row.owner()).isNull();
        assertThat(row.leaseUntil()).isNull();
        assertThat(row.completedAt()).isNull();
        assertThat(store.move(c.id(), Transition.RESUME, PAUSED, now)).isTrue();
        assertThat(stateOnNextClaim(c.id())).isEqualTo(state(4));
    }

    @Test
    void pauseAfterFailureCancelsWhenACancelIsPending() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        now += 1_000;
        assertThat(store.pauseAfterFailure(c, "the disk is full", now)).isTrue();
        JobRow row = row(c.id());
        assertThat(row.status()).isEqualTo(CANCELLED);
        assertThat(row.completedAt()).isEqualTo(now);
        assertThat(row.control()).isNull();
        assertThat(row.errorMessage()).as("a cancelled job failed nothing").isNull();
    }

    // ------------------------------------------------------------------ control requests

    @Test
    void aPauseAskedOfARunningJobIsStoredAndReportedToItsOwner() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.PAUSE)).isTrue();
        assertThat(row(c.id()).control()).isEqualTo(Control.PAUSE);
        assertThat(row(c.id()).status()).isEqualTo(RUNNING);
        assertThat(store.controlsFor("a")).containsExactly(Map.entry(c.id(), Control.PAUSE));
    }

    @Test
    void aPendingCancelIsNeverReplacedByAPause() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        assertThat(store.requestControl(c.id(), Control.PAUSE)).isFalse();
        assertThat(row(c.id()).control()).isEqualTo(Control.CANCEL);
    }

    @Test
    void aPendingCancelIsNeverReplacedByAPauseTheRunAsksFor() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        store.requestControl(c, Control.PAUSE);
        assertThat(row(c.id()).control()).isEqualTo(Control.CANCEL);
    }

    @Test
    void aPendingPauseCanBecomeACancel() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.PAUSE)).isTrue();
        assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        assertThat(row(c.id()).control()).isEqualTo(Control.CANCEL);
    }

    @Test
    void aRunCanAskForItsOwnCancel() {
        Claim c = running("a");
        assertThat(store.requestControl(c, Control.CANCEL)).isTrue();
        assertThat(row(c.id()).control()).isEqualTo(Control.CANCEL);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, mode = EnumSource.Mode.EXCLUDE, names = "RUNNING")
    void askingAJobThatIsNotRunningToPauseOrCancelChangesNothing(JobStatus status) {
        UUID id = jobIn(status).id();
        JobRow before = row(id);
        assertThat(store.requestControl(id, Control.PAUSE)).isFalse();
        assertThat(store.requestControl(id, Control.CANCEL)).isFalse();
        assertThat(row(id)).isEqualTo(before);
    }

    @Test
    void withdrawPauseWithdrawsAPendingPause() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.PAUSE)).isTrue();
        assertThat(store.withdrawPause(c.id())).isTrue();
        assertThat(row(c.id()).control()).isNull();
        assertThat(store.controlsFor("a")).isEmpty();
    }

    @Test
    void withdrawPauseNeverWithdrawsACancel() {
        Claim c = running("a");
        assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        assertThat(store.withdrawPause(c.id())).isFalse();
        assertThat(row(c.id()).control()).isEqualTo(Control.CANCEL);
    }

    @Test
    void withdrawPauseWithNoPauseAskedReturnsFalse() {
        Claim c = running("a");
        assertThat(store.withdrawPause(c.id())).isFalse();
        assertThat(row(c.id()).control()).isNull();
    }

    @Test
    void controlsForReportsTheRequestsForTheRunningJobsOfThatOwnerOnly() {
        Claim paused = running("a");
        Claim cancelled = running("a");
        running("a"); // nothing asked
        Claim othersJob = running("b");
        assertThat(store.requestControl(paused.id(), Control.PAUSE)).isTrue();
        assertThat(store.requestControl(cancelled.id(), Control.CANCEL)).isTrue();
        assertThat(store.requestControl(othersJob.id(), Control.PAUSE)).isTrue();
        assertThat(store.controlsFor("a"))
                .containsOnly(Map.entry(paused.id(), Control.PAUSE), Map.entry(cancelled.id(), Control.CANCEL));
    }

    // ------------------------------------------------------------------ dispatch

    @Test
    void insertClaimedIfFirstClaimsTheJobWhenNothingIsQueued() {
        UUID id = UUID.randomUUID();
        assertThat(await(store.insertClaimedIfFirst(new NewJob(id, RESUMABLE, 1, state(1), 0, now), "a", now + LEASE)))
                .isTrue();
        JobRow row = row(id);
        assertThat(row.status()).isEqualTo(RUNNING);
        assertThat(row.owner()).isEqualTo("a");
        assertThat(row.leaseUntil()).isEqualTo(now + LEASE);
        assertThat(await(store.complete(new Claim(id, "a", 1), null, null, null, now)))
                .as("its run holds claim token 1")
                .isTrue();
    }

    @Test
    void insertClaimedIfFirstQueuesTheJobBehindAQueuedJobOfTheSamePriority() {
        insert(RESUMABLE, 5);
        UUID id = UUID.randomUUID();
        assertThat(insertClaimedAtPriority5(id)).isFalse();
        assertThat(row(id).status()).isEqualTo(QUEUED);
        assertThat(row(id).owner()).isNull();
    }

    /** {@code insertClaimedIfFirst} of a resumable job of priority 5 for owner "a". */
    private boolean insertClaimedAtPriority5(UUID id) {
        return await(store.insertClaimedIfFirst(new NewJob(id, RESUMABLE, 1, state(1), 5, now), "a", now + LEASE));
    }

    @Test
    void insertClaimedIfFirstQueuesTheJobBehindAQueuedJobOfHigherPriority() {
        insert(ONE_SHOT, 6);
        UUID id = UUID.randomUUID();
        assertThat(insertClaimedAtPriority5(id)).isFalse();
        assertThat(row(id).status()).isEqualTo(QUEUED);
    }

    @Test
    void insertClaimedIfFirstClaimsAheadOfQueuedJobsOfLowerPriority() {
        insert(RESUMABLE, 4);
        UUID id = UUID.randomUUID();
        assertThat(insertClaimedAtPriority5(id)).isTrue();
        assertThat(row(id).status()).isEqualTo(RUNNING);
    }

    @Test
    void insertClaimedIfFirstDisregardsQueuedJobsThisStoreCannotRun() {
        insert(UNKNOWN, 9);
        UUID id = UUID.randomUUID();
        assertThat(insertClaimedAtPriority5(id)).isTrue();
    }

    @Test
    void insertClaimedIfFirstDisregardsJobsThatAreNotQueued() {
        for (JobStatus status : EnumSet.complementOf(EnumSet.of(QUEUED))) {
            jobIn(status); // each at a priority above the new job's
        }
        UUID id = UUID.randomUUID();
        assertThat(insertClaimedAtPriority5(id)).isTrue();
    }

    @Test
    void theParametersAndTheRerunLinkOfAJobAreKeptByEveryInsert() {
        UUID original = insert(RESUMABLE, 0);
        UUID one = UUID.randomUUID();
        UUID claimed = UUID.randomUUID();
        UUID batched = UUID.randomUUID();
        await(store.insert(new NewJob(one, RESUMABLE, 1, state(1), 0, now, "{\"a\":1}", original), null));
        assertThat(await(store.insertClaimedIfFirst(
                        new NewJob(claimed, RESUMABLE, 1, state(1), 9, now, "{\"b\":2}", null), "a", now + LEASE)))
                .isTrue();
        await(store.insertAll(List.of(new NewJob(batched, RESUMABLE, 1, state(1), 0, now, "{}", original)), null));
        assertThat(row(one).parameters()).isEqualTo("{\"a\":1}");
        assertThat(row(one).rerunOf()).isEqualTo(original);
        assertThat(row(claimed).parameters()).isEqualTo("{\"b\":2}");
        assertThat(row(claimed).rerunOf()).isNull();
        assertThat(row(batched).parameters()).isEqualTo("{}");
        assertThat(row(batched).rerunOf()).isEqualTo(original);
        assertThat(row(original).parameters()).as("none given").isNull();
    }

    @Test
    void insertAllStoresEveryJobAsQueued() {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(new NewJob(UUID.randomUUID(), RESUMABLE, 1, state(i), i, now));
        }
        await(store.insertAll(jobs, null));
        for (NewJob job : jobs) {
            JobRow row = row(job.id());
            assertThat(row.status()).isEqualTo(QUEUED);
            assertThat(row.priority()).isEqualTo(job.priority());
            assertThat(row.createdAt()).isEqualTo(now);
        }
    }

    @Test
    void insertAllWithAnIdTwiceInTheBatchStoresNoneAndRunsNoCallback() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        List<String> callbacks = Collections.synchronizedList(new ArrayList<>());
        List<NewJob> batch = List.of(
                new NewJob(a, RESUMABLE, 1, state(1), 0, now),
                new NewJob(b, RESUMABLE, 1, state(2), 0, now),
                new NewJob(a, RESUMABLE, 1, state(3), 0, now));
        assertThatThrownBy(() -> await(store.insertAll(batch, () -> callbacks.add("ran"))))
                .isInstanceOf(StoreException.class);
        assertThat(store.find(a)).isEmpty();
        assertThat(store.find(b)).isEmpty();
        assertThat(callbacks).isEmpty();
    }

    @Test
    void insertAllWithAnIdAlreadyStoredStoresNone() {
        UUID existing = insert(RESUMABLE, 0);
        UUID fresh = UUID.randomUUID();
        List<NewJob> batch = List.of(
                new NewJob(fresh, RESUMABLE, 1, state(1), 0, now), new NewJob(existing, ONE_SHOT, 1, state(2), 0, now));
        assertThatThrownBy(() -> await(store.insertAll(batch, null))).isInstanceOf(StoreException.class);
        assertThat(store.find(fresh)).isEmpty();
        assertThat(row(existing).name()).isEqualTo(RESUMABLE);
    }

    @Test
    void onCommitCallbacksRunInCommitOrder() {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int index = i;
            NewJob job = new NewJob(UUID.randomUUID(), RESUMABLE, 1, state(i), 0, now);
            futures.add(
                    i % 3 == 0
                            ? store.insertAll(List.of(job), () -> order.add(index))
                            : store.insert(job, () -> order.add(index)));
        }
        futures.forEach(JobStoreConformance::await);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add(i);
        }
        assertThat(order).containsExactlyElementsOf(expected);
    }

    @Test
    void anOnCommitCallbackRunsOnlyOnceItsJobIsVisibleToReads() {
        UUID id = UUID.randomUUID();
        List<Boolean> visible = Collections.synchronizedList(new ArrayList<>());
        await(store.insert(
                new NewJob(id, RESUMABLE, 1, state(1), 0, now),
                () -> visible.add(store.find(id).isPresent())));
        assertThat(visible).containsExactly(true);
    }

    // ------------------------------------------------------------------ queries

    @Test
    void listPagesThroughEveryJobOldestFirstWithoutSkippingOrRepeatingAny() {
        Set<UUID> all = new HashSet<>();
        for (long createdAt : new long[] {40, 10, 20, 20, 20, 30, 40}) { // ties: the id decides
            all.add(insertCreatedAt(RESUMABLE, createdAt));
        }
        List<JobRow> whole = store.list(filter(100, true));
        assertThat(ids(whole)).containsExactlyInAnyOrderElementsOf(all);
        assertThat(whole).isSortedAccordingTo(Comparator.comparingLong(JobRow::createdAt));
        assertThat(pages(2, true)).containsExactlyElementsOf(ids(whole));
    }

    @Test
    void listPagesThroughEveryJobNewestFirstInTheReverseOrder() {
        for (long createdAt : new long[] {40, 10, 20, 20, 20, 30, 40}) {
            insertCreatedAt(RESUMABLE, createdAt);
        }
        List<UUID> oldestFirst = ids(store.list(filter(100, true)));
        List<UUID> newestFirst = new ArrayList<>(oldestFirst);
        Collections.reverse(newestFirst);
        assertThat(ids(store.list(filter(100, false)))).containsExactlyElementsOf(newestFirst);
        assertThat(pages(3, false)).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void listPagesWithinAFilterWithoutSkippingOrRepeatingAny() {
        for (long createdAt : new long[] {10, 20, 20, 20, 30}) {
            insertCreatedAt(RESUMABLE, createdAt);
            UUID paused = insertCreatedAt(RESUMABLE, createdAt);
            assertThat(store.move(paused, Transition.PAUSE, QUEUED, now)).isTrue();
        }
        List<UUID> queued = ids(
                store.list(new JobStore.ListFilter(EnumSet.of(QUEUED), List.of(), null, null, 100, false, null, null)));
        assertThat(queued).hasSize(5);
        assertThat(pages(EnumSet.of(QUEUED), 2, false)).containsExactlyElementsOf(queued);
    }

    private List<UUID> pages(int size, boolean oldestFirst) {
        return pages(ALL, size, oldestFirst);
    }

    /** Every page of a listing, {@code size} at a time, continued from the last row of the page before. */
    private List<UUID> pages(Set<JobStatus> statuses, int size, boolean oldestFirst) {
        List<UUID> ids = new ArrayList<>();
        JobRow last = null;
        for (int page = 0; page < 100; page++) {
            List<JobRow> rows = store.list(new JobStore.ListFilter(
                    statuses,
                    List.of(),
                    null,
                    null,
                    size,
                    oldestFirst,
                    last == null ? null : last.createdAt(),
                    last == null ? null : last.id()));
            assertThat(rows.size()).isLessThanOrEqualTo(size);
            if (rows.isEmpty()) {
                return ids;
            }
            ids.addAll(ids(rows));
            last = rows.get(rows.size() - 1);
        }
        throw new AssertionError("paging does not end: " + ids);
    }

    @Test
    void listReturnsOnlyJobsInTheStatusesAsked() {
        Map<JobStatus, UUID> byStatus = new java.util.EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            byStatus.put(status, jobIn(status).id());
        }
        List<JobRow> rows = store.list(
                new JobStore.ListFilter(EnumSet.of(PAUSED, FAILED), List.of(), null, null, 100, true, null, null));
        assertThat(ids(rows)).containsExactlyInAnyOrder(byStatus.get(PAUSED), byStatus.get(FAILED));
    }

    @Test
    void listReturnsOnlyJobsOfTheNamesAskedOrOfEveryNameWhenNoneIsGiven() {
        UUID resumable = insert(RESUMABLE, 0);
        UUID oneShot = insert(ONE_SHOT, 0);
        UUID unknown = insert(UNKNOWN, 0);
        assertThat(ids(store.list(
                        new JobStore.ListFilter(ALL, List.of(ONE_SHOT, UNKNOWN), null, null, 100, true, null, null))))
                .containsExactlyInAnyOrder(oneShot, unknown);
        assertThat(ids(store.list(filter(100, true)))).containsExactlyInAnyOrder(resumable, oneShot, unknown);
    }

    @Test
    void listFiltersByCreationTimeFromInclusiveToExclusive() {
        insertCreatedAt(RESUMABLE, 10);
        UUID at20 = insertCreatedAt(RESUMABLE, 20);
        UUID at30 = insertCreatedAt(RESUMABLE, 30);
        insertCreatedAt(RESUMABLE, 40);
        List<JobRow> rows = store.list(new JobStore.ListFilter(ALL, List.of(), 20L, 40L, 100, true, null, null));
        assertThat(ids(rows)).containsExactly(at20, at30);
    }

    @Test
    void listFiltersByTextInTheNameParametersErrorOrIdPrefix() {
        UUID byParameters = UUID.randomUUID();
        await(store.insert(
                new NewJob(byParameters, RESUMABLE, 1, state(1), 0, now++, "{\"dir\":\"/home/Photos\"}", null), null));
        UUID byName = insert(ONE_SHOT, 0);
        UUID failed = jobIn(FAILED).id(); // its error message is "boom"
        UUID plain = insert(RESUMABLE, 0);
        assertThat(ids(store.list(textFilter("photos"))))
                .as("parameters, any case")
                .containsExactly(byParameters);
        assertThat(ids(store.list(textFilter("oneshot")))).as("name").containsExactly(byName);
        assertThat(ids(store.list(textFilter("boo")))).as("error message").containsExactly(failed);
        String prefix = plain.toString().substring(0, 13);
        assertThat(ids(store.list(textFilter(prefix)))).as("id prefix").containsExactly(plain);
        assertThat(ids(store.list(textFilter("%")))).as("no wildcard").isEmpty();
    }

    private static JobStore.ListFilter textFilter(String text) {
        return new JobStore.ListFilter(ALL, List.of(), null, null, 100, true, null, null, text);
    }

    @Test
    void idsStartingWithFindsIdsByPrefixInOrderUpToTheLimit() {
        UUID a1 = UUID.fromString("aaaa0000-0000-4000-8000-000000000001");
        UUID a2 = UUID.fromString("aaaa0000-0000-4000-8000-000000000002");
        UUID a3 = UUID.fromString("aaaabbbb-0000-4000-8000-000000000003");
        UUID b = UUID.fromString("bbbb0000-0000-4000-8000-000000000004");
        for (UUID id : List.of(a3, b, a2, a1)) {
            await(store.insert(new NewJob(id, RESUMABLE, 1, state(1), 0, now), null));
        }
        assertThat(store.idsStartingWith("aaaa", 10)).containsExactly(a1, a2, a3);
        assertThat(store.idsStartingWith("aaaa0000", 10)).containsExactly(a1, a2);
        assertThat(store.idsStartingWith("aaaa", 2)).containsExactly(a1, a2);
        assertThat(store.idsStartingWith("cccc", 10)).isEmpty();
    }

    @Test
    void idsStartingWithIgnoresTheCaseOfThePrefix() {
        UUID id = UUID.fromString("abcdef00-0000-4000-8000-000000000001");
        await(store.insert(new NewJob(id, RESUMABLE, 1, state(1), 0, now), null));
        assertThat(store.idsStartingWith("ABCDEF", 10)).containsExactly(id);
    }

    @Test
    void idsStartingWithTakesThePrefixLiterally() {
        insert(RESUMABLE, 0);
        assertThat(store.idsStartingWith("%", 10)).isEmpty();
        assertThat(store.idsStartingWith("_", 10)).isEmpty();
    }

    @Test
    void finishedSinceListsJobsOthersFinishedAtOrAfterTheGivenTime() {
        long since = now + 10_000;
        Claim early = running("b");
        Claim onTime = running("b");
        Claim late = running("b");
        Claim mine = running("a");
        running("b"); // still running
        assertThat(await(store.complete(early, null, null, null, since - 1))).isTrue();
        assertThat(await(store.complete(onTime, null, null, null, since))).isTrue();
        assertThat(store.fail(late, "boom", null, null, null, since + 5)).isTrue();
        assertThat(await(store.complete(mine, null, null, null, since + 5))).isTrue();
        assertThat(ids(store.finishedSince(since, "a"))).containsExactlyInAnyOrder(onTime.id(), late.id());
    }

    @Test
    void finishedSinceListsAJobCancelledWithoutARun() {
        UUID id = queuedFirst(RESUMABLE);
        assertThat(store.move(id, Transition.CANCEL, QUEUED, now)).isTrue();
        assertThat(ids(store.finishedSince(now, "a"))).containsExactly(id);
    }

    @Test
    void finishedSinceLeavesOutAJobItsOwnRunCancelledAtItsStop() {
        Claim stopped = running("a");
        Claim released = running("a");
        Claim failedToSave = running("a");
        for (Claim c : List.of(stopped, released, failedToSave)) {
            assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        }
        assertThat(store.stopRunning(stopped, state(1), 1, null, null, now)).isTrue();
        assertThat(store.releaseClaim(released, now)).isTrue();
        assertThat(store.pauseAfterFailure(failedToSave, "disk full", now)).isTrue();
        assertThat(store.finishedSince(now, "a")).isEmpty();
    }

    @Test
    void finishedAmongListsTheGivenJobsOthersFinishedWheneverTheyEnded() {
        Claim longAgo = running("b");
        Claim failed = running("b");
        Claim mine = running("a");
        Claim stillRunning = running("b");
        Claim notAsked = running("b");
        UUID queued = insert(RESUMABLE, 0);
        UUID cancelled = queuedFirst(RESUMABLE);
        assertThat(await(store.complete(longAgo, null, null, null, now - 86_400_000L)))
                .isTrue();
        assertThat(store.fail(failed, "boom", null, null, null, now)).isTrue();
        assertThat(await(store.complete(mine, null, null, null, now))).isTrue();
        assertThat(await(store.complete(notAsked, null, null, null, now))).isTrue();
        assertThat(store.move(cancelled, Transition.CANCEL, QUEUED, now)).isTrue();
        List<UUID> asked =
                List.of(longAgo.id(), failed.id(), mine.id(), stillRunning.id(), queued, cancelled, UUID.randomUUID());
        assertThat(ids(store.finishedAmong(asked, "a")))
                .containsExactlyInAnyOrder(longAgo.id(), failed.id(), cancelled);
    }

    @Test
    void finishedAmongNoJobsIsEmpty() {
        assertThat(await(store.complete(running("b"), null, null, null, now))).isTrue();
        assertThat(store.finishedAmong(List.of(), "a")).isEmpty();
    }

    @Test
    void unresolvedListsTheActiveJobsOfNamesThisStoreCannotRun() {
        UUID queued = insert(UNKNOWN, 0);
        UUID paused = insert(UNKNOWN, 0);
        assertThat(store.move(paused, Transition.PAUSE, QUEUED, now)).isTrue();
        UUID cancelled = insert(UNKNOWN, 0);
        assertThat(store.move(cancelled, Transition.CANCEL, QUEUED, now)).isTrue();
        insert(RESUMABLE, 0);
        assertThat(ids(store.unresolved())).containsExactlyInAnyOrder(queued, paused);
    }

    @Test
    void unresolvedListsAJobRunningInAProcessThatCanRunIt() {
        UUID id = insert(UNKNOWN, 0);
        JobStore other = second(List.of(UNKNOWN));
        assertThat(other.claim("b", 1, now, now + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactly(id);
        assertThat(ids(store.unresolved())).containsExactly(id);
        assertThat(other.unresolved()).isEmpty();
    }

    @Test
    void hasRunnableQueuedSeesAQueuedJobThisStoreCanRun() {
        insert(ONE_SHOT, 0);
        assertThat(store.hasRunnableQueued()).isTrue();
    }

    @Test
    void hasRunnableQueuedDisregardsJobsThisStoreCannotRun() {
        assertThat(store.hasRunnableQueued()).isFalse();
        insert(UNKNOWN, 0);
        assertThat(store.hasRunnableQueued()).isFalse();
    }

    @Test
    void hasRunnableQueuedDisregardsJobsThatAreNotQueued() {
        for (JobStatus status : EnumSet.complementOf(EnumSet.of(QUEUED))) {
            jobIn(status);
        }
        assertThat(store.hasRunnableQueued()).isFalse();
    }

    /**
     * The queue depth of the metrics: every QUEUED job, due or delayed, limited or not, of any
     * type (this store runs it or not), and nothing else. A store may not count (empty); one that does counts right.
     */
    @Test
    void countQueuedCountsEveryQueuedJobDueOrDelayedAndNothingElse() {
        for (JobStatus status : EnumSet.complementOf(EnumSet.of(QUEUED))) {
            jobIn(status);
        }
        insert(ONE_SHOT, 0);
        insert(UNKNOWN, 0);
        insertDelayed(RESUMABLE, 0, now + 3_600_000);
        insertLimited(0, res("repo:/data", 1));
        java.util.OptionalLong count = store.countQueued();
        if (count.isPresent()) {
            assertThat(count.getAsLong()).isEqualTo(4);
        }
    }

    @Test
    void aStoreOfReadableJobsHasNoUnreadableRows() {
        for (JobStatus status : JobStatus.values()) {
            jobIn(status);
        }
        insert(UNKNOWN, 0);
        assertThat(store.unreadableRows()).isEmpty();
    }

    // ------------------------------------------------------------------ logs

    private void log(Claim c, long seq, String message) {
        assertThat(await(store.appendLog(c, seq, 100 + seq, "INFO", message))).isTrue();
    }

    @Test
    void logsReturnsTheLinesAfterTheGivenSequenceOldestFirst() {
        Claim c = running("a");
        for (long seq = 1; seq <= 5; seq++) {
            log(c, seq, "line " + seq);
        }
        assertThat(store.logs(c.id(), 2, 10))
                .containsExactly(
                        new JobStore.LogRow(3, 103, "INFO", "line 3"),
                        new JobStore.LogRow(4, 104, "INFO", "line 4"),
                        new JobStore.LogRow(5, 105, "INFO", "line 5"));
    }

    @Test
    void logsReturnsAtMostTheLimit() {
        Claim c = running("a");
        for (long seq = 1; seq <= 5; seq++) {
            log(c, seq, "line " + seq);
        }
        assertThat(store.logs(c.id(), 0, 2)).extracting(JobStore.LogRow::seq).containsExactly(1L, 2L);
        assertThat(store.logs(c.id(), 2, 2)).extracting(JobStore.LogRow::seq).containsExactly(3L, 4L);
    }

    @Test
    void logsOfAJobHoldNoLineOfAnother() {
        Claim mine = running("a");
        Claim other = running("a");
        log(mine, 1, "mine");
        log(other, 1, "other");
        log(other, 2, "other");
        assertThat(store.logs(mine.id(), 0, 10))
                .extracting(JobStore.LogRow::message)
                .containsExactly("mine");
    }

    @Test
    void lastLogSequenceIsTheHighestSequenceOrZero() {
        Claim c = running("a");
        assertThat(store.lastLogSequence(c.id())).isZero();
        log(c, 1, "a");
        log(c, 7, "b");
        log(c, 3, "c");
        assertThat(store.lastLogSequence(c.id())).isEqualTo(7);
    }

    // ------------------------------------------------------------------ webhook deliveries

    private JobStore.DeliveryRow delivery(UUID job, String delivery, int attempt, Integer status, String error) {
        return new JobStore.DeliveryRow(
                delivery,
                job,
                "https://hooks.example/jobs",
                "COMPLETED",
                attempt,
                now++,
                status,
                error,
                status != null && status / 100 == 2);
    }

    @Test
    void deliveryAttemptsAreListedInTheOrderRecordedWithEveryField() {
        UUID job = finishedAt(100, 0);
        List<JobStore.DeliveryRow> attempts = List.of(
                delivery(job, "d1", 1, null, "connection refused"),
                delivery(job, "d1", 2, 503, "HTTP 503 Service Unavailable"),
                delivery(job, "d1", 3, 204, null));
        for (JobStore.DeliveryRow attempt : attempts) {
            await(store.recordDelivery(attempt));
        }

        assertThat(store.deliveries(job, 10)).containsExactlyElementsOf(attempts);
        assertThat(store.deliveries(job, 2)).containsExactlyElementsOf(attempts.subList(0, 2));
        assertThat(store.deliveries(UUID.randomUUID(), 10)).isEmpty();
    }

    @Test
    void deliveriesRecordedByOneStoreAreSeenByAnotherOnTheSameStorage() {
        UUID job = finishedAt(100, 0);
        JobStore.DeliveryRow attempt = delivery(job, "d2", 1, 200, null);

        await(second(List.of(RESUMABLE)).recordDelivery(attempt));

        assertThat(store.deliveries(job, 10)).containsExactly(attempt);
    }

    @Test
    void deleteFinishedDeletesTheDeliveriesOfTheJobsItDeletesAndNoOthers() {
        UUID old = finishedAt(100, 0);
        UUID recent = finishedAt(300, 0);
        await(store.recordDelivery(delivery(old, "d3", 1, 200, null)));
        JobStore.DeliveryRow kept = delivery(recent, "d4", 1, 200, null);
        await(store.recordDelivery(kept));

        assertThat(store.deleteFinished(200L, 0, 100).ids()).containsExactly(old);

        assertThat(store.deliveries(old, 10)).isEmpty();
        assertThat(store.deliveries(recent, 10)).containsExactly(kept);
    }

    // ------------------------------------------------------------------ retention

    /** A job of "a" finished at {@code at}, with {@code logLines} log lines. */
    private UUID finishedAt(long at, int logLines) {
        Claim c = running("a");
        for (int i = 1; i <= logLines; i++) {
            log(c, i, "line");
        }
        assertThat(await(store.complete(c, null, null, null, at))).isTrue();
        return c.id();
    }

    @Test
    void deleteFinishedByCutoffDeletesOnlyJobsFinishedBeforeIt() {
        UUID old = finishedAt(100, 0);
        UUID atCutoff = finishedAt(200, 0);
        UUID recent = finishedAt(300, 0);
        JobStore.Deleted deleted = store.deleteFinished(200L, 0, 100);
        assertThat(deleted.ids()).containsExactly(old);
        assertThat(store.find(old)).isEmpty();
        assertThat(store.find(atCutoff)).isPresent();
        assertThat(store.find(recent)).isPresent();
    }

    @Test
    void deleteFinishedNeverDeletesAnActiveJob() {
        List<UUID> active = new ArrayList<>();
        for (JobStatus status : EnumSet.of(QUEUED, RUNNING, PAUSED)) {
            active.add(jobIn(status).id());
        }
        UUID finished = finishedAt(100, 0);
        assertThat(store.deleteFinished(Long.MAX_VALUE, 0, 100).ids()).containsExactly(finished);
        assertThat(store.deleteFinished(null, 0, 100).ids()).isEmpty();
        for (UUID id : active) {
            assertThat(store.find(id)).isPresent();
        }
    }

    @Test
    void deleteFinishedDeletesTheLogsOfTheJobsItDeletesAndNoOthers() {
        UUID finished = finishedAt(100, 3);
        Claim active = running("a");
        log(active, 1, "kept");
        log(active, 2, "kept");
        JobStore.Deleted deleted = store.deleteFinished(Long.MAX_VALUE, 0, 100);
        assertThat(deleted.ids()).containsExactly(finished);
        assertThat(deleted.logLines()).isEqualTo(3);
        assertThat(store.logs(finished, 0, 10)).isEmpty();
        assertThat(store.lastLogSequence(finished)).isZero();
        assertThat(store.logs(active.id(), 0, 10)).hasSize(2);
    }

    @Test
    void deleteFinishedDeletesAtMostOneChunkPerCall() {
        for (int i = 0; i < 5; i++) {
            finishedAt(100 + i, 0);
        }
        assertThat(store.deleteFinished(Long.MAX_VALUE, 0, 2).ids()).hasSize(2);
        assertThat(store.deleteFinished(Long.MAX_VALUE, 0, 2).ids()).hasSize(2);
        assertThat(store.deleteFinished(Long.MAX_VALUE, 0, 2).ids()).hasSize(1);
        assertThat(store.deleteFinished(Long.MAX_VALUE, 0, 2).ids()).isEmpty();
    }

    @Test
    void deleteFinishedKeepingNewestDeletesAllButTheMostRecentlyFinished() {
        List<UUID> byCompletion = new ArrayList<>();
        for (long at : new long[] {300, 100, 500, 200, 400}) {
            byCompletion.add(finishedAt(at, 0));
        }
        JobStore.Deleted deleted = store.deleteFinished(null, 2, 100);
        // finished at 100, 200 and 300 go; 400 and 500 stay
        assertThat(deleted.ids())
                .containsExactlyInAnyOrder(byCompletion.get(0), byCompletion.get(1), byCompletion.get(3));
        assertThat(store.find(byCompletion.get(2))).isPresent();
        assertThat(store.find(byCompletion.get(4))).isPresent();
    }

    @Test
    void deleteFinishedKeepingNewestInSmallChunksEndsWithTheNewestOnly() {
        List<UUID> finished = new ArrayList<>();
        for (long at = 100; at <= 500; at += 100) {
            finished.add(finishedAt(at, 0));
        }
        int calls = 0;
        while (!store.deleteFinished(null, 2, 1).ids().isEmpty()) {
            assertThat(++calls).as("calls that deleted a job").isLessThanOrEqualTo(3);
        }
        assertThat(ids(store.list(filter(100, true)))).containsExactlyInAnyOrder(finished.get(3), finished.get(4));
    }

    @Test
    void deleteFinishedKeepingNewestCountsFinishedJobsOnly() {
        UUID older = finishedAt(100, 0);
        UUID newer = finishedAt(200, 0);
        jobIn(QUEUED);
        jobIn(PAUSED);
        assertThat(store.deleteFinished(null, 1, 100).ids()).containsExactly(older);
        assertThat(store.find(newer)).isPresent();
    }

    // ------------------------------------------------------------------ owners and leases

    @Test
    void removeDeadOwnersRemovesAnOwnerOfThisHostWhoseProcessIsGone() {
        store.registerOwner("dead", HOST, 42, now, now + LEASE);
        JobStore.DeadOwners dead = store.removeDeadOwners("self", HOST, pid -> pid != 42, now, false);
        assertThat(dead.crashed()).containsExactly("dead");
        assertThat(dead.diedHere()).containsExactly("dead");
        assertThat(dead.lapsed()).isEmpty();
        assertThat(store.removeDeadOwners("self", HOST, pid -> false, now, true).isEmpty())
                .as("its row is gone")
                .isTrue();
    }

    @Test
    void removeDeadOwnersNeverRemovesTheCaller() {
        store.registerOwner("self", HOST, 42, now, now - 1);
        assertThat(store.removeDeadOwners("self", HOST, pid -> false, now, true).isEmpty())
                .isTrue();
    }

    @Test
    void anOwnerOnAnotherHostIsNotJudgedByItsPid() {
        store.registerOwner("remote", "host-2", 42, now, now + LEASE);
        assertThat(store.removeDeadOwners("self", HOST, pid -> false, now, true).isEmpty())
                .isTrue();
    }

    @Test
    void anOwnerOnAnotherHostWhoseLeaseExpiredCountsAsCrashedWhenLeasesAreUsed() {
        store.registerOwner("remote", "host-2", 42, now, now - 1);
        assertThat(store.removeDeadOwners("self", HOST, pid -> true, now, false).isEmpty())
                .as("without leases")
                .isTrue();
        JobStore.DeadOwners dead = store.removeDeadOwners("self", HOST, pid -> true, now, true);
        assertThat(dead.crashed()).containsExactly("remote");
        assertThat(dead.diedHere()).isEmpty();
        assertThat(dead.lapsed()).isEmpty();
    }

    @Test
    void aLiveOwnerOfThisHostWhoseLeaseExpiredHasLapsedWhenLeasesAreUsed() {
        store.registerOwner("frozen", HOST, 42, now, now - 1);
        assertThat(store.removeDeadOwners("self", HOST, pid -> true, now, false).isEmpty())
                .as("without leases")
                .isTrue();
        JobStore.DeadOwners dead = store.removeDeadOwners("self", HOST, pid -> true, now, true);
        assertThat(dead.lapsed()).containsExactly("frozen");
        assertThat(dead.crashed()).isEmpty();
        assertThat(dead.diedHere()).isEmpty();
    }

    @Test
    void aLiveOwnerWithALeaseStays() {
        store.registerOwner("alive", HOST, 42, now, now + LEASE);
        assertThat(store.removeDeadOwners("self", HOST, pid -> true, now, true).isEmpty())
                .isTrue();
    }

    @Test
    void renewLeaseExtendsTheOwnersLease() {
        store.registerOwner("remote", "host-2", 42, now, now + 10);
        store.renewLease("remote", "host-2", 42, now, now + LEASE);
        assertThat(store.removeDeadOwners("self", HOST, pid -> true, now + 100, true)
                        .isEmpty())
                .isTrue();
    }

    @Test
    void renewLeaseExtendsTheLeaseOfEveryRunningJobOfThatOwnerOnly() {
        store.registerOwner("a", HOST, 1, now, now + LEASE);
        Claim first = running("a");
        Claim second = running("a");
        Claim others = running("b");
        Long othersLease = row(others.id()).leaseUntil();
        UUID finished = finishedAt(now, 0);
        store.renewLease("a", HOST, 1, now, now + 5 * LEASE);
        assertThat(row(first.id()).leaseUntil()).isEqualTo(now + 5 * LEASE);
        assertThat(row(second.id()).leaseUntil()).isEqualTo(now + 5 * LEASE);
        assertThat(row(others.id()).leaseUntil()).isEqualTo(othersLease);
        assertThat(row(finished).leaseUntil()).isNull();
    }

    @Test
    void renewLeaseRecreatesTheOwnerRowASweepRemoved() {
        store.registerOwner("stalled", HOST, 42, now, now + LEASE);
        assertThat(store.removeDeadOwners("self", HOST, pid -> false, now, false)
                        .crashed())
                .containsExactly("stalled");
        store.renewLease("stalled", HOST, 42, now, now + LEASE);
        assertThat(store.removeDeadOwners("self", HOST, pid -> false, now, false)
                        .crashed())
                .as("the row is back")
                .containsExactly("stalled");
    }

    @Test
    void theRunningJobsOfARegisteredOwnerAreNoOrphans() {
        store.registerOwner("a", HOST, 1, now, now + LEASE);
        Claim c = running("a");
        assertThat(store.startRun(c, now)).isTrue();
        assertThat(recover(3)).isEmpty();
        assertThat(row(c.id()).status()).isEqualTo(RUNNING);
    }

    @Test
    void recoveryCancelsAnOrphanWhoseCancelWasAsked() {
        Claim c = running("a");
        assertThat(store.startRun(c, now)).isTrue();
        assertThat(store.requestControl(c.id(), Control.CANCEL)).isTrue();
        recover(3);
        assertThat(row(c.id()).status()).isEqualTo(CANCELLED);
        assertThat(row(c.id()).completedAt()).isEqualTo(now);
    }

    @Test
    void recoveryPausesAnOrphanWhosePauseWasAsked() {
        Claim c = running("a");
        assertThat(store.startRun(c, now)).isTrue();
        assertThat(store.requestControl(c.id(), Control.PAUSE)).isTrue();
        recover(3);
        assertThat(row(c.id()).status()).isEqualTo(PAUSED);
        assertThat(row(c.id()).control()).isNull();
    }

    // ------------------------------------------------------------------ change notification and closing

    @Test
    void watchChangesCallsBackAfterACommitOfAnotherStoreOnTheSameStorage() throws Exception {
        JobStore other = second(List.of(RESUMABLE));
        UUID id = UUID.randomUUID();
        CompletableFuture<Void> seen = new CompletableFuture<>();
        try (AutoCloseable watch = store.watchChanges(Duration.ofMillis(10), () -> {
            if (store.find(id).isPresent()) {
                seen.complete(null);
            }
        })) {
            await(other.insert(new NewJob(id, RESUMABLE, 1, state(1), 0, now), null));
            seen.get(10, TimeUnit.SECONDS); // a bound for a broken store, never reached when it works
        }
        assertThat(seen).isDone();
    }

    @Test
    void closeCommitsTheWritesAlreadySubmitted() {
        List<UUID> ids = new ArrayList<>();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            futures.add(store.insert(new NewJob(id, RESUMABLE, 1, state(i), 0, now), null));
        }
        closeStore();
        for (CompletableFuture<Void> f : futures) {
            assertThat(f).isDone();
            await(f);
        }
        JobStore reopened = second(List.of(RESUMABLE));
        for (UUID id : ids) {
            assertThat(reopened.find(id)).isPresent();
        }
    }

    @Test
    void aStoreFailsEveryCallOnceClosed() {
        UUID id = insert(RESUMABLE, 0);
        closeStore();
        assertThatThrownBy(
                        () -> await(store.insert(new NewJob(UUID.randomUUID(), RESUMABLE, 1, state(1), 0, now), null)))
                .isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.find(id)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.claim("a", 1, now, now + LEASE)).isInstanceOf(StoreException.class);
    }

    // ------------------------------------------------------------------ retries

    private static final String POLICY = "{\"maxAttempts\":2}";

    private UUID insertWithPolicy(String name, int maxAttempts) {
        UUID id = UUID.randomUUID();
        await(store.insert(
                new NewJob(
                        id,
                        name,
                        1,
                        state(0),
                        nextFirst++,
                        now++,
                        "{}",
                        null,
                        null,
                        POLICY,
                        maxAttempts,
                        null,
                        null,
                        null,
                        List.of(),
                        null),
                null));
        return id;
    }

    private JobStore.RetryWrite retryAt(long runAt, String error, byte[] restartData) {
        return new JobStore.RetryWrite(runAt, error, "trace of " + error, restartData, 3, 0.5, "{}", now);
    }

    @Test
    void aJobKeepsTheRetryPolicyItWasDispatchedWith() {
        UUID id = insertWithPolicy(RESUMABLE, 2);
        assertThat(row(id).maxAttempts()).isEqualTo(2);
        assertThat(row(id).failures()).isZero();
        ClaimedJob job = claimOne("a");
        assertThat(job.retryPolicy()).isEqualTo(POLICY);
        assertThat(job.failures()).isZero();
        assertThat(row(queuedFirst(RESUMABLE)).maxAttempts())
                .as("a job without a policy")
                .isNull();
    }

    @Test
    void aRetriedJobWaitsQueuedUntilItsRetryTimeWithItsError() {
        UUID id = insertWithPolicy(RESUMABLE, 3);
        Claim c = claim(id, "a");
        assertThat(store.retry(c, retryAt(now + 1_000, "java.io.IOException: reset", null)))
                .isTrue();
        JobRow r = row(id);
        assertThat(r.status()).isEqualTo(QUEUED);
        assertThat(r.runAt()).isEqualTo(now + 1_000);
        assertThat(r.failures()).isEqualTo(1);
        assertThat(r.errorMessage()).isEqualTo("java.io.IOException: reset");
        assertThat(r.owner()).isNull();
        assertThat(store.claim("b", 10, now, now + LEASE)).as("not due yet").isEmpty();
        assertThat(store.nextRunAt(now)).hasValue(now + 1_000);
        List<ClaimedJob> later = store.claim("b", 10, now + 1_000, now + LEASE);
        assertThat(later).extracting(ClaimedJob::id).containsExactly(id);
        assertThat(later.get(0).failures()).isEqualTo(1);
    }

    @Test
    void aRetryContinuesFromTheLastCheckpoint() {
        UUID id = insertWithPolicy(RESUMABLE, 3);
        Claim c = claim(id, "a");
        assertThat(await(store.checkpoint(c, state(7), 1, 0.5, null, now))).isTrue();
        assertThat(store.retry(c, retryAt(now, "boom", null))).isTrue();
        ClaimedJob again = claimOne("b");
        assertThat(again.data()).isEqualTo(state(7));
        assertThat(again.checkpointed()).isTrue();
        assertThat(again.resuming()).isTrue();
    }

    @Test
    void aRetryThatRestartsReplacesTheStateAndForgetsTheCheckpoint() {
        UUID id = insertWithPolicy(RESUMABLE, 3);
        Claim c = claim(id, "a");
        assertThat(await(store.checkpoint(c, state(7), 1, 0.5, null, now))).isTrue();
        assertThat(store.retry(c, retryAt(now, "boom", state(1)))).isTrue();
        assertThat(row(id).lastCheckpoint()).isNull();
        assertThat(row(id).version()).isEqualTo(3);
        ClaimedJob again = claimOne("b");
        assertThat(again.data()).isEqualTo(state(1));
        assertThat(again.checkpointed()).isFalse();
    }

    @Test
    void aRetryHonoursAPendingCancel() {
        UUID id = insertWithPolicy(RESUMABLE, 3);
        Claim c = claim(id, "a");
        assertThat(store.requestControl(id, Control.CANCEL)).isTrue();
        assertThat(store.retry(c, retryAt(now + 1_000, "boom", null))).isTrue();
        assertThat(row(id).status()).isEqualTo(CANCELLED);
        assertThat(row(id).completedAt()).isEqualTo(now);
    }

    @Test
    void aRetryHonoursAPendingPause() {
        UUID id = insertWithPolicy(RESUMABLE, 3);
        Claim c = claim(id, "a");
        assertThat(store.requestControl(id, Control.PAUSE)).isTrue();
        assertThat(store.retry(c, retryAt(now + 1_000, "boom", null))).isTrue();
        assertThat(row(id).status()).isEqualTo(PAUSED);
        assertThat(row(id).failures()).isEqualTo(1);
    }

    @Test
    void everyFailedAttemptIsKeptInOrderWithItsErrorAndTheHeadOfItsTrace() {
        UUID id = insertWithPolicy(RESUMABLE, 3);
        assertThat(store.failedAttempts(id)).isEmpty();
        assertThat(store.retry(claim(id, "a"), retryAt(now, "first", null))).isTrue();
        now += 10;
        String longTrace = "x".repeat(10_000);
        assertThat(store.fail(claimOne("a").claim("a"), "second", longTrace, null, null, now))
                .isTrue();
        List<JobStore.AttemptRow> attempts = store.failedAttempts(id);
        assertThat(attempts).extracting(JobStore.AttemptRow::attempt).containsExactly(1, 2);
        assertThat(attempts).extracting(JobStore.AttemptRow::error).containsExactly("first", "second");
        assertThat(attempts.get(0).trace()).isEqualTo("trace of first");
        assertThat(attempts.get(1).at()).isEqualTo(now);
        assertThat(attempts.get(1).trace()).hasSize(4000);
        assertThat(row(id).failures()).isEqualTo(2);
        assertThat(row(id).status()).isEqualTo(FAILED);
    }

    @Test
    void aRunLostWithItsProcessIsAFailedAttemptOfAJobWithARetryPolicy() {
        UUID id = insertWithPolicy(RESUMABLE, 2);
        assertThat(store.startRun(claim(id, "a"), now)).isTrue();
        assertThat(recover(5)).hasSize(1);
        assertThat(row(id).status()).isEqualTo(QUEUED);
        assertThat(row(id).failures()).isEqualTo(1);
        assertThat(store.failedAttempts(id))
                .extracting(JobStore.AttemptRow::error)
                .containsExactly("interrupted");
        assertThat(store.startRun(claim(id, "a"), now)).isTrue();
        assertThat(recover(5)).hasSize(1);
        JobRow last = row(id);
        assertThat(last.status()).as("its last attempt").isEqualTo(FAILED);
        assertThat(last.errorMessage()).isEqualTo("last attempt: test");
        assertThat(last.failures()).isEqualTo(2);
        assertThat(store.failedAttempts(id)).hasSize(2);
    }

    @Test
    void aLostRunThatSavedACheckpointIsNotAFailedAttempt() {
        UUID id = insertWithPolicy(RESUMABLE, 2);
        Claim c = claim(id, "a");
        assertThat(store.startRun(c, now)).isTrue();
        assertThat(await(store.checkpoint(c, state(3), 1, null, null, now))).isTrue();
        assertThat(recover(5)).hasSize(1);
        assertThat(row(id).status()).isEqualTo(QUEUED);
        assertThat(row(id).failures()).isZero();
        assertThat(store.failedAttempts(id)).isEmpty();
    }

    @Test
    void retentionDeletesTheAttemptsOfTheJobsItDeletes() {
        UUID id = insertWithPolicy(RESUMABLE, 1);
        assertThat(store.fail(claim(id, "a"), "boom", null, null, null, 100)).isTrue();
        assertThat(store.failedAttempts(id)).hasSize(1);
        assertThat(store.deleteFinished(200L, 0, 100).ids()).containsExactly(id);
        assertThat(store.failedAttempts(id)).isEmpty();
    }

    // ------------------------------------------------------------------ recurring schedules

    private static JobStore.ScheduleDefinition definition(String name, String schedule) {
        return new JobStore.ScheduleDefinition(name, RESUMABLE, "{}", schedule, "ONCE", 100, "SKIP", 0);
    }

    private NewJob tickJob(String schedule, long tick) {
        return new NewJob(
                UUID.randomUUID(),
                RESUMABLE,
                1,
                state(0),
                0,
                now,
                "{}",
                null,
                null,
                null,
                null,
                schedule,
                tick,
                null,
                List.of(),
                null);
    }

    private JobStore.TickWrite tick(ScheduleRow row, List<NewJob> jobs, long lastTick, Long nextCheck) {
        return new JobStore.TickWrite(row.name(), row.version(), jobs, lastTick, null, nextCheck, null, 0, now);
    }

    @Test
    void upsertCreatesAScheduleDueForALookAtOnce() {
        ScheduleRow row = store.upsertSchedule(definition("s", "every PT1M"), now);
        assertThat(row.definition()).isEqualTo(definition("s", "every PT1M"));
        assertThat(row.anchor()).isEqualTo(now);
        assertThat(row.nextCheck()).isEqualTo(now);
        assertThat(row.lastTick()).isNull();
        assertThat(row.paused()).isFalse();
        assertThat(store.schedulesToCheck(now, 10))
                .extracting(ScheduleRow::name)
                .containsExactly("s");
        assertThat(store.nextScheduleCheck()).hasValue(now);
    }

    @Test
    void upsertingAnUnchangedDefinitionChangesNothing() {
        ScheduleRow first = store.upsertSchedule(definition("s", "every PT1M"), now);
        assertThat(await(store.applyTick(tick(first, List.of(), now, now + 60_000))))
                .isTrue();
        ScheduleRow ticked = store.findSchedule("s").orElseThrow();
        assertThat(store.upsertSchedule(definition("s", "every PT1M"), now + 5)).isEqualTo(ticked);
    }

    @Test
    void upsertingAChangedTimingReanchorsAndKeepsTheLastTick() {
        ScheduleRow first = store.upsertSchedule(definition("s", "every PT1M"), now);
        assertThat(await(store.applyTick(tick(first, List.of(), now, now + 60_000))))
                .isTrue();
        ScheduleRow changed = store.upsertSchedule(definition("s", "every PT5M"), now + 7);
        assertThat(changed.anchor()).isEqualTo(now + 7);
        assertThat(changed.lastTick()).isEqualTo(now);
        assertThat(changed.nextCheck()).isEqualTo(now + 7);
        assertThat(changed.version()).isGreaterThan(first.version());
    }

    @Test
    void aTickInsertsItsJobsAndAdvancesTheSchedule() {
        ScheduleRow row = store.upsertSchedule(definition("s", "every PT1M"), now);
        NewJob job = tickJob("s", now);
        assertThat(await(store.applyTick(tick(row, List.of(job), now, now + 60_000))))
                .isTrue();
        JobRow stored = row(job.id());
        assertThat(stored.schedule()).isEqualTo("s");
        assertThat(stored.scheduledFor()).isEqualTo(now);
        ScheduleRow after = store.findSchedule("s").orElseThrow();
        assertThat(after.lastTick()).isEqualTo(now);
        assertThat(after.nextCheck()).isEqualTo(now + 60_000);
        assertThat(store.schedulesToCheck(now, 10)).isEmpty();
        assertThat(store.nextScheduleCheck()).hasValue(now + 60_000);
    }

    @Test
    void aTickWrittenFromAStaleLookChangesNothing() {
        ScheduleRow row = store.upsertSchedule(definition("s", "every PT1M"), now);
        assertThat(await(store.applyTick(tick(row, List.of(tickJob("s", now)), now, now + 60_000))))
                .isTrue();
        NewJob late = tickJob("s", now + 1);
        assertThat(await(store.applyTick(tick(row, List.of(late), now + 1, now + 60_000))))
                .as("another ticker wrote first")
                .isFalse();
        assertThat(store.find(late.id())).isEmpty();
        assertThat(store.findSchedule("s").orElseThrow().lastTick()).isEqualTo(now);
    }

    @Test
    void aTicksJobIsStoredOnceWhateverTheLook() {
        ScheduleRow row = store.upsertSchedule(definition("s", "every PT1M"), now);
        NewJob first = tickJob("s", now);
        assertThat(await(store.applyTick(tick(row, List.of(first), now, null)))).isTrue();
        ScheduleRow next = store.findSchedule("s").orElseThrow();
        NewJob again = tickJob("s", now);
        assertThat(await(store.applyTick(tick(next, List.of(again), now, null))))
                .isTrue();
        assertThat(store.find(again.id())).as("the same tick's second job").isEmpty();
        assertThat(store.find(first.id())).isPresent();
    }

    @Test
    void scheduleRunsSaysWhetherAJobOfTheScheduleIsActiveAndWhenTheLastEnded() {
        ScheduleRow row = store.upsertSchedule(definition("s", "fixed-delay PT1M"), now);
        assertThat(store.scheduleRuns("s")).isEqualTo(new JobStore.ScheduleRuns(false, null));
        NewJob job = tickJob("s", now);
        assertThat(await(store.applyTick(tick(row, List.of(job), now, null)))).isTrue();
        assertThat(store.scheduleRuns("s").active()).isTrue();
        ClaimedJob claimed = claimOne("a");
        assertThat(await(store.complete(claimed.claim("a"), null, null, null, now + 500)))
                .isTrue();
        assertThat(store.scheduleRuns("s")).isEqualTo(new JobStore.ScheduleRuns(false, now + 500));
    }

    @Test
    void aScheduleWaitingForARunIsCheckedOnEveryLook() {
        ScheduleRow row = store.upsertSchedule(definition("s", "fixed-delay PT1M"), now);
        assertThat(await(store.applyTick(tick(row, List.of(), now, null)))).isTrue();
        assertThat(store.schedulesToCheck(now, 10))
                .extracting(ScheduleRow::name)
                .containsExactly("s");
        assertThat(store.nextScheduleCheck()).as("no time to wake for").isEmpty();
    }

    @Test
    void aPausedScheduleIsNotCheckedAndResumingItMakesItDue() {
        ScheduleRow row = store.upsertSchedule(definition("s", "every PT1M"), now);
        assertThat(await(store.applyTick(tick(row, List.of(), now, now + 60_000))))
                .isTrue();
        assertThat(store.pauseSchedule("s", true, now)).isTrue();
        assertThat(store.schedulesToCheck(now + 120_000, 10)).isEmpty();
        assertThat(store.nextScheduleCheck()).isEmpty();
        assertThat(store.pauseSchedule("s", false, now + 120_000)).isTrue();
        assertThat(store.findSchedule("s").orElseThrow().nextCheck()).isEqualTo(now + 120_000);
        assertThat(store.pauseSchedule("nope", true, now)).isFalse();
    }

    @Test
    void schedulesOfJobsThisProcessCannotRunAreNotChecked() {
        store.upsertSchedule(
                new JobStore.ScheduleDefinition("u", UNKNOWN, "{}", "every PT1M", "ONCE", 100, "SKIP", 0), now);
        assertThat(store.schedulesToCheck(now, 10)).isEmpty();
        assertThat(store.nextScheduleCheck()).isEmpty();
        assertThat(store.schedules()).extracting(ScheduleRow::name).containsExactly("u");
    }

    @Test
    void deletingAScheduleKeepsItsJobs() {
        ScheduleRow row = store.upsertSchedule(definition("s", "every PT1M"), now);
        NewJob job = tickJob("s", now);
        assertThat(await(store.applyTick(tick(row, List.of(job), now, now + 60_000))))
                .isTrue();
        assertThat(store.deleteSchedule("s")).isTrue();
        assertThat(store.deleteSchedule("s")).isFalse();
        assertThat(store.findSchedule("s")).isEmpty();
        assertThat(store.find(job.id())).isPresent();
    }

    @Test
    void aScheduleChangedByAnotherStoreIsSeenAndItsTickCompareAndSetHolds() {
        JobStore other = second(List.of(RESUMABLE));
        ScheduleRow row = store.upsertSchedule(definition("s", "every PT1M"), now);
        ScheduleRow seen = other.findSchedule("s").orElseThrow();
        assertThat(seen).isEqualTo(row);
        NewJob first = tickJob("s", now);
        assertThat(await(other.applyTick(tick(seen, List.of(first), now, now + 60_000))))
                .isTrue();
        NewJob second = tickJob("s", now);
        assertThat(await(store.applyTick(tick(row, List.of(second), now, now + 60_000))))
                .isFalse();
        assertThat(store.find(first.id())).isPresent();
        assertThat(store.find(second.id())).isEmpty();
    }

    // ------------------------------------------------------------------ unique keys

    private NewJob keyed(String key, String scope, Long until) {
        return new NewJob(
                UUID.randomUUID(),
                RESUMABLE,
                1,
                state(0),
                nextFirst++,
                now++,
                "{}",
                null,
                null,
                null,
                null,
                null,
                null,
                new NewJob.UniqueKey(key, scope, until),
                List.of(),
                null);
    }

    @Test
    void aKeyHeldByAnActiveJobInsertsNothingAndNamesThatJob() {
        NewJob first = keyed("k", "WHILE_ACTIVE", null);
        assertThat(await(store.insertUnique(first, null))).isEqualTo(first.id());
        assertThat(row(first.id()).uniqueKey()).isEqualTo("k");
        NewJob second = keyed("k", "WHILE_ACTIVE", null);
        assertThat(await(store.insertUnique(second, null))).isEqualTo(first.id());
        assertThat(store.find(second.id())).isEmpty();
    }

    @Test
    void aKeyWhoseJobFinishedMakesANewJob() {
        NewJob first = keyed("k", "WHILE_ACTIVE", null);
        assertThat(await(store.insertUnique(first, null))).isEqualTo(first.id());
        assertThat(store.fail(claim(first.id(), "a"), "boom", null, null, null, now))
                .isTrue();
        NewJob second = keyed("k", "WHILE_ACTIVE", null);
        assertThat(await(store.insertUnique(second, null))).isEqualTo(second.id());
        assertThat(row(second.id()).status()).isEqualTo(QUEUED);
    }

    @Test
    void aPeriodKeyHoldsUntilItsTimeWhateverTheJob() {
        NewJob first = keyed("k", "PERIOD", now + 1_000);
        assertThat(await(store.insertUnique(first, null))).isEqualTo(first.id());
        assertThat(await(store.complete(claim(first.id(), "a"), null, null, null, now)))
                .isTrue();
        NewJob during = keyed("k", "PERIOD", now + 2_000);
        assertThat(await(store.insertUnique(during, null))).isEqualTo(first.id());
        now += 1_000;
        NewJob after = keyed("k", "PERIOD", now + 1_000);
        assertThat(await(store.insertUnique(after, null))).isEqualTo(after.id());
    }

    @Test
    void aForeverKeyHoldsAfterItsJobEnded() {
        NewJob first = keyed("k", "FOREVER", null);
        assertThat(await(store.insertUnique(first, null))).isEqualTo(first.id());
        assertThat(store.fail(claim(first.id(), "a"), "boom", null, null, null, now))
                .isTrue();
        assertThat(await(store.insertUnique(keyed("k", "FOREVER", null), null))).isEqualTo(first.id());
    }

    @Test
    void onInsertedRunsOnlyWhenTheJobWasInserted() {
        java.util.concurrent.atomic.AtomicInteger inserted = new java.util.concurrent.atomic.AtomicInteger();
        await(store.insertUnique(keyed("k", "WHILE_ACTIVE", null), inserted::incrementAndGet));
        await(store.insertUnique(keyed("k", "WHILE_ACTIVE", null), inserted::incrementAndGet));
        assertThat(inserted).hasValue(1);
    }

    @Test
    void twoStoresRacingWithOneKeyInsertOneJob() throws Exception {
        JobStore other = second(List.of(RESUMABLE));
        List<CompletableFuture<UUID>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(store.insertUnique(keyed("race", "WHILE_ACTIVE", null), null));
            results.add(other.insertUnique(keyed("race", "WHILE_ACTIVE", null), null));
        }
        java.util.Set<UUID> holders = new java.util.HashSet<>();
        for (CompletableFuture<UUID> r : results) {
            holders.add(await(r));
        }
        assertThat(holders).hasSize(1);
        assertThat(store.find(holders.iterator().next())).isPresent();
    }

    // ------------------------------------------------------------------ concurrency limits

    private UUID insertLimited(int priority, NewJob.Resource... resources) {
        UUID id = UUID.randomUUID();
        await(store.insert(
                new NewJob(
                        id,
                        RESUMABLE,
                        1,
                        state(0),
                        priority,
                        now++,
                        "{}",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        List.of(resources),
                        null),
                null));
        return id;
    }

    private static NewJob.Resource res(String key, int max) {
        return new NewJob.Resource(key, max);
    }

    private List<UUID> claimIds(JobStore s, String owner) {
        return s.claim(owner, 10, now, now + LEASE).stream().map(ClaimedJob::id).toList();
    }

    @Test
    void aLimitedJobWaitsWhileItsResourceIsHeldByAsManyRunningJobsAsItAllows() {
        UUID first = insertLimited(5, res("repo", 1));
        UUID second = insertLimited(0, res("repo", 1));
        List<ClaimedJob> claimed = store.claim("a", 10, now, now + LEASE);
        assertThat(claimed).extracting(ClaimedJob::id).containsExactly(first);
        assertThat(claimIds(store, "a")).isEmpty();
        assertThat(row(second).status()).isEqualTo(QUEUED);
        assertThat(await(store.complete(claimed.get(0).claim("a"), null, null, null, now)))
                .isTrue();
        assertThat(claimIds(store, "a")).containsExactly(second);
    }

    @Test
    void aJobsResourcesAreStoredWithIt() {
        UUID id = insertLimited(0, res("y", 1), res("x", 3));
        assertThat(row(id).limited()).isTrue();
        assertThat(store.resources(id)).containsExactly(res("x", 3), res("y", 1));
        UUID free = insert(RESUMABLE, 0);
        assertThat(row(free).limited()).isFalse();
        assertThat(store.resources(free)).isEmpty();
    }

    @Test
    void aResourceAllowsItsMaxRunningHolders() {
        for (int i = 0; i < 3; i++) {
            insertLimited(0, res("pool", 2));
        }
        assertThat(claimIds(store, "a")).hasSize(2);
        assertThat(claimIds(store, "b")).isEmpty();
    }

    @Test
    void limitedJobsWaitingForAResourceNeverHoldBackOtherJobs() {
        for (int i = 0; i < 200; i++) {
            insertLimited(10, res("repo", 1));
        }
        UUID free = insert(RESUMABLE, 0);
        List<UUID> claimed = claimIds(store, "a");
        assertThat(claimed).contains(free).hasSize(2);
        assertThat(claimIds(store, "a")).isEmpty();
    }

    @Test
    void aPausedJobReleasesItsResource() {
        UUID first = insertLimited(5, res("repo", 1));
        UUID second = insertLimited(0, res("repo", 1));
        ClaimedJob claimed = store.claim("a", 1, now, now + LEASE).get(0);
        assertThat(claimed.id()).isEqualTo(first);
        assertThat(store.requestControl(first, Control.PAUSE)).isTrue();
        assertThat(store.pauseRunning(claimed.claim("a"), state(1), 1, null, null, now))
                .isTrue();
        assertThat(claimIds(store, "a")).containsExactly(second);
    }

    @Test
    void aJobHoldingSeveralResourcesWaitsForEachOfThem() {
        UUID a = insertLimited(5, res("x", 1));
        UUID both = insertLimited(0, res("x", 1), res("y", 1));
        UUID b = insertLimited(0, res("y", 1));
        assertThat(claimIds(store, "o")).containsExactly(a, b);
        assertThat(row(both).status()).isEqualTo(QUEUED);
    }

    @Test
    void twoStoresClaimingTogetherNeverRunMoreHoldersThanTheLimit() throws Exception {
        JobStore other = second(List.of(RESUMABLE));
        for (int i = 0; i < 30; i++) {
            insertLimited(0, res("one", 1));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 10; round++) {
                List<java.util.concurrent.Future<List<ClaimedJob>>> claims = List.of(
                        pool.submit(() -> store.claim("a", 5, now, now + LEASE)),
                        pool.submit(() -> other.claim("b", 5, now, now + LEASE)));
                List<ClaimedJob> got = new ArrayList<>();
                for (var c : claims) {
                    got.addAll(c.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
                assertThat(got).as("round %d", round).hasSize(1);
                ClaimedJob only = got.get(0);
                String owner = row(only.id()).owner();
                assertThat(await(store.complete(only.claim(owner), null, null, null, now)))
                        .isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ children and chains

    private NewJob child(Claim parent, String key) {
        return new NewJob(UUID.randomUUID(), RESUMABLE, 1, state(0), 0, now++)
                .withRelation(NewJob.Relation.child(parent.id(), key));
    }

    /** A parent RUNNING under a claim of "a", with {@code n} QUEUED children (keys 0.0, 0.1, ...). */
    private List<UUID> childrenOf(Claim parent, int n) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(await(store.insertChild(parent, child(parent, "0." + i), null)));
        }
        return ids;
    }

    @Test
    void aChildIsStoredOnceUnderItsKey() {
        Claim parent = running("a");
        NewJob first = child(parent, "0.0");
        assertThat(await(store.insertChild(parent, first, null))).isEqualTo(first.id());
        NewJob again = child(parent, "0.0");
        assertThat(await(store.insertChild(parent, again, null)))
                .as("the stored child of that key")
                .isEqualTo(first.id());
        assertThat(store.find(again.id())).isEmpty();
        NewJob second = child(parent, "0.1");
        assertThat(await(store.insertChild(parent, second, null))).isEqualTo(second.id());
        assertThat(ids(store.children(parent.id()))).containsExactly(first.id(), second.id());
        assertThat(row(first.id()).parent()).isEqualTo(parent.id());
        assertThat(row(first.id()).status()).isEqualTo(QUEUED);
    }

    @Test
    void aRunThatLostItsClaimStoresNoChild() {
        Claim parent = running("a");
        Claim stale = new Claim(parent.id(), parent.owner(), parent.token() + 1);
        NewJob job = child(stale, "0.0");
        assertThat(await(store.insertChild(stale, job, null))).isNull();
        assertThat(store.find(job.id())).isEmpty();
        assertThat(store.children(parent.id())).isEmpty();
    }

    @Test
    void aParentWithAnActiveChildWaitsAndTheEndOfItsLastChildQueuesIt() {
        Claim parent = running("a");
        List<UUID> kids = childrenOf(parent, 2);
        assertThat(store.waitForChildren(parent, state(7), 1, 0.5, null, now)).isTrue();
        JobRow waiting = row(parent.id());
        assertThat(waiting.status()).isEqualTo(WAITING);
        assertThat(waiting.owner()).isNull();
        Claim first = claim(kids.get(0), "b");
        Claim second = claim(kids.get(1), "b");
        assertThat(await(store.complete(first, null, null, null, now))).isTrue();
        assertThat(row(parent.id()).status()).as("one child still runs").isEqualTo(WAITING);
        assertThat(store.fail(second, "boom", null, null, null, now)).isTrue();
        assertThat(row(parent.id()).status()).as("a failed child ends too").isEqualTo(QUEUED);
        assertThat(stateOnNextClaim(parent.id())).containsExactly(state(7));
    }

    @Test
    void aParentWhoseChildrenAllEndedIsQueuedAtOnceInsteadOfWaiting() {
        Claim parent = running("a");
        UUID kid = childrenOf(parent, 1).get(0);
        assertThat(store.move(kid, Transition.CANCEL, QUEUED, now)).isTrue();
        assertThat(store.waitForChildren(parent, state(1), 1, null, null, now)).isTrue();
        assertThat(row(parent.id()).status()).isEqualTo(QUEUED);
    }

    @Test
    void aWaitWithACancelPendingCancelsTheParentAndItsChildren() {
        Claim parent = running("a");
        UUID kid = childrenOf(parent, 1).get(0);
        assertThat(store.requestControl(parent.id(), Control.CANCEL)).isTrue();
        assertThat(store.waitForChildren(parent, state(1), 1, null, null, now)).isTrue();
        assertThat(row(parent.id()).status()).isEqualTo(CANCELLED);
        assertThat(row(kid).status()).isEqualTo(CANCELLED);
        assertThat(row(kid).completedAt()).isEqualTo(now);
    }

    @Test
    void aWaitOfARunThatLostItsClaimChangesNothing() {
        Claim parent = running("a");
        childrenOf(parent, 1);
        Claim stale = new Claim(parent.id(), parent.owner(), parent.token() + 1);
        assertThat(store.waitForChildren(stale, state(1), 1, null, null, now)).isFalse();
        assertThat(row(parent.id()).status()).isEqualTo(RUNNING);
    }

    @Test
    void cancellingAWaitingParentCancelsItsQueuedChildrenAndAsksItsRunningOnesToStop() {
        Claim parent = running("a");
        List<UUID> kids = childrenOf(parent, 2);
        assertThat(store.waitForChildren(parent, state(1), 1, null, null, now)).isTrue();
        Claim runningKid = claim(kids.get(0), "b");
        long at = now + 5;
        assertThat(store.move(parent.id(), Transition.CANCEL, WAITING, at)).isTrue();
        assertThat(row(kids.get(1)).status()).isEqualTo(CANCELLED);
        assertThat(row(kids.get(1)).completedAt())
                .as("the parent's cancel time")
                .isEqualTo(at);
        assertThat(row(kids.get(0)).status()).isEqualTo(RUNNING);
        assertThat(row(kids.get(0)).control()).isEqualTo(Control.CANCEL);
        assertThat(store.controlsFor("b")).containsEntry(kids.get(0), Control.CANCEL);
        assertThat(store.cancelRunning(runningKid, null, null, now)).isTrue();
    }

    @Test
    void theStateGenerationCountsEveryWriteThatReplacesTheState() {
        UUID id = queuedFirst(RESUMABLE);
        ClaimedJob first = claimOne("a");
        assertThat(first.saves()).isZero();
        Claim c = first.claim("a");
        assertThat(await(store.checkpoint(c, state(1), 1, null, null, now))).isTrue();
        assertThat(await(store.checkpoint(c, state(2), 1, null, null, now))).isTrue();
        assertThat(store.retry(c, new JobStore.RetryWrite(now, "boom", null, null, 1, null, null, now)))
                .isTrue();
        ClaimedJob second = claimOne("a");
        assertThat(second.id()).isEqualTo(id);
        assertThat(second.saves())
                .as("two checkpoints; the retry kept the last")
                .isEqualTo(2);
        assertThat(store.retry(
                        second.claim("a"), new JobStore.RetryWrite(now, "boom", null, state(0), 1, null, null, now)))
                .isTrue();
        assertThat(claimOne("a").saves())
                .as("a restart runs from the state as dispatched")
                .isZero();
    }

    private List<NewJob> chainOf(int steps, boolean continueOnFailure) {
        return chainOf(RESUMABLE, steps, continueOnFailure);
    }

    private List<NewJob> chainOf(String name, int steps, boolean continueOnFailure) {
        UUID chain = UUID.randomUUID();
        List<NewJob> jobs = new ArrayList<>();
        UUID before = null;
        for (int i = 0; i < steps; i++) {
            NewJob step = new NewJob(UUID.randomUUID(), name, 1, state(i), nextFirst++, now++)
                    .withRelation(NewJob.Relation.step(chain, before, continueOnFailure));
            jobs.add(step);
            before = step.id();
        }
        await(store.insertAll(jobs, null));
        return jobs;
    }

    @Test
    void aChainIsStoredWithItsLaterStepsWaitingAndEachCompletedStepQueuesTheNext() {
        List<NewJob> chain = chainOf(3, false);
        UUID chainId = chain.get(0).relation().chain();
        assertThat(store.chain(chainId)).extracting(JobRow::status).containsExactly(QUEUED, WAITING, WAITING);
        assertThat(store.claim("a", 10, now, now + LEASE))
                .extracting(ClaimedJob::id)
                .containsExactly(chain.get(0).id());
        assertThat(await(store.complete(new Claim(chain.get(0).id(), "a", 1), "\"x\"", null, null, now)))
                .isTrue();
        assertThat(store.chain(chainId)).extracting(JobRow::status).containsExactly(COMPLETED, QUEUED, WAITING);
        assertThat(row(chain.get(1).id()).after()).isEqualTo(chain.get(0).id());
        assertThat(row(chain.get(1).id()).chain()).isEqualTo(chainId);
    }

    @Test
    void aFailedStepCancelsEveryStepAfterIt() {
        List<NewJob> chain = chainOf(4, false);
        Claim first = claim(chain.get(0).id(), "a");
        long at = now + 7;
        assertThat(store.fail(first, "boom", null, null, null, at)).isTrue();
        List<JobRow> steps = store.chain(chain.get(0).relation().chain());
        assertThat(steps).extracting(JobRow::status).containsExactly(FAILED, CANCELLED, CANCELLED, CANCELLED);
        assertThat(steps.get(3).completedAt()).as("the failed step's end").isEqualTo(at);
        assertThat(steps.get(1).errorMessage()).contains(chain.get(0).id().toString());
    }

    @Test
    void aCancelledWaitingStepCancelsTheStepsAfterItAndLeavesTheOnesBefore() {
        List<NewJob> chain = chainOf(3, false);
        assertThat(store.move(chain.get(1).id(), Transition.CANCEL, WAITING, now))
                .isTrue();
        assertThat(store.chain(chain.get(0).relation().chain()))
                .extracting(JobRow::status)
                .containsExactly(QUEUED, CANCELLED, CANCELLED);
    }

    @Test
    void aChainThatContinuesOnFailureQueuesTheNextStepAfterAFailure() {
        List<NewJob> chain = chainOf(2, true);
        Claim first = claim(chain.get(0).id(), "a");
        assertThat(store.fail(first, "boom", null, null, null, now)).isTrue();
        assertThat(row(chain.get(1).id()).status()).isEqualTo(QUEUED);
    }

    @Test
    void aRecoveredStepThatFailsEndsTheChainToo() {
        List<NewJob> chain = chainOf(ONE_SHOT, 2, false);
        assertThat(store.startRun(claim(chain.get(0).id(), "a"), now)).isTrue();
        List<JobStore.Orphan> orphans = recover(3); // a one-shot run of a process that died fails
        assertThat(orphans).hasSize(1);
        assertThat(row(chain.get(0).id()).status()).isEqualTo(FAILED);
        assertThat(row(chain.get(1).id()).status()).isEqualTo(CANCELLED);
    }

    @Test
    void theJobsAStoreCancelledByItselfAreTakenOnceInOrder() {
        List<NewJob> chain = chainOf(3, false);
        Claim first = claim(chain.get(0).id(), "a");
        assertThat(store.fail(first, "boom", null, null, null, now)).isTrue();
        JobStore other = second(List.of(RESUMABLE));
        List<JobStore.CascadedCancel> taken = other.takeCascadedCancels(10);
        assertThat(taken)
                .extracting(JobStore.CascadedCancel::id)
                .containsExactly(chain.get(1).id(), chain.get(2).id());
        assertThat(taken).extracting(JobStore.CascadedCancel::name).containsOnly(RESUMABLE);
        assertThat(store.takeCascadedCancels(10))
                .as("taken by the other store already")
                .isEmpty();
        assertThat(other.takeCascadedCancels(10)).isEmpty();
    }

    @Test
    void aJobCancelledByACallerIsNotJournaledOnlyWhatItsCancelCascadedTo() {
        Claim parent = running("a");
        List<UUID> kids = childrenOf(parent, 2);
        assertThat(store.waitForChildren(parent, state(1), 1, null, null, now)).isTrue();
        assertThat(store.move(parent.id(), Transition.CANCEL, WAITING, now)).isTrue();
        assertThat(store.takeCascadedCancels(1))
                .extracting(JobStore.CascadedCancel::id)
                .containsExactly(kids.get(0));
        assertThat(store.takeCascadedCancels(10))
                .extracting(JobStore.CascadedCancel::id)
                .containsExactly(kids.get(1));
    }

    @Test
    void aStopWithoutStateKeepsTheLastSavedStateAndItsGeneration() {
        UUID id = queuedFirst(RESUMABLE);
        Claim c = claimOne("a").claim("a");
        assertThat(await(store.checkpoint(c, state(5), 1, null, null, now))).isTrue();
        long checkpointed = row(id).lastCheckpoint();
        assertThat(store.requestControl(id, Control.PAUSE)).isTrue();
        assertThat(store.pauseRunning(c, null, 1, 0.5, null, now + 10)).isTrue();
        JobRow paused = row(id);
        assertThat(paused.status()).isEqualTo(PAUSED);
        assertThat(paused.lastCheckpoint()).isEqualTo(checkpointed);
        assertThat(store.move(id, Transition.RESUME, PAUSED, now)).isTrue();
        ClaimedJob again = claimOne("a");
        assertThat(again.data()).containsExactly(state(5));
        assertThat(again.saves()).isEqualTo(1);
        assertThat(store.stopRunning(again.claim("a"), null, 1, null, null, now))
                .isTrue();
        ClaimedJob third = claimOne("a");
        assertThat(third.data()).containsExactly(state(5));
        assertThat(third.saves()).isEqualTo(1);
        assertThat(store.waitForChildren(third.claim("a"), null, 1, null, null, now))
                .isTrue();
        assertThat(claimOne("a").saves())
                .as("no children: queued again at once, state kept")
                .isEqualTo(1);
    }
}
