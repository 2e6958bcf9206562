package dev.jobs.web;

import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.events.JobEvent;
import dev.jobs.runtime.events.JobListener;
import dev.jobs.runtime.events.Subscription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One Server-Sent Events response: the events of every job ({@code job == null}) or of one job,
 * from the manager's listeners, with a comment line as a heartbeat every 15 seconds without events. A client
 * that falls more than {@value #CAPACITY} events behind is disconnected (it reconnects and reads
 * the current state from the REST endpoints).
 */
final class EventStream {
    private static final int CAPACITY = 1024;
    private static final Object END = new Object();

    private final Exchange exchange;
    private final UUID job;
    /** Counted down once the response is complete. */
    final CountDownLatch finished = new CountDownLatch(1);

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CAPACITY + 1);

    private final long heartbeatMillis;

    EventStream(Exchange exchange, UUID job, long heartbeatMillis) {
        this.exchange = exchange;
        this.job = job;
        this.heartbeatMillis = heartbeatMillis;
    }

    /** Ends the stream (the server is closing). */
    void end() {
        queue.clear();
        queue.offer(END);
    }

    /**
     * Streams until the end; for one job, {@code snapshot} reads it once the listener is registered
     * (its detail is the first event, and the stream ends there if it had finished).
     */
    void run(JobManager jobs, Supplier<JobInfo> snapshot) throws IOException {
        JobListener listener = event -> {
            if (!queue.offer(event)) {
                end();
            }
        };
        try (Subscription subscription = job == null ? jobs.addListener(listener) : jobs.addListener(job, listener)) {
            ApiHandler.commonHeaders(exchange);
            exchange.setHeader("Content-Type", "text/event-stream; charset=utf-8");
            OutputStream out = exchange.respond(200, 0);
            // Written once the listener is registered: a client that has read it sees every later event.
            write(out, ": connected\n\n");
            if (snapshot != null) {
                JobInfo info = snapshot.get();
                write(out, "event: snapshot\ndata: " + Json.write(Json.detail(info, List.of())) + "\n\n");
                if (info.status().isTerminal()) {
                    return;
                }
            }
            while (true) {
                Object next;
                try {
                    next = queue.poll(heartbeatMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (next == END) {
                    return;
                }
                if (next == null) {
                    write(out, ": heartbeat\n\n");
                    continue;
                }
                JobEvent event = (JobEvent) next;
                write(out, "event: " + Json.eventType(event) + "\ndata: " + Json.write(Json.event(event)) + "\n\n");
                if (job != null && Json.isFinal(event)) {
                    return;
                }
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
