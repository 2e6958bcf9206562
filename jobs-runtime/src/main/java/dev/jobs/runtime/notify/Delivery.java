package dev.jobs.runtime.notify;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * One attempt to deliver a job's notification to a webhook, as recorded in the database
 * ({@code JobManager.deliveries(jobId)}). Records are kept as long as their job.
 *
 * @param deliveryId the notification's id: the same for each attempt to deliver it, sent as the
 *     {@code X-Jobs-Delivery} header and the document's {@code deliveryId}, so a receiver can
 *     drop a repeated one
 * @param event the event the notification is about
 * @param attempt 1 for the first attempt, then +1 per retry
 * @param at when the attempt ended
 * @param httpStatus the receiver's status code, empty if there was no response (timeout, refused
 *     connection)
 * @param error why the attempt failed (the status, or the exception), empty if it was delivered
 * @param delivered whether the receiver accepted the notification (a 2xx status)
 */
public record Delivery(
        String deliveryId,
        UUID jobId,
        URI url,
        JobEventType event,
        int attempt,
        Instant at,
        OptionalInt httpStatus,
        Optional<String> error,
        boolean delivered) {}
