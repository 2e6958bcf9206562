package dev.jobs.runtime.codec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobs.InvalidParametersException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks dispatch parameters against the schema the processor computed, before anything is bound
 * or written: unknown top-level fields (usually typos), missing required fields and wrong JSON
 * types are reported with the field's path, so an API layer can return the message as is.
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
                if (!value.isTextual()) {
                    throw wrongType(path, "a string", value);
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
                if (!value.isIntegralNumber()) {
                    throw wrongType(path, "an integer", value);
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    throw wrongType(path, "a number", value);
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
            for (JsonNode required : schema.path("required")) {
                JsonNode given = value.get(required.asText());
                if (given == null || given.isNull()) {
                    throw new InvalidParametersException(
                            jobName, join(path, required.asText()), "is required but missing");
                }
            }
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                JsonNode fieldSchema = properties.get(field.getKey());
                if (fieldSchema == null) {
                    if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                        List<String> known = new ArrayList<>();
                        properties.fieldNames().forEachRemaining(known::add);
                        throw new InvalidParametersException(
                                jobName,
                                join(path, field.getKey()),
                                "unknown parameter; known parameters: " + String.join(", ", known));
                    }
                    continue;
                }
                check(fieldSchema, field.getValue(), join(path, field.getKey()));
            }
        } else if (additional != null && additional.isObject()) {
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                check(additional, field.getValue(), join(path, field.getKey()));
            }
        }
    }

    private InvalidParametersException wrongType(String path, String expected, JsonNode value) {
        return new InvalidParametersException(
                jobName, path.isEmpty() ? null : path, "expected " + expected + ", got " + describe(value));
    }

    private static String describe(JsonNode value) {
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
