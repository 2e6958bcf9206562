package dev.jobs.runtime.maintenance;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a manager's background tasks ({@link MaintenanceTask}) on their lanes, each at a fixed
 * delay after its previous run ended (a slow run never piles up runs behind it). A task that
 * throws is logged, at WARN the first time and at DEBUG while it keeps failing with the same
 * message, and runs again at its next period. A failure that only says the store's database cannot
 * be reached ({@link StoreOutage}) is logged at DEBUG: the store reports the outage itself.
 */
public final class Maintenance {

    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

    private Maintenance() {}

    public static void start(
            List<MaintenanceTask> tasks, ScheduledExecutorService leaseLane, ScheduledExecutorService backgroundLane) {
        for (MaintenanceTask task : tasks) {
            ScheduledExecutorService lane = task.lane() == MaintenanceTask.Lane.LEASE ? leaseLane : backgroundLane;
            lane.scheduleWithFixedDelay(
                    guarded(task),
                    task.initialDelay().toMillis(),
                    Math.max(1, task.period().toMillis()),
                    TimeUnit.MILLISECONDS);
        }
    }

    private static Runnable guarded(MaintenanceTask task) {
        String[] lastFailure = {null};
        return () -> {
            try {
                task.body().run();
                lastFailure[0] = null;
            } catch (RuntimeException e) {
                String message = String.valueOf(e.getMessage());
                if (StoreOutage.is(e)) {
                    // the store logs the outage once, and again when it is over
                    LOG.debug("{} failed while the store is unreachable: {}", task.name(), message);
                } else if (!message.equals(lastFailure[0])) {
                    LOG.warn(
                            "{} failed: {}; it runs again in {} ms",
                            task.name(),
                            message,
                            task.period().toMillis());
                } else {
                    LOG.debug("{} failed again: {}", task.name(), message);
                }
                lastFailure[0] = message;
            }
        };
    }
}
