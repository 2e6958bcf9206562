package dev.jobs.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;

/**
 * {@code ~} in paths: a shell expands it in {@code --db ~/x} but not inside the JSON of
 * {@code --params}, where the recorded sessions use it. jobctl expands it itself, in path options
 * and in the parameters that a job's schema declares as paths ({@code "format": "path"}), before
 * dispatching, so the job stores (and a worker later reads) the full path.
 */
final class Tilde {
    private Tilde() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code ~} becomes {@code home}, {@code ~/rest} becomes {@code home/rest}; anything else (also {@code ~user}) is kept. */
    static String expandHome(String path, String home) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/") || path.startsWith("~" + java.io.File.separator)) {
            return home + path.substring(1);
        }
        return path;
    }

    static String expandHome(String path) {
        return expandHome(path, System.getProperty("user.home"));
    }

    /** Converts a path option, expanding {@code ~}. */
    static final class HomeExpanding implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            return Path.of(expandHome(value));
        }
    }

    /**
     * {@code params} with {@code ~} expanded in every top-level field that {@code schema} declares
     * as a path, or a list of paths. Returns {@code params} unchanged when nothing was expanded, or
     * when it is not a JSON object (the dispatch then reports what is wrong with it).
     */
    static String expandPathParameters(String params, String schema, String home) {
        JsonNode parsed;
        JsonNode properties;
        try {
            parsed = JSON.readTree(params);
            properties = JSON.readTree(schema).path("properties");
        } catch (JsonProcessingException e) {
            return params;
        }
        if (!(parsed instanceof ObjectNode object) || !properties.isObject()) {
            return params;
        }
        boolean changed = false;
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            JsonNode declared = properties.path(field.getKey());
            if (isPath(declared) && field.getValue().isTextual()) {
                String expanded = expandHome(field.getValue().asText(), home);
                if (!expanded.equals(field.getValue().asText())) {
                    field.setValue(TextNode.valueOf(expanded));
                    changed = true;
                }
            } else if (declared.path("type").asText().equals("array")
                    && isPath(declared.path("items"))
                    && field.getValue() instanceof ArrayNode items) {
                for (int i = 0; i < items.size(); i++) {
                    if (items.get(i).isTextual()) {
                        String expanded = expandHome(items.get(i).asText(), home);
                        if (!expanded.equals(items.get(i).asText())) {
                            items.set(i, TextNode.valueOf(expanded));
                            changed = true;
                        }
                    }
                }
            }
        }
        if (!changed) {
            return params;
        }
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            return params;
        }
    }

    private static boolean isPath(JsonNode declared) {
        return declared.path("type").asText().equals("string")
                && declared.path("format").asText().equals("path");
    }
}
