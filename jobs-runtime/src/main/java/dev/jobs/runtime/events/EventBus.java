package dev.jobs.runtime.events;

import dev.jobs.LogLevel;
import dev.jobs.Progress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Publishes job events to listeners. Events of one job are numbered in order; progress is
 * throttled per job with a trailing flush, and any pending progress is published before the job's
 * next lifecycle event, so the last progress always precedes the terminal event.
 */
public final class EventBus implements AutoCloseable {

    private final List<ListenerChannel> channels = new CopyOnWriteArrayList<>();
    private final Map<UUID, JobStream> streams = new ConcurrentHashMap<>();
    private final long progressIntervalNanos;
    private final int queueCapacity;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoTime;
    /** Counts the jobs stored and ended, or null (metrics off); called whether anybody listens or not. */
    private final dev.jobs.runtime.metrics.Instrumentation metrics;

    public EventBus(Duration progressInterval, int queueCapacity, ScheduledExecutorService timer) {
        this(progressInterval, queueCapacity, timer, (dev.jobs.runtime.metrics.Instrumentation) null);
    }

    /**
     * With the metrics instrumentation ({@code null} for none) told of every job stored and ended.
     * For the manager only (its type is exported to the metrics module alone).
     */
    @SuppressWarnings("exports")
    public EventBus(
            Duration progressInterval,
            int queueCapacity,
            ScheduledExecutorService timer,
            dev.jobs.runtime.metrics.Instrumentation metrics) {
        this(progressInterval, queueCapacity, timer, System::nanoTime, metrics);
    }

    /** With the monotonic time ({@code System.nanoTime} in production) that the progress interval is measured in. */
    EventBus(Duration progressInterval, int queueCapacity, ScheduledExecutorService timer, LongSupplier nanoTime) {
        this(progressInterval, queueCapacity, timer, nanoTime, null);
    }

    private EventBus(
            Duration progressInterval,
            int queueCapacity,
            ScheduledExecutorService timer,
            LongSupplier nanoTime,
            dev.jobs.runtime.metrics.Instrumentation metrics) {
        this.progressIntervalNanos = progressInterval.toNanos();
        this.queueCapacity = queueCapacity;
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.metrics = metrics;
    }

    /** Registers a listener for every job, or only for {@code jobId} when it is not null. */
    public Subscription subscribe(JobListener listener, UUID jobId) {
        ListenerChannel channel = new ListenerChannel(listener, jobId, queueCapacity, channels::remove);
        channels.add(channel);
        return channel;
    }

    /** Cheap check for hot paths: is anybody listening? */
    public boolean hasListeners() {
        return !channels.isEmpty();
    }

    private JobStream stream(UUID id, String name) {
        return streams.computeIfAbsent(id, k -> new JobStream(id, name));
    }

    public void queued(UUID id, String name) {
        if (metrics != null) {
            metrics.dispatched(name);
        }
        lifecycle(id, name, (s) -> new JobEvent.Queued(id, name, s.next(), Instant.now()));
    }

    public void started(UUID id, String name, boolean resuming) {
        lifecycle(id, name, (s) -> new JobEvent.Started(id, name, s.next(), Instant.now(), resuming));
    }

    public void checkpointed(UUID id, String name, int stateBytes) {
        lifecycle(id, name, (s) -> new JobEvent.Checkpointed(id, name, s.next(), Instant.now(), stateBytes));
    }

    public void paused(UUID id, String name) {
        lifecycle(id, name, (s) -> new JobEvent.Paused(id, name, s.next(), Instant.now()));
    }

    public void resumed(UUID id, String name) {
        lifecycle(id, name, (s) -> new JobEvent.Resumed(id, name, s.next(), Instant.now()));
    }

    public void completed(UUID id, String name, Object output) {
        if (metrics != null) {
            metrics.ended(name, dev.jobs.JobStatus.COMPLETED);
        }
        lifecycle(id, name, (s) -> new JobEvent.Completed(id, name, s.next(), Instant.now(), output));
        streams.remove(id);
    }

    public void failed(UUID id, String name, String error) {
        if (metrics != null) {
            metrics.ended(name, dev.jobs.JobStatus.FAILED);
        }
        lifecycle(id, name, (s) -> new JobEvent.Failed(id, name, s.next(), Instant.now(), error));
        streams.remove(id);
    }

    public void retryScheduled(UUID id, String name, int failedAttempt, Instant retryAt, String error) {
        if (metrics != null) {
            metrics.retried(name);
        }
        lifecycle(
                id,
                name,
                (s) -> new JobEvent.RetryScheduled(id, name, s.next(), Instant.now(), failedAttempt, retryAt, error));
    }

    public void cancelled(UUID id, String name) {
        if (metrics != null) {
            metrics.ended(name, dev.jobs.JobStatus.CANCELLED);
        }
        lifecycle(id, name, (s) -> new JobEvent.Cancelled(id, name, s.next(), Instant.now()));
        streams.remove(id);
    }

    /**
     * Drops the per-job state of a job that ended without a terminal event here (it finished in
     * another process, or this process's run of it lost its claim).
     */
    public void forget(UUID id) {
        streams.remove(id);
    }

    /** The jobs that have per-job state (event numbering, pending progress): a view, not a copy. */
    public java.util.Set<UUID> trackedIds() {
        return java.util.Collections.unmodifiableSet(streams.keySet());
    }

    /** How many jobs have per-job state (event numbering, pending progress). */
    int trackedJobs() {
        return streams.size();
    }

    /** A line the job logged, stored as line {@code logSequence} at {@code atMillis}. */
    public void logged(UUID id, String name, LogLevel level, String message, long logSequence, long atMillis) {
        if (!hasListeners()) {
            return;
        }
        JobStream s = stream(id, name);
        synchronized (s) {
            publish(new JobEvent.Logged(
                    id, name, s.next(), Instant.ofEpochMilli(atMillis), level, message, logSequence));
        }
    }

    /** Progress from a job; published at most once per interval per job, the latest value last. */
    public void progress(UUID id, String name, Progress progress) {
        if (!hasListeners()) {
            return;
        }
        JobStream s = stream(id, name);
        synchronized (s) {
            long now = nanoTime.getAsLong();
            if (s.pending == null && now - s.lastProgressAt >= progressIntervalNanos) {
                s.lastProgressAt = now;
                publish(new JobEvent.ProgressUpdated(id, name, s.next(), Instant.now(), progress));
                return;
            }
            s.pending = progress;
            if (!s.timerSet) {
                schedule(s, progressIntervalNanos - (now - s.lastProgressAt));
            }
        }
    }

    /** Sets the timer that publishes the held progress of {@code s}; call holding its lock. */
    private void schedule(JobStream s, long delayNanos) {
        try {
            timer.schedule(() -> flushWhenDue(s), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            s.timerSet = true;
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            flushLocked(s); // the manager is closing: publish now rather than fail the job
        }
    }

    /**
     * The timer: publishes the held progress if a whole interval passed since the last progress
     * event. A lifecycle event may have flushed in between and started a new interval; then the
     * progress held since waits for the end of that one.
     */
    private void flushWhenDue(JobStream s) {
        synchronized (s) {
            s.timerSet = false;
            if (s.pending == null) {
                return;
            }
            long since = nanoTime.getAsLong() - s.lastProgressAt;
            if (since >= progressIntervalNanos) {
                flushLocked(s);
            } else {
                schedule(s, progressIntervalNanos - since);
            }
        }
    }

    private void flushLocked(JobStream s) {
        if (s.pending != null) {
            Progress p = s.pending;
            s.pending = null;
            s.lastProgressAt = nanoTime.getAsLong();
            publish(new JobEvent.ProgressUpdated(s.id, s.name, s.next(), Instant.now(), p));
        }
    }

    private void lifecycle(UUID id, String name, Function<JobStream, JobEvent> event) {
        if (!hasListeners()) {
            streams.remove(id); // nobody numbers these events; keep no state per job
            return;
        }
        JobStream s = stream(id, name);
        synchronized (s) {
            flushLocked(s);
            publish(event.apply(s));
        }
    }

    private void publish(JobEvent event) {
        for (ListenerChannel channel : channels) {
            channel.offer(event);
        }
    }

    @Override
    public void close() {
        for (ListenerChannel channel : channels) {
            channel.drainAndClose();
        }
    }

    /** Per-job ordering state. */
    private static final class JobStream {
        final UUID id;
        final String name;
        final AtomicLong sequence = new AtomicLong();
        long lastProgressAt = Long.MIN_VALUE / 2;
        Progress pending;
        /** A timer is set to publish {@code pending}. */
        boolean timerSet;

        JobStream(UUID id, String name) {
            this.id = id;
            this.name = name;
        }

        long next() {
            return sequence.incrementAndGet();
        }
    }
}
