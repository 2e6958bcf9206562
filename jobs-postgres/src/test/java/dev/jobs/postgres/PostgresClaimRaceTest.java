package dev.jobs.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.runtime.store.ClaimedJob;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.NewJob;
import dev.jobs.runtime.store.StoreFutures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stores on one schema (as nodes would be) claiming and completing together: SKIP LOCKED claims
 * take every job exactly once, and the claim token fences a write of a stale claim.
 */
class PostgresClaimRaceTest {

    private static final String NAME = "pg.race";

    @RegisterExtension
    static final EmbeddedDatabase.PerClass database = new EmbeddedDatabase.PerClass();

    @Test
    void nodesClaimingTogetherTakeEveryJobExactlyOnce() throws Exception {
        PostgresStore factory = PostgresStore.of(database.dataSource()).schema(EmbeddedDatabase.freshSchema());
        List<JobStore> stores = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            stores.add(factory.open(List.of(NAME)));
        }
        try {
            int jobs = 600;
            List<NewJob> batch = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                batch.add(new NewJob(UUID.randomUUID(), NAME, 1, new byte[] {1}, i % 3, 1_000 + i));
            }
            StoreFutures.await(stores.get(0).insertAll(batch, null));
            Map<UUID, AtomicInteger> claims = new ConcurrentHashMap<>();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                JobStore store = stores.get(t % stores.size());
                String owner = "node-" + t;
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                        while (true) {
                            List<ClaimedJob> claimed = store.claim(owner, 7, 10_000, 70_000);
                            if (claimed.isEmpty()) {
                                return;
                            }
                            for (ClaimedJob job : claimed) {
                                claims.computeIfAbsent(job.id(), k -> new AtomicInteger())
                                        .incrementAndGet();
                                assertThat(StoreFutures.await(store.complete(job.claim(owner), "1", 1.0, null, 10_001)))
                                        .isTrue();
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                threads.add(thread);
                thread.start();
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join(120_000);
            }
            assertThat(failures).isEmpty();
            assertThat(claims).hasSize(jobs);
            assertThat(claims.values()).allMatch(n -> n.get() == 1);
            assertThat(stores.get(1).hasRunnableQueued()).isFalse();
        } finally {
            stores.forEach(JobStore::close);
        }
    }

    @Test
    void aClaimTakenAgainByAnotherNodeFencesTheFirstRun() {
        PostgresStore factory = PostgresStore.of(database.dataSource()).schema(EmbeddedDatabase.freshSchema());
        try (JobStore a = factory.open(List.of(NAME));
                JobStore b = factory.open(List.of(NAME))) {
            UUID id = UUID.randomUUID();
            StoreFutures.await(a.insert(new NewJob(id, NAME, 1, new byte[] {1}, 0, 1_000), null));
            ClaimedJob first = a.claim("a", 1, 2_000, 3_000).get(0);
            assertThat(a.startRun(first.claim("a"), 2_000)).isTrue();
            a.registerOwner("b", "host-b", 1, 2_000, 100_000);
            // a's lease expired: b recovers the job and claims it again
            List<JobStore.Orphan> orphans = b.recoverOrphans(
                    "b",
                    5_000,
                    new JobStore.RecoveryPlan(
                            List.of(NAME),
                            List.of(),
                            true,
                            List.of(),
                            List.of(),
                            "gone",
                            "lapsed",
                            3,
                            "poison",
                            "last"));
            assertThat(orphans).hasSize(1);
            ClaimedJob second = b.claim("b", 1, 5_000, 100_000).get(0);
            assertThat(second.token()).isGreaterThan(first.token());
            assertThat(StoreFutures.await(a.checkpoint(first.claim("a"), new byte[] {9}, 1, null, null, 5_001)))
                    .isFalse();
            assertThat(StoreFutures.await(a.complete(first.claim("a"), "late", null, null, 5_001)))
                    .isFalse();
            assertThat(StoreFutures.await(b.complete(second.claim("b"), "ok", null, null, 5_002)))
                    .isTrue();
            assertThat(a.find(id).orElseThrow().output()).isEqualTo("ok");
        }
    }
}
