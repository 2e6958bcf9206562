package dev.jobs.runtime.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobs.InvalidParametersException;
import dev.jobs.JobException;
import dev.jobs.JobHandler;
import dev.jobs.JobRegistration;
import dev.jobs.Progress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON for what crosses the API: parameters of a dispatch by name (validated against the job's
 * schema, then bound onto a fresh job), outputs, and progress details.
 */
public final class JsonCodec {

    private static final String NO_PARAMETERS = "no parameters given (use \"{}\" for none)";

    private final ObjectMapper mapper = Mappers.json();
    private final JsonFactory parameterParsers;
    private final Map<String, ParameterValidator> validators = new ConcurrentHashMap<>();

    /** A codec whose parameter JSON has Jackson's default limits (see {@link StreamReadConstraints#defaults()}). */
    public JsonCodec() {
        this(StreamReadConstraints.defaults());
    }

    /** A codec with other limits for parameter JSON (nesting depth, string and number length), for tests. */
    JsonCodec(StreamReadConstraints parameterLimits) {
        this.parameterParsers =
                JsonFactory.builder().streamReadConstraints(parameterLimits).build();
    }

    /**
     * Checks the arguments of a dispatch by name before anything else: a null name or null JSON is
     * a programming error, not invalid parameters.
     *
     * @throws IllegalArgumentException {@code name} or {@code parametersJson} is null
     */
    public static void requireDispatchArguments(String name, String parametersJson) {
        if (name == null) {
            throw new IllegalArgumentException("no job name given");
        }
        if (parametersJson == null) {
            throw new IllegalArgumentException(NO_PARAMETERS);
        }
    }

    /**
     * A new job from JSON parameters: the JSON is read strictly (one object, no duplicate keys,
     * finite numbers, valid Unicode), checked against the job's schema (only its parameters,
     * required ones present, types and ranges), bound onto a fresh job (parameters not given keep
     * the values the no-arg constructor set), and then checked by the job's own {@code validate()}.
     *
     * @throws IllegalArgumentException {@code json} is null
     * @throws InvalidParametersException anything wrong with the parameters, in the library's own
     *     words and with the path of the field where there is one
     */
    public <J extends JobHandler<?>> J jobFromParameters(JobRegistration<J> registration, String json) {
        return bind(registration, json).job();
    }

    /** A job built from parameters, and the parameters as stored with it (the JSON given, compact). */
    public record Bound<J>(J job, String parameters) {}

    /** {@link #jobFromParameters}, also giving the parameters to store with the job. */
    public <J extends JobHandler<?>> Bound<J> bind(JobRegistration<J> registration, String json) {
        if (json == null) {
            throw new IllegalArgumentException(NO_PARAMETERS);
        }
        String name = registration.name();
        JsonNode node = StrictJson.read(parameterParsers, name, json);
        validators
                .computeIfAbsent(name, n -> new ParameterValidator(n, parse(registration.parameterSchema())))
                .validate(node);
        removeNulls(node); // null means "not given": the field keeps its constructor default
        String parameters = node.toString();
        J job = registration.newInstance();
        try {
            mapper.readerForUpdating(job).readValue(node);
        } catch (JsonMappingException e) {
            String path = fieldPath(e);
            throw new InvalidParametersException(name, path.isEmpty() ? null : path, BindingProblems.describe(e), e);
        } catch (java.io.IOException e) {
            throw new InvalidParametersException(name, null, "the parameters could not be read", e);
        }
        try {
            registration.validate(job);
        } catch (InvalidParametersException e) {
            throw e.jobName() == null ? new InvalidParametersException(name, e.field(), e.problem(), e) : e;
        } catch (IllegalArgumentException e) {
            throw new InvalidParametersException(
                    name, null, e.getMessage() == null ? "refused by the job's validate()" : e.getMessage(), e);
        }
        return new Bound<>(job, parameters);
    }

    /** The names of each job type's parameters (its schema's properties). */
    private final Map<String, java.util.Set<String>> parameterNames = new ConcurrentHashMap<>();

    /**
     * The parameters of a job dispatched as an instance: its {@code @Param} fields as a JSON object
     * (what {@link #bind} would accept to make the same job again).
     */
    public String parametersOf(JobRegistration<?> registration, JobHandler<?> job) {
        java.util.Set<String> names = parameterNames.computeIfAbsent(registration.name(), n -> {
            java.util.Set<String> set = new java.util.LinkedHashSet<>();
            parse(registration.parameterSchema())
                    .path("properties")
                    .fieldNames()
                    .forEachRemaining(set::add);
            return set;
        });
        if (names.isEmpty()) {
            return "{}";
        }
        JsonNode all = mapper.valueToTree(job);
        ObjectNode parameters = mapper.createObjectNode();
        for (String field : names) {
            JsonNode value = all.get(field);
            if (value != null && !value.isNull()) {
                parameters.set(field, value);
            }
        }
        return parameters.toString();
    }

    private static void removeNulls(JsonNode node) {
        if (node instanceof ObjectNode object) {
            java.util.List<String> nulls = new java.util.ArrayList<>();
            object.properties().forEach(e -> {
                if (e.getValue().isNull()) {
                    nulls.add(e.getKey());
                } else {
                    removeNulls(e.getValue());
                }
            });
            object.remove(nulls);
        } else if (node != null && node.isArray()) {
            node.forEach(JsonCodec::removeNulls);
        }
    }

    private JsonNode parse(String schema) {
        try {
            return mapper.readTree(schema);
        } catch (JsonProcessingException e) {
            throw new JobException("the generated parameter schema is not valid JSON: " + e.getMessage(), e);
        }
    }

    public String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new JobException(
                    "cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public <T> T fromJson(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new JobException("cannot read JSON as " + type.getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Progress as JSON with a {@code type} discriminator. */
    public String progressToJson(Progress progress) {
        if (progress == null) {
            return null;
        }
        ObjectNode node = mapper.createObjectNode();
        if (progress instanceof Progress.Percentage p) {
            node.put("type", "percentage").put("value", p.value());
        } else if (progress instanceof Progress.Count c) {
            node.put("type", "count").put("current", c.current()).put("total", c.total());
            if (c.message() != null) {
                node.put("message", c.message());
            }
        } else if (progress instanceof Progress.Structured s) {
            node.put("type", "structured").set("data", mapper.valueToTree(s.data()));
        } else if (progress instanceof Progress.Indeterminate i) {
            node.put("type", "indeterminate");
            if (i.message() != null) {
                node.put("message", i.message());
            }
        }
        return node.toString();
    }

    /** The inverse of {@link #progressToJson}; null for null or unreadable input. */
    @SuppressWarnings("unchecked")
    public Progress progressFromJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(json);
            return switch (node.path("type").asText()) {
                case "percentage" -> Progress.percentage(node.path("value").asDouble());
                case "count" ->
                    Progress.count(
                            node.path("current").asLong(),
                            node.path("total").asLong(),
                            node.hasNonNull("message") ? node.get("message").asText() : null);
                case "structured" -> Progress.structured(mapper.convertValue(node.path("data"), LinkedHashMap.class));
                case "indeterminate" ->
                    Progress.indeterminate(
                            node.hasNonNull("message") ? node.get("message").asText() : null);
                default -> null;
            };
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
    }

    static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
