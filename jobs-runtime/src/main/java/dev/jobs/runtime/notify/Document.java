package dev.jobs.runtime.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.events.JobEvent;
import java.time.Instant;
import java.util.Optional;

/** The JSON document a webhook posts (see docs/notifications.md for each field). */
final class Document {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Document() {}

    /**
     * The document of {@code event}; {@code job} is the job as stored after the event (empty if
     * it could not be read, for example because it was deleted since).
     */
    static String of(String deliveryId, JobEventType type, JobEvent event, Optional<JobInfo> job, int maxOutputChars) {
        ObjectNode d = MAPPER.createObjectNode();
        d.put("deliveryId", deliveryId);
        d.put("event", type.name());
        d.put("jobId", event.jobId().toString());
        d.put("jobName", event.jobName());
        d.put("status", statusAfter(type));
        d.put("eventAt", event.timestamp().toString());
        d.put("createdAt", job.map(j -> j.createdAt().toString()).orElse(null));
        d.put(
                "startedAt",
                job.flatMap(JobInfo::startedAt).map(Instant::toString).orElse(null));
        d.put(
                "completedAt",
                job.flatMap(JobInfo::completedAt).map(Instant::toString).orElse(null));
        if (job.isPresent()) {
            d.put("attempt", job.get().attempt());
        } else {
            d.putNull("attempt");
        }
        String error = null;
        if (event instanceof JobEvent.Failed f) {
            error = f.error();
        } else if (event instanceof JobEvent.RetryScheduled r) {
            error = r.error();
            d.put("failedAttempt", r.failedAttempt());
            d.put("retryAt", r.retryAt().toString());
        }
        d.put("error", error);
        String output =
                type == JobEventType.COMPLETED ? job.flatMap(JobInfo::output).orElse(null) : null;
        if (output == null) {
            d.putNull("output");
            d.put("outputTruncated", false);
        } else if (output.length() <= maxOutputChars) {
            d.putRawValue("output", new RawValue(output)); // stored as JSON by the runtime
            d.put("outputTruncated", false);
        } else {
            d.putNull("output");
            d.put("outputTruncated", true);
            d.put("outputPreview", output.substring(0, maxOutputChars));
        }
        try {
            return MAPPER.writeValueAsString(d);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the webhook document of job " + event.jobId(), e);
        }
    }

    /** The job's status right after the event. */
    private static String statusAfter(JobEventType type) {
        return switch (type) {
            case COMPLETED -> "COMPLETED";
            case FAILED -> "FAILED";
            case CANCELLED -> "CANCELLED";
            case RETRY_SCHEDULED -> "QUEUED";
            case PAUSED -> "PAUSED";
        };
    }
}
