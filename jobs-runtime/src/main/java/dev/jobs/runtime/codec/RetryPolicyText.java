package dev.jobs.runtime.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobs.Job;
import dev.jobs.JobRegistration;
import dev.jobs.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stored form of a {@link RetryPolicy}: a small JSON object kept with each job, so a job keeps
 * the policy it was dispatched with across restarts and deployments. Durations are ISO-8601,
 * exception types their class names. The policy of each job type (its {@code @Job(retry = ...)})
 * is read and encoded once.
 */
public final class RetryPolicyText {

    private final ObjectMapper mapper = Mappers.json();
    private final Map<String, Encoded> byType = new ConcurrentHashMap<>();
    private final Map<String, RetryPolicy> decoded = new ConcurrentHashMap<>();

    /** A policy and its stored form (null for no retry). */
    public record Encoded(RetryPolicy policy, String text) {
        /** The policy's attempts in all, or null when it does not retry. */
        public Integer maxAttempts() {
            return text == null ? null : policy.maxAttempts();
        }
    }

    private static final Encoded NONE = new Encoded(RetryPolicy.none(), null);

    /** The policy of a job type, from its {@code @Job(retry = ...)}. */
    public Encoded forType(JobRegistration<?> registration) {
        return byType.computeIfAbsent(registration.name(), n -> {
            Job job = registration.jobType().getAnnotation(Job.class);
            return job == null ? NONE : encode(RetryPolicy.of(job.retry()));
        });
    }

    /** The stored form of {@code policy}; a policy of one attempt is stored as none. */
    public Encoded encode(RetryPolicy policy) {
        if (!policy.retries()) {
            return NONE;
        }
        ObjectNode o = mapper.createObjectNode();
        o.put("maxAttempts", policy.maxAttempts());
        o.put("initialDelay", policy.initialDelay().toString());
        o.put("maxDelay", policy.maxDelay().toString());
        o.put("multiplier", policy.multiplier());
        o.put("jitter", policy.jitter());
        o.put("restart", policy.restart());
        policy.noRetryFor().forEach(o.putArray("noRetryFor")::add);
        policy.retryOn().forEach(o.putArray("retryOn")::add);
        try {
            return new Encoded(policy, mapper.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a stored policy.
     *
     * @throws IllegalArgumentException text that is not a policy written by {@link #encode}
     */
    public RetryPolicy decode(String text) {
        RetryPolicy cached = decoded.get(text);
        if (cached != null) {
            return cached;
        }
        try {
            JsonNode o = mapper.readTree(text);
            RetryPolicy policy = new RetryPolicy(
                    o.path("maxAttempts").asInt(1),
                    Duration.parse(o.path("initialDelay").asText("PT1S")),
                    Duration.parse(o.path("maxDelay").asText("PT1H")),
                    o.path("multiplier").asDouble(2.0),
                    o.path("jitter").asDouble(0.0),
                    o.path("restart").asBoolean(false),
                    strings(o.path("noRetryFor")),
                    strings(o.path("retryOn")));
            if (decoded.size() < 1_000) {
                decoded.put(text, policy);
            }
            return policy;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "the stored retry policy '" + text + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array instanceof ArrayNode a) {
            a.forEach(n -> out.add(n.asText()));
        }
        return out;
    }
}
