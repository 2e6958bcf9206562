package dev.jobs.runtime.notify;

import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.events.JobEvent;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook notifications: each attempt is started on one scheduler thread and sent
 * asynchronously, so a slow receiver holds up no other delivery; a retry is a task scheduled
 * after its backoff, never a sleeping thread. Each attempt is recorded before the next is
 * scheduled.
 */
final class WebhookSender {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final List<Webhook> webhooks;
    private final Function<UUID, Optional<JobInfo>> jobs;
    private final Function<Delivery, CompletableFuture<Void>> record;
    private final int capacity;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Executor onScheduler;
    private final HttpClient http;
    /** Deliveries accepted and not yet finished (delivered, refused, out of attempts). */
    private final AtomicInteger underWay = new AtomicInteger();

    private final AtomicLong dropped = new AtomicLong();
    /** Attempts started and not yet recorded; guarded by {@code this}. */
    private int inFlight;

    private volatile boolean stopped;

    WebhookSender(
            List<Webhook> webhooks,
            Function<UUID, Optional<JobInfo>> jobs,
            Function<Delivery, CompletableFuture<Void>> record,
            int capacity) {
        this.webhooks = webhooks;
        this.jobs = jobs;
        this.record = record;
        this.capacity = capacity;
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jobs-webhooks-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
        // an attempt's outcome is handled on the scheduler; once it is shut down (close), right away
        this.onScheduler = task -> {
            try {
                scheduler.execute(task);
            } catch (RejectedExecutionException closed) {
                task.run();
            }
        };
        Duration connect =
                webhooks.stream().map(Webhook::timeout).max(Duration::compareTo).orElse(Duration.ofSeconds(10));
        this.http = HttpClient.newBuilder()
                .connectTimeout(connect)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** One notification and its attempts so far; touched by one attempt at a time. */
    private static final class Pending {
        final Webhook webhook;
        final JobEventType type;
        final JobEvent event;
        final String id = UUID.randomUUID().toString();
        String body;
        int attempt;

        Pending(Webhook webhook, JobEventType type, JobEvent event) {
            this.webhook = webhook;
            this.type = type;
            this.event = event;
        }
    }

    /** Starts delivering {@code event} to each webhook whose filter selects it; never blocks. */
    void offer(JobEventType type, JobEvent event) {
        for (Webhook webhook : webhooks) {
            if (!webhook.matches(type, event.jobName())) {
                continue;
            }
            if (stopped) {
                LOG.warn(
                        "the manager is closing: the {} notification of job {} ({}) is not sent to {}",
                        type,
                        event.jobId(),
                        event.jobName(),
                        webhook.url());
                continue;
            }
            if (underWay.incrementAndGet() > capacity) {
                underWay.decrementAndGet();
                long n = dropped.incrementAndGet();
                if (n == 1 || n % 1_000 == 0) {
                    LOG.warn(
                            "{} webhook deliveries are under way (the queue capacity); the {} notification of job {} "
                                    + "({}) to {} is dropped ({} dropped so far). Is the receiver down? Raise "
                                    + "Notifications.Builder.queueCapacity if bursts are expected",
                            capacity,
                            type,
                            event.jobId(),
                            event.jobName(),
                            webhook.url(),
                            n);
                }
                continue;
            }
            schedule(new Pending(webhook, type, event), Duration.ZERO);
        }
    }

    long dropped() {
        return dropped.get();
    }

    private void schedule(Pending p, Duration delay) {
        try {
            scheduler.schedule(() -> attempt(p), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            underWay.decrementAndGet(); // abandoned at close; counted there
        }
    }

    private void attempt(Pending p) {
        synchronized (this) {
            if (stopped) {
                return; // a retry due while the manager closes: abandoned (counted at close), it could not be recorded
            }
            inFlight++;
        }
        try {
            p.attempt++;
            if (p.body == null) {
                p.body = Document.of(p.id, p.type, p.event, jobs.apply(p.event.jobId()), p.webhook.maxOutputChars());
            }
            byte[] body = p.body.getBytes(StandardCharsets.UTF_8);
            String timestamp = Long.toString(Instant.now().getEpochSecond());
            HttpRequest.Builder request = HttpRequest.newBuilder(p.webhook.url())
                    .timeout(p.webhook.timeout())
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "jobs-webhook")
                    .header(WebhookSignature.DELIVERY_HEADER, p.id)
                    .header(WebhookSignature.EVENT_HEADER, p.type.name())
                    .header(WebhookSignature.ATTEMPT_HEADER, Integer.toString(p.attempt))
                    .header(WebhookSignature.TIMESTAMP_HEADER, timestamp)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (p.webhook.signed()) {
                request.header(
                        WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(p.webhook.secret(), timestamp, body));
            }
            http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
                    .whenCompleteAsync((response, failure) -> outcome(p, response, failure), onScheduler);
        } catch (RuntimeException e) { // the job could not be read, a header was refused...
            outcome(p, null, e);
        }
    }

    private void outcome(Pending p, HttpResponse<?> response, Throwable failure) {
        try {
            int status = response == null ? -1 : response.statusCode();
            boolean delivered = status >= 200 && status < 300;
            boolean retryable = response == null || status == 408 || status == 429 || status >= 500;
            boolean retry = !delivered && retryable && p.attempt < p.webhook.maxAttempts();
            String error = delivered ? null : response != null ? "HTTP " + status : describe(failure);
            Delivery d = new Delivery(
                    p.id,
                    p.event.jobId(),
                    p.webhook.url(),
                    p.type,
                    p.attempt,
                    Instant.now(),
                    response == null ? OptionalInt.empty() : OptionalInt.of(status),
                    Optional.ofNullable(error),
                    delivered);
            try {
                record.apply(d).join();
            } catch (RuntimeException e) {
                LOG.warn(
                        "could not record attempt {} of the {} notification of job {} to {}: {}",
                        p.attempt,
                        p.type,
                        p.event.jobId(),
                        p.webhook.url(),
                        e.toString());
            }
            try {
                p.webhook.onAttempt().accept(d);
            } catch (RuntimeException e) {
                LOG.warn("the onAttempt listener of {} threw; delivery goes on", p.webhook, e);
            }
            if (retry) {
                Duration backoff = p.webhook.backoffBefore(p.attempt + 1);
                LOG.info(
                        "webhook {}: attempt {} of the {} notification of job {} failed ({}); retried in {} ms",
                        p.webhook.url(),
                        p.attempt,
                        p.type,
                        p.event.jobId(),
                        error,
                        backoff.toMillis());
                schedule(p, backoff);
            } else {
                underWay.decrementAndGet();
                if (!delivered) {
                    LOG.warn(
                            "webhook {}: the {} notification of job {} ({}) was not delivered after {} attempt(s): {}",
                            p.webhook.url(),
                            p.type,
                            p.event.jobId(),
                            p.event.jobName(),
                            p.attempt,
                            error);
                }
            }
        } finally {
            synchronized (this) {
                inFlight--;
                notifyAll();
            }
        }
    }

    private static String describe(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException
                        || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t == null) {
            return "unknown error";
        }
        if (t instanceof HttpTimeoutException) {
            return "timed out: " + t.getMessage();
        }
        // the HTTP client's exceptions often carry their reason in a cause (ConnectException: null)
        StringBuilder b = new StringBuilder(t.toString());
        for (Throwable c = t.getCause(); c != null && c != t && b.length() < 500; c = c.getCause()) {
            b.append("; caused by ").append(c);
        }
        return b.toString();
    }

    /**
     * Before the store closes: accepts no new notification, and waits up to {@code wait} for the
     * attempts in flight to be recorded. Retries waiting for their backoff are left to {@link #close}.
     */
    void stopAccepting(Duration wait) {
        stopped = true;
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (this) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Abandons the retries still waiting (their attempts so far are recorded). */
    void close() {
        stopped = true;
        scheduler.shutdownNow();
        int left = underWay.get();
        if (left > 0) {
            LOG.warn(
                    "{} webhook notification(s) were not delivered when the manager closed; their attempts so far "
                            + "are recorded (JobManager.deliveries), and they are not retried after a restart",
                    left);
        }
    }
}
