package dev.jobs.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobs.CatchUp;
import dev.jobs.JobPriority;
import dev.jobs.Overlap;
import dev.jobs.runtime.Schedule;
import dev.jobs.runtime.ScheduleSpec;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the body of {@code PUT /api/schedules/{name}}: {@code {"schedule": "every 5m", "job":
 * "backup", "parameters": {...}, "catchUp": "ONCE", "catchUpCap": 100, "overlap": "SKIP",
 * "priority": "NORMAL"}}, the last four optional.
 */
final class ScheduleRequest {
    private ScheduleRequest() {}

    static ScheduleSpec read(String name, JsonNode body) {
        if (!body.isObject()) {
            throw bad(
                    "the body must be a JSON object {\"schedule\": \"every 5m\", \"job\": ..., \"parameters\": {...}}");
        }
        Schedule schedule;
        try {
            schedule = Schedule.parse(text(body, "schedule"));
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        JsonNode parameters = body.get("parameters");
        if (parameters == null || parameters.isNull()) {
            parameters = Json.object();
        }
        if (!parameters.isObject()) {
            throw bad("'parameters' must be a JSON object");
        }
        try {
            return options(ScheduleSpec.of(name, schedule, text(body, "job"), Json.write(parameters)), body);
        } catch (IllegalArgumentException e) { // a blank name, a cap below 1
            throw bad(e.getMessage());
        }
    }

    private static ScheduleSpec options(ScheduleSpec spec, JsonNode body) {
        if (body.hasNonNull("catchUp")) {
            CatchUp catchUp = constant(CatchUp.class, body, "catchUp");
            if (catchUp == CatchUp.ALL && body.hasNonNull("catchUpCap")) {
                JsonNode cap = body.get("catchUpCap");
                if (!cap.isIntegralNumber() || !cap.canConvertToInt() || cap.asInt() < 1) {
                    throw bad("'catchUpCap' must be a whole number of at least 1");
                }
                spec = spec.withCatchUpAll(cap.asInt());
            } else {
                spec = spec.withCatchUp(catchUp);
            }
        }
        if (body.hasNonNull("overlap")) {
            spec = spec.withOverlap(constant(Overlap.class, body, "overlap"));
        }
        if (body.hasNonNull("priority")) {
            spec = spec.withPriority(constant(JobPriority.class, body, "priority"));
        }
        return spec;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw bad("'" + field + "' must be given as a string");
        }
        return value.asText();
    }

    private static <E extends Enum<E>> E constant(Class<E> type, JsonNode body, String field) {
        String value = text(body, field);
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw bad("'" + field + "' must be one of " + Arrays.toString(type.getEnumConstants()) + ", was '" + value
                    + "'");
        }
    }

    private static ApiException bad(String detail) {
        return new ApiException(400, "Bad Request", detail);
    }
}
