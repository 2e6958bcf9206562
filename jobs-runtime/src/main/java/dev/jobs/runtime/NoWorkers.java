package dev.jobs.runtime;

import dev.jobs.Progress;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.Control;
import dev.jobs.runtime.store.JobRow;
import java.util.List;
import java.util.UUID;

/**
 * The workers of a client ({@code builder().client()}): none. A client runs, claims and recovers
 * nothing, has no owner row and no lease; its requests reach jobs through the store.
 */
final class NoWorkers implements Workers {

    static final Kind KIND = new Kind() {
        @Override
        public List<String> runnableNames(JobRegistry registry) {
            return List.of();
        }

        @Override
        public Workers create(Setup setup) {
            return new NoWorkers();
        }
    };

    private NoWorkers() {}

    @Override
    public boolean runsJobs() {
        return false;
    }

    @Override
    public List<JobRow> unresolved() {
        return List.of();
    }

    @Override
    public void start() {}

    @Override
    public Reservation reserveIdleWorker() {
        return null;
    }

    @Override
    public void signal() {}

    @Override
    public void wakeBy(long runAtMillis) {}

    @Override
    public void request(UUID id, Control control) {}

    @Override
    public void withdrawPause(UUID id) {}

    @Override
    public Progress progress(UUID id) {
        return null;
    }

    @Override
    public boolean runsHere(UUID id) {
        return false;
    }

    @Override
    public boolean runsAny() {
        return false;
    }

    @Override
    public int runningCount() {
        return 0;
    }

    @Override
    public boolean hasFreeWorker() {
        return false;
    }

    @Override
    public int pendingOutcomes() {
        return 0;
    }

    @Override
    public int recoverNow() {
        return 0;
    }

    @Override
    public boolean stop() {
        return true;
    }

    @Override
    public void close(boolean stopped) {}
}
