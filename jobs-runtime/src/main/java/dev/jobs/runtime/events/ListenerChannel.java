package dev.jobs.runtime.events;

import java.util.ArrayDeque;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener's queue and delivery thread. Progress and log events beyond the queue's capacity
 * are dropped and counted; lifecycle events are always queued.
 */
final class ListenerChannel implements Subscription {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerChannel.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final JobListener listener;
    private final UUID jobId;
    private final int capacity;
    private final Consumer<ListenerChannel> onClose;
    private final ArrayDeque<JobEvent> queue = new ArrayDeque<>();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private boolean closed;
    private boolean draining;

    ListenerChannel(JobListener listener, UUID jobId, int capacity, Consumer<ListenerChannel> onClose) {
        this.listener = listener;
        this.jobId = jobId;
        this.capacity = capacity;
        this.onClose = onClose;
        this.thread = new Thread(this::deliver, "jobs-listener-" + THREADS.incrementAndGet());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    void offer(JobEvent event) {
        if (jobId != null && !jobId.equals(event.jobId())) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            if (!event.isLifecycle() && queue.size() >= capacity) {
                long n = dropped.incrementAndGet();
                if (n == 1 || n % 10_000 == 0) {
                    LOG.warn("a job listener is falling behind; {} progress/log events dropped so far", n);
                }
                return;
            }
            queue.addLast(event);
            notifyAll();
        }
    }

    private void deliver() {
        while (true) {
            JobEvent event;
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queue.isEmpty() || (closed && !draining)) {
                    return;
                }
                event = queue.pollFirst();
            }
            try {
                listener.onEvent(event);
            } catch (Throwable e) { // whatever a listener throws, its delivery thread carries on
                long n = failures.incrementAndGet();
                if (n == 1) { // with its stack trace once, then a count now and then: never a trace per event
                    LOG.warn(
                            "job listener {} threw on {}; delivery continues (further failures are counted)",
                            listener,
                            event.getClass().getSimpleName(),
                            e);
                } else if (n % 10_000 == 0) {
                    LOG.warn("job listener {} has thrown {} times; last: {}", listener, n, e.toString());
                }
            }
        }
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
            notifyAll();
        }
        onClose.accept(this);
    }

    /** Delivers what is queued (for a bounded time), then stops. */
    void drainAndClose() {
        synchronized (this) {
            closed = true;
            draining = true;
            notifyAll();
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        onClose.accept(this);
    }
}
