package dev.jobs.micrometer;

import dev.jobs.runtime.metrics.ManagerGauges;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * The {@value JobsMetrics#QUEUED} gauge's value: the store's count of QUEUED jobs, read again only
 * when the last read is older than the refresh interval, so that frequent scrapes (or several
 * registries) cost the database one count per interval. NaN before the manager is built, after it
 * is closed, or when the store cannot count.
 */
final class QueueDepth {

    private final Supplier<ManagerGauges> gauges;
    private final long refreshNanos;
    private boolean read;
    private long readAt;
    private double last = Double.NaN;

    QueueDepth(Supplier<ManagerGauges> gauges, long refreshNanos) {
        this.gauges = gauges;
        this.refreshNanos = refreshNanos;
    }

    synchronized double value() {
        long now = System.nanoTime();
        if (read && now - readAt < refreshNanos) {
            return last;
        }
        ManagerGauges g = gauges.get();
        if (g == null) {
            return Double.NaN; // not built yet: read again next time
        }
        OptionalLong count = g.queuedJobs();
        last = count.isPresent() ? count.getAsLong() : Double.NaN;
        read = true;
        readAt = now;
        return last;
    }
}
