package dev.jobs.runtime.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} for tests whose time moves only when the test says so. Tasks
 * never run on their own: {@link #tick(Duration)} advances the manual time and runs, on the calling
 * thread, every task that falls due on the way, in the order of their due times (ties in the order
 * they were scheduled), with the time set to each task's due time while it runs. The same time is
 * offered as {@link #nanoTime()} (for code that reads {@code System.nanoTime()}) and as a
 * {@link #clock()}.
 *
 * <p>Tasks may be scheduled from any thread. {@link #execute} schedules with no delay: the task runs
 * at the next {@link #tick} or {@link #runDue()}. After {@link #shutdown()} new tasks are rejected
 * with {@link RejectedExecutionException}, as a real executor does.
 */
public final class ManualScheduler implements ScheduledExecutorService {

    private static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");

    private final PriorityQueue<Task<?>> tasks = new PriorityQueue<>();
    private long nanos = 1_000_000_000L; // deliberately not 0: code must not rely on where nanoTime starts
    private final long startNanos = nanos;
    private long sequence;
    private boolean shutdown;

    /** The manual monotonic time, in nanoseconds. */
    public synchronized long nanoTime() {
        return nanos;
    }

    /** A clock that shows the manual time (starting at 2030-01-01T00:00:00Z). */
    public Clock clock() {
        return new ManualClock(ZoneOffset.UTC);
    }

    /** Advances the time by {@code duration}, running every task that falls due on the way. */
    public void tick(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + duration);
        }
        long target;
        synchronized (this) {
            target = nanos + duration.toNanos();
        }
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    nanos = target;
                    return;
                }
                tasks.poll();
                nanos = Math.max(nanos, next.due);
            }
            next.runAndReschedule();
        }
    }

    /** Runs the tasks due now (those scheduled with no delay, for one) without moving the time. */
    public void runDue() {
        tick(Duration.ZERO);
    }

    /** Tasks scheduled and neither run (for a one-off task) nor cancelled. */
    public synchronized int pending() {
        return (int) tasks.stream().filter(t -> !t.isCancelled()).count();
    }

    /** The time until the earliest pending task is due, or null if none is pending. */
    public synchronized Duration untilNext() {
        Duration next = null;
        for (Task<?> t : tasks) {
            if (!t.isCancelled() && (next == null || t.due - nanos < next.toNanos())) {
                next = Duration.ofNanos(t.due - nanos);
            }
        }
        return next;
    }

    private synchronized <V> Task<V> add(Task<V> task) {
        if (shutdown) {
            throw new RejectedExecutionException("the manual scheduler is shut down");
        }
        tasks.add(task);
        return task;
    }

    private synchronized long dueIn(long delay, TimeUnit unit) {
        return nanos + Math.max(0, unit.toNanos(delay));
    }

    private synchronized long nextSequence() {
        return sequence++;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<Void>(Executors.callable(command, null), dueIn(delay, unit), 0, false));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(callable, dueIn(delay, unit), 0, false));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        requirePositive(period);
        return add(new Task<Void>(
                Executors.callable(command, null), dueIn(initialDelay, unit), unit.toNanos(period), true));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        requirePositive(delay);
        return add(new Task<Void>(
                Executors.callable(command, null), dueIn(initialDelay, unit), unit.toNanos(delay), false));
    }

    private static void requirePositive(long period) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        return schedule(Executors.callable(task, result), 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public Future<?> submit(Runnable task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
    }

    /** Rejects new tasks and returns the pending ones, which will not run. */
    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> left = new ArrayList<>(tasks);
        tasks.clear();
        return left;
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown && tasks.isEmpty();
    }

    /** Returns at once: nothing runs unless the test ticks. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException("invokeAll would wait for a tick that only this thread can make");
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("invokeAll would wait for a tick that only this thread can make");
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) {
        throw new UnsupportedOperationException("invokeAny would wait for a tick that only this thread can make");
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException("invokeAny would wait for a tick that only this thread can make");
    }

    /** A scheduled task: one-off, or periodic (at a fixed rate, or with a fixed delay after each run). */
    private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private long due;
        private final long period;
        private final boolean fixedRate;
        private final long order = nextSequence();

        Task(Callable<V> callable, long due, long period, boolean fixedRate) {
            super(callable);
            this.due = due;
            this.period = period;
            this.fixedRate = fixedRate;
        }

        void runAndReschedule() {
            if (period == 0) {
                run();
                return;
            }
            if (!runAndReset()) {
                return; // cancelled, or it threw: a periodic task then stops, as with a real executor
            }
            synchronized (ManualScheduler.this) {
                due = fixedRate ? due + period : nanos + period;
                if (!shutdown && !isCancelled()) {
                    tasks.add(this);
                }
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            synchronized (ManualScheduler.this) {
                tasks.remove(this);
            }
            return cancelled;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other instanceof Task<?> t) {
                int byDue = Long.compare(due, t.due);
                return byDue != 0 ? byDue : Long.compare(order, t.order);
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    /** The manual time as a {@link Clock}. */
    private final class ManualClock extends Clock {
        private final ZoneId zone;

        ManualClock(ZoneId zone) {
            this.zone = zone;
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new ManualClock(zone);
        }

        @Override
        public Instant instant() {
            return EPOCH.plusNanos(nanoTime() - startNanos);
        }
    }
}
