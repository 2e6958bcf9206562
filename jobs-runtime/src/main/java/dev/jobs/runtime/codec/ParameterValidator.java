package dev.jobs.runtime.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobs.InvalidParametersException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks dispatch parameters against the schema the processor computed, before anything is bound
 * or written: keys that are not parameters (state fields, typos) or not fields of a nested object,
 * missing required parameters, wrong JSON types and integers beyond their Java type are reported
 * with the field's path, so an API layer can return the message as is.
 */
final class ParameterValidator {

    private final String jobName;
    private final JsonNode schema;

    ParameterValidator(String jobName, JsonNode schema) {
        this.jobName = jobName;
        this.schema = schema;
    }

    void validate(JsonNode parameters) {
        if (!parameters.isObject()) {
            throw new InvalidParametersException(
                    jobName, null, "parameters must be a JSON object, was " + describe(parameters));
        }
        check(schema, parameters, "");
    }

    private void check(JsonNode schema, JsonNode value, String path) {
        if (value.isNull()) {
            return; // null means "not set": the field keeps its default
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> checkObject(schema, value, path);
            case "array" -> {
                if (!value.isArray()) {
                    throw wrongType(path, "an array", value);
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), path + "[" + i + "]");
                }
            }
            case "string" -> {
                boolean character = schema.path("maxLength").asInt(-1) == 1;
                if (!value.isTextual()) {
                    throw wrongType(path, character ? "a single character" : "a string", value);
                }
                if (character && value.asText().codePointCount(0, value.asText().length()) != 1) {
                    throw wrongType(path, "a single character", value);
                }
                JsonNode allowed = schema.get("enum");
                if (allowed != null) {
                    List<String> names = new ArrayList<>();
                    allowed.forEach(n -> names.add(n.asText()));
                    if (!names.contains(value.asText())) {
                        throw new InvalidParametersException(
                                jobName, path, "'" + value.asText() + "' is not one of " + String.join(", ", names));
                    }
                }
            }
            case "integer" -> {
                JsonNode min = schema.get("minimum");
                JsonNode max = schema.get("maximum");
                boolean bounded = min != null && max != null;
                String expected = bounded ? "an integer from " + min.asText() + " to " + max.asText() : "an integer";
                if (!value.isIntegralNumber()) {
                    throw wrongType(path, expected, value);
                }
                if (bounded
                        && (value.bigIntegerValue().compareTo(min.bigIntegerValue()) < 0
                                || value.bigIntegerValue().compareTo(max.bigIntegerValue()) > 0)) {
                    throw wrongType(path, expected, value);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    throw wrongType(path, "a number", value);
                }
                if (Double.isInfinite(value.doubleValue())) {
                    throw wrongType(path, "a number within the range of a double (about ±1.8e308)", value);
                }
                if (schema.path("format").asText("").equals("float") && Float.isInfinite(value.floatValue())) {
                    throw wrongType(path, "a number within the range of a float (about ±3.4e38)", value);
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    throw wrongType(path, "true or false", value);
                }
            }
            default -> {} // any value
        }
    }

    private void checkObject(JsonNode schema, JsonNode value, String path) {
        if (!value.isObject()) {
            throw wrongType(path, "an object", value);
        }
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        if (properties != null) {
            boolean closed = additional != null && additional.isBoolean() && !additional.asBoolean();
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                if (closed && !properties.has(field.getKey())) {
                    throw unknown(path, field.getKey(), properties); // first: a typo also makes one "missing"
                }
            }
            for (JsonNode required : schema.path("required")) {
                JsonNode given = value.get(required.asText());
                if (given == null || given.isNull()) {
                    throw new InvalidParametersException(
                            jobName, join(path, required.asText()), "is required but missing");
                }
            }
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode fieldSchema = properties.get(field.getKey());
                if (fieldSchema != null) {
                    check(fieldSchema, field.getValue(), join(path, field.getKey()));
                }
            }
        } else if (additional != null && additional.isObject()) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                check(additional, field.getValue(), join(path, field.getKey()));
            }
        }
    }

    /**
     * A key the schema does not list: at the top, a state field or a typo, "not a parameter"; in a
     * nested object, not one of its fields.
     */
    private InvalidParametersException unknown(String path, String key, JsonNode properties) {
        List<String> known = new ArrayList<>();
        properties.fieldNames().forEachRemaining(known::add);
        String problem;
        if (path.isEmpty()) {
            problem = known.isEmpty()
                    ? "is not a parameter; the job takes no parameters (give {})"
                    : "is not a parameter; the job's parameters are: " + String.join(", ", known);
        } else {
            problem = "is not a field of '" + path + "'; "
                    + (known.isEmpty() ? "it has no fields" : "its fields are: " + String.join(", ", known));
        }
        return new InvalidParametersException(jobName, join(path, key), problem);
    }

    private InvalidParametersException wrongType(String path, String expected, JsonNode value) {
        return new InvalidParametersException(
                jobName, path.isEmpty() ? null : path, "expected " + expected + ", got " + describe(value));
    }

    private static String describe(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        String text = value.toString();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "...";
        }
        String kind = value.isTextual()
                ? "a string"
                : value.isNumber()
                        ? "a number"
                        : value.isBoolean()
                                ? "a boolean"
                                : value.isArray() ? "an array" : value.isObject() ? "an object" : "null";
        return kind + " (" + text + ")";
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }
}
