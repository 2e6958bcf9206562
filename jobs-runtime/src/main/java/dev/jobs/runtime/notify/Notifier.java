package dev.jobs.runtime.notify;

import dev.jobs.JobException;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.events.JobEvent;
import dev.jobs.runtime.events.JobListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a manager's {@link Notifications}: internal, made by {@code JobManager}, which subscribes
 * it to its event bus. The bus publishes a lifecycle event only in the process that recorded the
 * transition, so running hooks from there runs each once across processes.
 *
 * <p>{@link #onEvent} only hands work over: hooks to a pool with a bounded queue (a full queue
 * drops with a warning), deliveries to the {@link WebhookSender}; it never blocks the bus.
 */
public final class Notifier implements JobListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** A hook with the job name it is for (null: every job type). */
    private record Bound(JobEventType type, String jobName, JobHook hook) {
        boolean matches(JobEventType t, String name) {
            return type == t && (jobName == null || jobName.equals(name));
        }
    }

    private final List<Bound> hooks = new ArrayList<>();
    private final ThreadPoolExecutor pool;
    private final WebhookSender sender;
    private final AtomicLong droppedHooks = new AtomicLong();
    private final AtomicLong hookFailures = new AtomicLong();

    /**
     * @param nameOf the registered job name of a job class, or null if it is not a job type here
     * @param jobs reads a job as stored (for the webhook document)
     * @param record records a delivery attempt; the future completes when it is durable
     * @throws JobException a hook names a class that is not a registered job type
     */
    public Notifier(
            Notifications config,
            Function<Class<?>, String> nameOf,
            Function<UUID, Optional<JobInfo>> jobs,
            Function<Delivery, CompletableFuture<Void>> record) {
        for (Notifications.Hook h : config.hooks()) {
            String name = h.jobName();
            if (h.jobClass() != null) {
                name = nameOf.apply(h.jobClass());
                if (name == null) {
                    throw new JobException("a " + h.type() + " hook is registered for "
                            + h.jobClass().getName()
                            + ", which is not a job type of this manager; annotate it with @Job and put it on the "
                            + "class path, or register the hook by job name");
                }
            }
            hooks.add(new Bound(h.type(), name, h.hook()));
        }
        this.pool = hooks.isEmpty()
                ? null
                : new ThreadPoolExecutor(
                        config.hookThreads(),
                        config.hookThreads(),
                        0,
                        TimeUnit.MILLISECONDS,
                        new ArrayBlockingQueue<>(config.queueCapacity()),
                        r -> {
                            Thread t = new Thread(r, "jobs-hooks-" + THREADS.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        this.sender = config.webhooks().isEmpty()
                ? null
                : new WebhookSender(config.webhooks(), jobs, record, config.queueCapacity());
    }

    /** Hands the event's hooks and deliveries over to their threads; never blocks. */
    @Override
    public void onEvent(JobEvent event) {
        JobEventType type = JobEventType.of(event).orElse(null);
        if (type == null) {
            return;
        }
        for (Bound b : hooks) {
            if (b.matches(type, event.jobName())) {
                submit(b, type, event);
            }
        }
        if (sender != null) {
            sender.offer(type, event);
        }
    }

    private void submit(Bound b, JobEventType type, JobEvent event) {
        try {
            pool.execute(() -> run(b, type, event));
        } catch (RejectedExecutionException full) {
            long n = droppedHooks.incrementAndGet();
            if (n == 1 || n % 1_000 == 0) {
                LOG.warn(
                        "the hook queue is full (is a hook slow or blocked?): the {} hook of job {} ({}) is dropped "
                                + "({} dropped so far); raise Notifications.Builder.queueCapacity or hookThreads",
                        type,
                        event.jobId(),
                        event.jobName(),
                        n);
            }
        }
    }

    private void run(Bound b, JobEventType type, JobEvent event) {
        try {
            b.hook().onEvent(event);
        } catch (Throwable e) { // whatever a hook throws, the job and the other hooks are unaffected
            long n = hookFailures.incrementAndGet();
            if (n <= 100 || n % 1_000 == 0) {
                LOG.warn(
                        "the {} hook {} of job {} ({}) threw; the job is not affected ({} hook failures so far)",
                        type,
                        b.hook(),
                        event.jobId(),
                        event.jobName(),
                        n,
                        e);
            }
        }
    }

    /** Hook runs dropped because the queue was full. */
    public long droppedHooks() {
        return droppedHooks.get();
    }

    /** Hook runs that threw. */
    public long hookFailures() {
        return hookFailures.get();
    }

    /** Webhook notifications dropped because too many were under way. */
    public long droppedDeliveries() {
        return sender == null ? 0 : sender.dropped();
    }

    /**
     * Called by the manager's close before its store closes: webhooks take no new notification
     * (it could not be recorded), and the attempts in flight get up to {@code wait} to be recorded.
     */
    public void beforeStoreClose(Duration wait) {
        if (sender != null) {
            sender.stopAccepting(wait);
        }
    }

    /**
     * After the last event: waits up to {@code wait} for queued hooks to run, then stops; retries
     * of webhooks still waiting are abandoned (their attempts so far are recorded).
     */
    public void close(Duration wait) {
        if (sender != null) {
            sender.close();
        }
        if (pool == null) {
            return;
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                int left = pool.shutdownNow().size();
                LOG.warn(
                        "hooks still ran {} after the manager closed: stopped them; {} queued hook run(s) were dropped",
                        wait,
                        left);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(2));
    }
}
