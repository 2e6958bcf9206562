package dev.jobs.runtime;

import dev.jobs.JobRegistration;
import dev.jobs.JobStatus;
import dev.jobs.runtime.codec.JsonCodec;
import dev.jobs.runtime.events.EventBus;
import dev.jobs.runtime.registry.JobRegistry;
import dev.jobs.runtime.store.JobRow;
import dev.jobs.runtime.store.JobStore;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The futures behind {@link JobHandle#result()}: registered when a job is dispatched (or a handle
 * is asked for), completed when the job ends here ({@link #ended}), when another process finished
 * it ({@link #settleForeign}), or with {@link ManagerClosedException} at close.
 */
final class Results {

    private final Map<UUID, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
    /** Jobs this process is ending without a run ({@link #endHere}). */
    private final Set<UUID> endingHere = ConcurrentHashMap.newKeySet();

    private final JobStore store;
    private final JobRegistry registry;
    private final JsonCodec json;
    private final EventBus events;
    private final Clock clock;
    private final String owner;
    /** Start of the window of completions to look at next; older ones were seen already. */
    private long finishedWatermark = Long.MIN_VALUE;

    Results(JobStore store, JobRegistry registry, JsonCodec json, EventBus events, Clock clock, String owner) {
        this.store = store;
        this.registry = registry;
        this.json = json;
        this.events = events;
        this.clock = clock;
        this.owner = owner;
    }

    /** A new pending future for a job being dispatched. */
    CompletableFuture<Object> register(UUID id) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        pending.put(id, result);
        return result;
    }

    /** Drops the future of a job whose dispatch failed. */
    void forget(UUID id) {
        pending.remove(id);
    }

    /**
     * The future for a stored job: completed from the row if it has finished, else the pending one
     * (shared with any other handle to it). {@code reread} reads the row again after registering,
     * since the job may have finished in between.
     */
    CompletableFuture<Object> forStored(JobRow row, Supplier<JobRow> reread) {
        if (row.status().isTerminal()) {
            CompletableFuture<Object> result = new CompletableFuture<>();
            completeFromRow(result, row);
            return result;
        }
        CompletableFuture<Object> result = pending.computeIfAbsent(row.id(), k -> new CompletableFuture<>());
        JobRow again = reread.get();
        if (again.status().isTerminal() && pending.remove(row.id(), result)) {
            completeFromRow(result, again);
        }
        return result;
    }

    /** A job ended here (a run, or a cancel of a job not running): its event, and its result if terminal. */
    void ended(UUID id, String name, JobStatus status, Object output, String error) {
        switch (status) {
            case PAUSED -> events.paused(id, name);
            case COMPLETED -> events.completed(id, name, output);
            case FAILED -> events.failed(id, name, error);
            case CANCELLED -> events.cancelled(id, name);
            default -> {}
        }
        if (!status.isTerminal()) {
            return;
        }
        CompletableFuture<Object> result = pending.remove(id);
        if (result == null) {
            return;
        }
        switch (status) {
            case COMPLETED -> result.complete(output);
            case FAILED -> result.completeExceptionally(new JobFailedException(id, name, error));
            default -> result.completeExceptionally(new JobCancelledException(id, name));
        }
    }

    /**
     * Runs {@code end}, an end this process gives a job without a run (a cancel of a job at rest):
     * its store write, then {@link #ended}. Meanwhile the watcher's look, which may see the row
     * ended first, leaves the job alone: its result and its terminal event (numbered after the
     * job's earlier ones) come from {@code end}.
     */
    boolean endHere(UUID id, java.util.function.BooleanSupplier end) {
        endingHere.add(id);
        try {
            return end.getAsBoolean();
        } finally {
            endingHere.remove(id);
        }
    }

    /**
     * Completes the handles of jobs that another process finished, and drops the event state of
     * jobs that ended elsewhere. Called by the store watcher's thread only, after every change
     * other connections commit. What one look reads is bounded by whichever is smaller: the jobs it
     * must name, or the jobs finished since the last look:
     *
     * <ul>
     *   <li>up to {@link JobStore#FINISHED_AMONG_LIMIT} jobs waited for or with event state here
     *       but not running here (an API layer awaiting a handful of results, the usual case): their
     *       rows alone, by id ({@link JobStore#finishedAmong}), however busy other processes are;
     *   <li>more: every job finished since the last look (by completion time, indexed; with a margin
     *       for the clocks of other processes), not one row per pending handle.
     * </ul>
     *
     * @param runsHere whether a job runs in this process (its result is settled by {@link #ended})
     */
    void settleForeign(Predicate<UUID> runsHere) {
        long now = clock.millis();
        long since = finishedWatermark == Long.MIN_VALUE ? 0 : finishedWatermark;
        finishedWatermark = now - 2_000; // a margin for clocks of other processes
        Set<UUID> named = toName(runsHere);
        if (named != null && named.isEmpty()) {
            return;
        }
        List<JobRow> rows = named != null ? store.finishedAmong(named, owner) : store.finishedSince(since, owner);
        for (JobRow row : rows) {
            if (runsHere.test(row.id()) || endingHere.contains(row.id())) {
                continue; // its end is published here
            }
            events.forget(row.id()); // its terminal event was not published here
            CompletableFuture<Object> result = pending.get(row.id());
            if (result != null && pending.remove(row.id(), result)) {
                completeFromRow(result, row);
            }
        }
    }

    /**
     * The jobs a look names: those waited for, and those with event state here that do not run
     * here; null when they are more than {@link JobStore#FINISHED_AMONG_LIMIT}.
     */
    private Set<UUID> toName(Predicate<UUID> runsHere) {
        Set<UUID> ids = new HashSet<>();
        for (UUID id : pending.keySet()) {
            if (ids.add(id) && ids.size() > JobStore.FINISHED_AMONG_LIMIT) {
                return null;
            }
        }
        for (UUID id : events.trackedIds()) {
            if (!runsHere.test(id) && ids.add(id) && ids.size() > JobStore.FINISHED_AMONG_LIMIT) {
                return null;
            }
        }
        return ids;
    }

    /** At close: the handles of jobs that did not finish here fail; the jobs go on at the next start. */
    void closePending() {
        for (UUID id : List.copyOf(pending.keySet())) {
            CompletableFuture<Object> result = pending.remove(id);
            if (result != null) {
                result.completeExceptionally(new ManagerClosedException("wait for job " + id
                        + " (it is stored and continues when a manager opens the database again)"));
            }
        }
    }

    private void completeFromRow(CompletableFuture<Object> result, JobRow row) {
        switch (row.status()) {
            case COMPLETED -> {
                Class<?> type = registry.find(row.name())
                        .<Class<?>>map(JobRegistration::outputType)
                        .orElse(Object.class);
                try {
                    result.complete(row.output() == null ? null : json.fromJson(row.output(), type));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            }
            case FAILED ->
                result.completeExceptionally(new JobFailedException(row.id(), row.name(), row.errorMessage()));
            default -> result.completeExceptionally(new JobCancelledException(row.id(), row.name()));
        }
    }
}
