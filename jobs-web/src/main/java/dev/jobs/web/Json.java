package dev.jobs.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobs.Progress;
import dev.jobs.runtime.FailedAttempt;
import dev.jobs.runtime.JobInfo;
import dev.jobs.runtime.LogLine;
import dev.jobs.runtime.ScheduleInfo;
import dev.jobs.runtime.ScheduleSpec;
import dev.jobs.runtime.events.JobEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The JSON shapes of the API, built as trees (no reflection on the runtime's types). */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // '<', '>', '&' and the apostrophe as JSON unicode escapes: a response read as HTML by mistake holds no markup
        MAPPER.getFactory().setCharacterEscapes(new HtmlSafeEscapes());
    }

    private static final class HtmlSafeEscapes extends CharacterEscapes {
        private final int[] escapes = CharacterEscapes.standardAsciiEscapesForJSON();

        HtmlSafeEscapes() {
            for (char c : new char[] {'<', '>', '&', '\''}) {
                escapes[c] = CharacterEscapes.ESCAPE_STANDARD;
            }
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** JSON text stored by the runtime (parameters, output, a schema) as a tree; as a string if it is not JSON. */
    static JsonNode embedded(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return MAPPER.getNodeFactory().textNode(json);
        }
    }

    static String text(Instant time) {
        return time.toString();
    }

    private static void put(ObjectNode node, String field, Optional<?> value) {
        if (value.isEmpty()) {
            node.putNull(field);
        } else if (value.get() instanceof Instant i) {
            node.put(field, text(i));
        } else {
            node.put(field, value.get().toString());
        }
    }

    /** A job as the list shows it. */
    static ObjectNode summary(JobInfo info) {
        ObjectNode n = object();
        n.put("id", info.id().toString());
        n.put("name", info.name());
        n.put("status", info.status().name());
        put(n, "requested", info.requested());
        n.put("priority", info.priority());
        n.set("progress", info.progress().map(Json::progress).orElse(null));
        n.put("createdAt", text(info.createdAt()));
        put(n, "startedAt", info.startedAt());
        put(n, "completedAt", info.completedAt());
        put(n, "runAt", info.runAt());
        n.put("attempt", info.attempt());
        n.put("failedAttempts", info.failedAttempts());
        n.put("maxAttempts", info.maxAttempts());
        put(n, "error", info.error());
        return n;
    }

    /** Everything about one job (without stack traces: they name the server's classes and paths). */
    static ObjectNode detail(JobInfo info, List<JobInfo> children) {
        ObjectNode n = summary(info);
        n.set("parameters", info.parameters().map(Json::embedded).orElse(null));
        n.set("output", info.output().map(Json::embedded).orElse(null));
        put(n, "lastCheckpoint", info.lastCheckpoint());
        ArrayNode failures = n.putArray("failures");
        for (FailedAttempt f : info.failures()) {
            failures.addObject()
                    .put("attempt", f.attempt())
                    .put("at", text(f.at()))
                    .put("error", f.error());
        }
        put(n, "rerunOf", info.rerunOf());
        put(n, "schedule", info.schedule());
        put(n, "scheduledFor", info.scheduledFor());
        put(n, "uniqueKey", info.uniqueKey());
        ObjectNode resources = n.putObject("resources");
        info.resources().forEach(resources::put);
        put(n, "parent", info.parent());
        put(n, "chain", info.chain());
        put(n, "after", info.after());
        ArrayNode kids = n.putArray("children");
        for (JobInfo child : children) {
            kids.add(summary(child));
        }
        return n;
    }

    /** A stored schedule. */
    static ObjectNode schedule(ScheduleInfo info) {
        ScheduleSpec spec = info.spec();
        ObjectNode n = object();
        n.put("name", spec.name());
        n.put("schedule", spec.schedule().text());
        n.put("job", spec.jobName());
        n.set("parameters", embedded(spec.parameters()));
        n.put("catchUp", spec.catchUp().name());
        n.put("catchUpCap", spec.catchUpCap());
        n.put("overlap", spec.overlap().name());
        n.put("priority", spec.priority().name());
        n.put("paused", info.paused());
        put(n, "nextCheck", info.nextCheck());
        put(n, "lastTick", info.lastTick());
        put(n, "pendingTick", info.pendingTick());
        put(n, "lastJob", info.lastJob());
        n.put("droppedTicks", info.droppedTicks());
        return n;
    }

    static ObjectNode progress(Progress progress) {
        ObjectNode n = object();
        if (progress instanceof Progress.Percentage p) {
            n.put("type", "percentage").put("value", p.value());
        } else if (progress instanceof Progress.Count c) {
            n.put("type", "count").put("current", c.current()).put("total", c.total());
            n.put("message", c.message());
        } else if (progress instanceof Progress.Structured s) {
            n.put("type", "structured").set("data", MAPPER.valueToTree(s.data()));
        } else if (progress instanceof Progress.Indeterminate i) {
            n.put("type", "indeterminate").put("message", i.message());
        }
        progress.fraction().ifPresent(f -> n.put("fraction", f));
        return n;
    }

    static ObjectNode log(LogLine line) {
        ObjectNode n = object();
        n.put("sequence", line.sequence());
        n.put("timestamp", text(line.timestamp()));
        n.put("level", line.level().name());
        n.put("message", line.message());
        return n;
    }

    /** The SSE event type of a job event. */
    static String eventType(JobEvent event) {
        if (event instanceof JobEvent.Queued) {
            return "queued";
        } else if (event instanceof JobEvent.Started) {
            return "started";
        } else if (event instanceof JobEvent.ProgressUpdated) {
            return "progress";
        } else if (event instanceof JobEvent.Logged) {
            return "log";
        } else if (event instanceof JobEvent.Checkpointed) {
            return "checkpoint";
        } else if (event instanceof JobEvent.Paused) {
            return "paused";
        } else if (event instanceof JobEvent.Resumed) {
            return "resumed";
        } else if (event instanceof JobEvent.Completed) {
            return "completed";
        } else if (event instanceof JobEvent.Failed) {
            return "failed";
        } else if (event instanceof JobEvent.RetryScheduled) {
            return "retry";
        } else {
            return "cancelled";
        }
    }

    static boolean isFinal(JobEvent event) {
        return event instanceof JobEvent.Completed
                || event instanceof JobEvent.Failed
                || event instanceof JobEvent.Cancelled;
    }

    static ObjectNode event(JobEvent event) {
        ObjectNode n = object();
        n.put("jobId", event.jobId().toString());
        n.put("jobName", event.jobName());
        n.put("sequence", event.sequence());
        n.put("timestamp", text(event.timestamp()));
        if (event instanceof JobEvent.Started s) {
            n.put("resuming", s.resuming());
        } else if (event instanceof JobEvent.ProgressUpdated p) {
            n.set("progress", progress(p.progress()));
        } else if (event instanceof JobEvent.Logged l) {
            n.put("level", l.level().name()).put("message", l.message()).put("logSequence", l.logSequence());
        } else if (event instanceof JobEvent.Checkpointed c) {
            n.put("stateBytes", c.stateBytes());
        } else if (event instanceof JobEvent.Completed c) {
            n.set("output", output(c.output()));
        } else if (event instanceof JobEvent.Failed f) {
            n.put("error", f.error());
        } else if (event instanceof JobEvent.RetryScheduled r) {
            n.put("failedAttempt", r.failedAttempt())
                    .put("retryAt", text(r.retryAt()))
                    .put("error", r.error());
        }
        return n;
    }

    private static JsonNode output(Object output) {
        if (output == null) {
            return null;
        }
        try {
            return MAPPER.valueToTree(output);
        } catch (IllegalArgumentException e) {
            return MAPPER.getNodeFactory().textNode(String.valueOf(output));
        }
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static UUID uuidOrNull(String text) {
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
