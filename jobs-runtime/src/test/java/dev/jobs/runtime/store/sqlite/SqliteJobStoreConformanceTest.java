package dev.jobs.runtime.store.sqlite;

import dev.jobs.runtime.SynchronousMode;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.JobStoreConformance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;

/** The SQLite store against the store SPI's conformance suite, on a real file. */
class SqliteJobStoreConformanceTest extends JobStoreConformance {

    @Override
    protected JobStore openStore(Path dir, Collection<String> runnable) {
        return open(dir, runnable);
    }

    /** Another store on the same file, as another process would open it. */
    @Override
    protected JobStore openSecondStore(Path dir, Collection<String> runnable) {
        return open(dir, runnable);
    }

    private static JobStore open(Path dir, Collection<String> runnable) {
        return SqliteJobStore.open(dir.resolve("jobs.db"), SynchronousMode.NORMAL, Duration.ofSeconds(5), 64, runnable);
    }
}
