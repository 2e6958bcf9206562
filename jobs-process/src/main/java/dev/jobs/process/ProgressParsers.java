package dev.jobs.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobs.Progress;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in {@link ProgressParser}s: a regular expression with named groups, a percentage, rsync's
 * {@code --info=progress2} line and JSON lines (borg's {@code --log-json}).
 */
public final class ProgressParsers {
    private ProgressParsers() {}

    private static final ProgressParser NONE = line -> Optional.empty();

    /** Reads no progress (the default). */
    public static ProgressParser none() {
        return NONE;
    }

    /**
     * A regular expression found in a line, with named groups: {@code done} and {@code total}
     * (numbers; {@code 1,234} allowed) for a count, or {@code percent} for a percentage; an
     * optional {@code message} group is the progress's message.
     *
     * <pre>{@code
     * ProgressParsers.regex("(?<done>\\d+)/(?<total>\\d+) files")
     * }</pre>
     *
     * @throws IllegalArgumentException if the expression is invalid or has neither
     *     {@code done}+{@code total} nor {@code percent}
     */
    public static ProgressParser regex(String expression) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(expression);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "progress pattern '" + expression + "' is invalid: " + e.getDescription());
        }
        boolean count = expression.contains("?<done>") && expression.contains("?<total>");
        boolean percent = expression.contains("?<percent>");
        if (!count && !percent) {
            throw new IllegalArgumentException("progress pattern '" + expression
                    + "' needs the named groups (?<done>...) and (?<total>...), or (?<percent>...)");
        }
        boolean message = expression.contains("?<message>");
        return line -> {
            Matcher m = pattern.matcher(line);
            if (!m.find()) {
                return Optional.empty();
            }
            String text = message ? m.group("message") : null;
            try {
                if (count && m.group("done") != null && m.group("total") != null) {
                    long done = number(m.group("done"));
                    long total = number(m.group("total"));
                    return total > 0 && done >= 0 && done <= total
                            ? Optional.of(Progress.count(done, total, text))
                            : Optional.empty();
                }
                if (percent && m.group("percent") != null) {
                    return percentage(Double.parseDouble(m.group("percent").replace(',', '.')), text);
                }
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            return Optional.empty();
        };
    }

    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3}(?:[.,]\\d+)?)\\s?%");

    /** The last percentage in a line ({@code 42%}, {@code 42.5 %}); the line is the message. */
    public static ProgressParser percent() {
        return line -> {
            Matcher m = PERCENT.matcher(line);
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            return last == null
                    ? Optional.empty()
                    : percentage(Double.parseDouble(last.replace(',', '.')), line.strip());
        };
    }

    // "  1,238,099,144  90%   43.07MB/s    0:00:27 (xfr#1, to-chk=0/1)"
    private static final Pattern RSYNC = Pattern.compile(
            "^\\s*([\\d,.]+)([KMGT]?)\\s+(\\d{1,3})%\\s+(\\S+/s)\\s+(\\d+:\\d{2}:\\d{2})(?:\\s+\\((.*)\\))?");

    /**
     * rsync's {@code --info=progress2} line (rsync 3.1 or newer): the percentage of the whole
     * transfer, with the bytes, the rate and the time as the message.
     */
    public static ProgressParser rsync() {
        return line -> {
            Matcher m = RSYNC.matcher(line);
            if (!m.find()) {
                return Optional.empty();
            }
            int percent = Integer.parseInt(m.group(3));
            String message = m.group(1) + m.group(2) + " bytes, " + m.group(4) + ", " + m.group(5)
                    + (m.group(6) == null ? "" : " (" + m.group(6) + ")");
            return percentage(percent, message);
        };
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * JSON objects, one per line, as borg {@code --log-json} writes them: {@code current} and
     * {@code total} make a count (with {@code message}), a numeric {@code percent} a percentage,
     * and a {@code progress_message} or {@code archive_progress} object (borg's) an indeterminate
     * progress with its message, or its file count and path. Other lines are ignored.
     */
    public static ProgressParser jsonLines() {
        return line -> {
            String trimmed = line.strip();
            if (!trimmed.startsWith("{")) {
                return Optional.empty();
            }
            JsonNode node;
            try {
                node = JSON.readTree(trimmed);
            } catch (java.io.IOException e) {
                return Optional.empty();
            }
            String message =
                    node.path("message").isTextual() ? node.path("message").asText() : null;
            if (node.path("current").isNumber() && node.path("total").isNumber()) {
                long current = node.path("current").asLong();
                long total = node.path("total").asLong();
                if (total > 0 && current >= 0 && current <= total) {
                    return Optional.of(Progress.count(current, total, message));
                }
                return Optional.empty();
            }
            if (node.path("percent").isNumber()) {
                return percentage(node.path("percent").asDouble(), message);
            }
            String type = node.path("type").asText("");
            if (type.equals("archive_progress") && node.path("nfiles").isNumber()) {
                String path = node.path("path").asText("");
                return Optional.of(Progress.indeterminate(
                        node.path("nfiles").asLong() + " files" + (path.isEmpty() ? "" : ", " + path)));
            }
            if (type.equals("progress_message") && message != null) {
                return Optional.of(Progress.indeterminate(message));
            }
            return Optional.empty();
        };
    }

    /** {@code percent} (0 to 100) as a count of 100 with a message (a bare percentage has none). */
    private static Optional<Progress> percentage(double percent, String message) {
        if (!(percent >= 0 && percent <= 100)) {
            return Optional.empty();
        }
        long tenths = Math.round(percent * 10);
        return Optional.of(Progress.count(tenths, 1000, message));
    }

    private static long number(String text) {
        return Long.parseLong(text.replace(",", "").replace("_", ""));
    }
}
