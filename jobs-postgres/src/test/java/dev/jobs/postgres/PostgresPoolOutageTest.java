package dev.jobs.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jobs.JobHandler;
import dev.jobs.JobStatus;
import dev.jobs.postgres.testjobs.PgStepJob;
import dev.jobs.runtime.JobHandle;
import dev.jobs.runtime.JobManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manager on a real HikariCP pool (what the docs recommend) while the server is stopped and
 * started again under it: the pool's connections that the restart broke, and its timeout while
 * the server is down, are an outage like any other. Every job completes from its checkpoints, none
 * is left PAUSED or FAILED, and no committed checkpoint is lost.
 */
class PostgresPoolOutageTest {

    @TempDir
    Path dir;

    @Test
    void jobsOnAPooledManagerCompleteAcrossAServerRestart() throws Exception {
        Path side = dir.resolve("side");
        try (RestartableDatabase database = RestartableDatabase.start(dir.resolve("pgdata"))) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(database.url());
            config.setMaximumPoolSize(8);
            config.setConnectionTimeout(1_000); // the pool's wait for a connection while the server is down
            config.setInitializationFailTimeout(-1);
            try (HikariDataSource pool = new HikariDataSource(config);
                    JobManager jobs = JobManager.builder()
                            .store(PostgresStore.of(pool).schema("pooled"))
                            .dataDirectory(dir.resolve("data"))
                            .workers(3)
                            .leaseDuration(Duration.ofSeconds(2))
                            .build()) {
                int steps = 40;
                List<JobHandler<?>> batch = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    batch.add(new PgStepJob(steps, 50, side));
                }
                List<JobHandle<?>> handles = jobs.dispatchAll(batch);
                await(
                        "every job checkpointed",
                        () -> lines(side, "C").stream()
                                        .map(l -> l[1])
                                        .distinct()
                                        .count()
                                == 3);

                database.stop();
                // the outage outlasts the lease (2 s): checkpoints wait, then their runs go back to the queue
                Thread.sleep(3_000);
                database.start();

                for (JobHandle<?> handle : handles) {
                    assertThat(handle.result().get(120, TimeUnit.SECONDS))
                            .as("result of " + handle.id())
                            .isEqualTo(PgStepJob.expected(steps));
                    assertThat(jobs.info(handle.id()).status()).isEqualTo(JobStatus.COMPLETED);
                }
                PostgresFaultTest.assertNoCheckpointLost(lines(side, null));
            }
        }
    }

    private static List<String[]> lines(Path side, String kind) {
        try {
            if (!Files.exists(side)) {
                return List.of();
            }
            return Files.readAllLines(side, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isEmpty())
                    .map(l -> l.split(" ", 5))
                    .filter(l -> kind == null || l[0].equals(kind))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
            Thread.sleep(20);
        }
    }
}
