package dev.jobs.runtime.store;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

/**
 * Opens the {@link JobStore} of a manager: how a store other than the embedded SQLite one is
 * plugged in ({@code JobManager.builder().store(factory)}). The manager calls {@link #open} once,
 * as it starts, and closes the store when it closes.
 *
 * <pre>{@code
 * JobManager jobs = JobManager.builder()
 *         .store(PostgresStore.of(dataSource))   // a store module's factory
 *         .dataDirectory(Path.of("/var/lib/app/jobs"))
 *         .build();
 * }</pre>
 */
public interface JobStoreFactory {

    /**
     * Opens the store, creating or migrating its schema as needed.
     *
     * @param runnableNames the job names the manager can run: the store claims no other rows
     * @throws dev.jobs.runtime.StoreException the store cannot be reached or used; the message says why and what to do
     */
    JobStore open(Collection<String> runnableNames);

    /**
     * Where the jobs' data directories ({@code ctx.dataDir()}) go when the builder sets none: a
     * store kept in a file has a natural place beside it; others return empty, and the builder
     * then needs {@code dataDirectory(...)}.
     */
    default Optional<Path> defaultDataDirectory() {
        return Optional.empty();
    }

    /** What the store is, for messages: a file name, a URL without credentials. */
    String describe();
}
