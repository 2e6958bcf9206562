package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.JobStoreFactory;
import dev.jobs.runtime.store.sqlite.SqliteJobStore;
import dev.jobs.runtime.testjobs.CountJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store plugged in through {@link JobManagerBuilder#store}: what a store module does. */
class StoreFactoryTest {

    @TempDir
    Path dir;

    /** A store with no natural place for data directories, as a server database has none. */
    private JobStoreFactory serverLike() {
        return new JobStoreFactory() {
            @Override
            public JobStore open(Collection<String> runnableNames) {
                return SqliteJobStore.open(
                        dir.resolve("server.db"), SynchronousMode.NORMAL, Duration.ofSeconds(5), 64, runnableNames);
            }

            @Override
            public String describe() {
                return "test server";
            }
        };
    }

    @Test
    void aManagerRunsJobsOnAStoreFromAFactory() throws Exception {
        Path data = dir.resolve("data");
        try (JobManager jobs = JobManager.builder()
                .store(serverLike())
                .dataDirectory(data)
                .workers(1)
                .build()) {
            JobHandle<Integer> job = jobs.dispatch(new CountJob(dir.resolve("count.txt")));
            assertThat(job.result().get(20, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(Files.exists(dir.resolve("server.db"))).isTrue();
    }

    @Test
    void aStoreWithoutAPlaceForDataDirectoriesNeedsOneAndSaysSo() {
        assertThatThrownBy(() -> JobManager.builder().store(serverLike()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test server")
                .hasMessageContaining("dataDirectory(path)");
        assertThat(Files.exists(dir.resolve("server.db"))).as("nothing opened").isFalse();
    }

    @Test
    void aBuilderWithNeitherADatabaseNorAStoreSaysWhatItNeeds() {
        assertThatThrownBy(() -> JobManager.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(".database(Path)")
                .hasMessageContaining(".store(factory)");
    }
}
