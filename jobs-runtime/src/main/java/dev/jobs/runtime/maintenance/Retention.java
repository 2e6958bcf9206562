package dev.jobs.runtime.maintenance;

import dev.jobs.runtime.store.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished jobs (with their log lines and data directories) in bounded chunks, for
 * {@code JobManager.clean} and for automatic retention ({@code retainFinishedFor},
 * {@code retainFinishedCount}). Each chunk is one transaction, so other writers wait at most one
 * chunk. Active jobs are never deleted: the store's statement names the finished statuses.
 */
public final class Retention implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    static final int CHUNK = 500;

    /** What a pass deleted. */
    public record Deleted(long jobs, long logLines, int chunks) {
        Deleted plus(Deleted other) {
            return new Deleted(jobs + other.jobs, logLines + other.logLines, chunks + other.chunks);
        }
    }

    private final JobStore store;
    private final Clock clock;
    private final Consumer<UUID> deleteDataDirectory;
    private final Duration maxAge;
    private final int maxCount;

    /** @param maxAge automatic retention by age, or null; @param maxCount keep only the newest, or 0 */
    public Retention(JobStore store, Clock clock, Consumer<UUID> deleteDataDirectory, Duration maxAge, int maxCount) {
        this.store = store;
        this.clock = clock;
        this.deleteDataDirectory = deleteDataDirectory;
        this.maxAge = maxAge;
        this.maxCount = maxCount;
    }

    /** Whether automatic retention is configured. */
    public boolean automatic() {
        return maxAge != null || maxCount > 0;
    }

    /** Deletes finished jobs that completed more than {@code olderThan} ago. */
    public Deleted olderThan(Duration olderThan) {
        return inChunks(clock.millis() - olderThan.toMillis(), -1);
    }

    /** Deletes finished jobs beyond the newest {@code keep}. */
    public Deleted keepingNewest(int keep) {
        return inChunks(null, keep);
    }

    private Deleted inChunks(Long cutoff, int keep) {
        Deleted total = new Deleted(0, 0, 0);
        while (true) {
            JobStore.Deleted deleted = store.deleteFinished(cutoff, keep, CHUNK);
            if (deleted.ids().isEmpty()) {
                return total;
            }
            total = total.plus(new Deleted(deleted.ids().size(), deleted.logLines(), 1));
            deleted.ids().forEach(deleteDataDirectory);
            if (deleted.ids().size() < CHUNK) {
                return total;
            }
        }
    }

    /** One pass of automatic retention. */
    @Override
    public void run() {
        Deleted result = new Deleted(0, 0, 0);
        if (maxAge != null) {
            result = result.plus(olderThan(maxAge));
        }
        if (maxCount > 0) {
            result = result.plus(keepingNewest(maxCount));
        }
        if (result.jobs() > 0) {
            LOG.info("retention deleted {} finished jobs and {} log lines", result.jobs(), result.logLines());
        }
    }
}
