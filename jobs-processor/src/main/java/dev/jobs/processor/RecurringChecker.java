package dev.jobs.processor;

import dev.jobs.RetryPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Checks the {@code @Recurring} of a {@code @Job} class at compile time, so a schedule the runtime
 * would refuse when a manager starts ({@code JobManager.build()} fails) is a compile error on the
 * value at fault. The cron check is structural only (the processor carries no cron library): the
 * runtime still parses the expression fully at startup.
 */
final class RecurringChecker {

    static final String RECURRING = "dev.jobs.Recurring";

    /** The longest schedule name accepted. */
    static final int MAX_NAME = 200;

    private static final Set<String> MACROS =
            Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");

    private static final String[] FIELD_NAMES = {"minute", "hour", "day of month", "month", "day of week"};
    private static final int[][] RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};

    private final Messager messager;

    RecurringChecker(ProcessingEnvironment env) {
        this.messager = env.getMessager();
    }

    static AnnotationMirror recurringAnnotation(Element element) {
        for (AnnotationMirror m : element.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement())
                    .getQualifiedName()
                    .contentEquals(RECURRING)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Reports every problem of the job's {@code @Recurring} on the value at fault.
     *
     * @param params the job's {@code @Param} names, each mapped to whether it is required; null
     *     when they are not known, then the parameter names are not checked
     * @return whether the schedule is valid (also when the job declares none)
     */
    boolean check(Element job, Map<String, Boolean> params) {
        AnnotationMirror recurring = recurringAnnotation(job);
        if (recurring == null) {
            return true;
        }
        Check c = new Check(job, recurring);
        String name = c.string("name", "");
        if (c.isExplicit("name")) {
            if (name.isBlank()) {
                c.error("name", "@Recurring name is blank; leave it out to use the job's name, or give a name");
            } else if (name.length() > MAX_NAME) {
                c.error(
                        "name",
                        "@Recurring name is " + name.length() + " characters long; it must be at most " + MAX_NAME);
            }
        }
        String cron = c.string("cron", "");
        String every = c.string("every", "");
        String zone = c.string("zone", "UTC");
        if (cron.isEmpty() && every.isEmpty()) {
            c.error(
                    (String) null,
                    "@Recurring gives neither cron nor every; give exactly one, such as cron = \"0 2 * * *\" or every = \"5m\"");
        } else if (!cron.isEmpty() && !every.isEmpty()) {
            c.error(
                    (String) null,
                    "@Recurring gives both cron and every; give exactly one of them (cron for times of day, every for a fixed rate)");
        } else if (!every.isEmpty()) {
            checkEvery(c, every);
        } else {
            String problem = cronProblem(cron);
            if (problem != null) {
                c.error("cron", "@Recurring cron \"" + cron + "\" is invalid: " + problem);
            }
        }
        try {
            ZoneId.of(zone);
            if (!every.isEmpty() && cron.isEmpty() && c.isExplicit("zone") && !zone.equals("UTC")) {
                // A warning, not an error: the schedule the runtime builds is still right (a fixed
                // rate does not depend on a zone), the zone is merely unused; javac -Werror users
                // still get it as an error.
                c.warning(
                        "zone",
                        "@Recurring zone \"" + zone + "\" is ignored with every, which is a fixed rate; "
                                + "remove zone, or use cron to run at times of day in that zone");
            }
        } catch (RuntimeException e) { // DateTimeException, ZoneRulesException
            c.error(
                    "zone",
                    "@Recurring zone \"" + zone + "\" is not a time zone java.time.ZoneId knows; "
                            + "use a region such as \"Europe/Paris\", an offset such as \"+02:00\", or \"UTC\"");
        }
        checkParameters(c, c.string("parameters", "{}"), params);
        return c.ok;
    }

    private static void checkEvery(Check c, String every) {
        Duration d;
        try {
            d = RetryPolicy.parseDuration(every);
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int hint = message.indexOf("\": ");
            c.error(
                    "every",
                    "@Recurring every \"" + every + "\" cannot be read: "
                            + (hint >= 0 ? message.substring(hint + 3) : message));
            return;
        }
        if (d.compareTo(Duration.ofSeconds(1)) < 0) {
            c.error(
                    "every",
                    "@Recurring every \"" + every
                            + "\" is shorter than 1 second, the resolution of schedules; give at least 1s");
        }
    }

    private static void checkParameters(Check c, String parameters, Map<String, Boolean> params) {
        Set<String> keys;
        try {
            keys = new ObjectReader(parameters).topLevelKeys();
        } catch (IllegalArgumentException e) {
            c.error(
                    "parameters",
                    "@Recurring parameters is not a JSON object: " + e.getMessage()
                            + "; write it like \"{\\\"path\\\": \\\"/tmp/x\\\", \\\"count\\\": 3}\"");
            return;
        }
        if (params == null) {
            return;
        }
        for (String key : keys) {
            if (!params.containsKey(key)) {
                c.error(
                        "parameters",
                        "@Recurring parameters names '" + key + "', which is not a @Param of the job"
                                + (params.isEmpty() ? " (it has none)" : "; its parameters are " + params.keySet()));
            }
        }
        for (Map.Entry<String, Boolean> p : params.entrySet()) {
            if (p.getValue() && !keys.contains(p.getKey())) {
                c.error(
                        "parameters",
                        "@Recurring parameters lacks '" + p.getKey()
                                + "', a required @Param of the job; without it the manager refuses the schedule when it starts");
            }
        }
    }

    /** What is wrong with a cron expression, in words, or null when it looks well formed. */
    static String cronProblem(String cron) {
        String trimmed = cron.trim();
        if (trimmed.isEmpty()) {
            return "it is blank; write 5 fields (minute hour day-of-month month day-of-week), 6 with seconds first,"
                    + " or a macro such as @daily";
        }
        if (trimmed.startsWith("@")) {
            return MACROS.contains(trimmed.toLowerCase(Locale.ROOT))
                    ? null
                    : "unknown macro " + trimmed + "; use one of @yearly, @annually, @monthly, @weekly, @daily, "
                            + "@midnight, @hourly";
        }
        String[] fields = trimmed.split("\\s+");
        if (fields.length != 5 && fields.length != 6) {
            return "it has " + fields.length + " field" + (fields.length == 1 ? "" : "s")
                    + "; write 5 (minute hour day-of-month month day-of-week), 6 with seconds first, or a macro such as @daily";
        }
        int offset = fields.length - 5;
        for (int i = 0; i < fields.length; i++) {
            String field = fields[i];
            String what = i < offset ? "second" : FIELD_NAMES[i - offset];
            int[] range = i < offset ? new int[] {0, 59} : RANGES[i - offset];
            for (int k = 0; k < field.length(); k++) {
                char ch = field.charAt(k);
                if (ch == '?' || ch == '#') {
                    return "the " + what + " field \"" + field + "\" uses '" + ch
                            + "', which is Quartz syntax; this library reads Unix cron syntax (use * instead of ?)";
                }
                if (!(Character.isLetterOrDigit(ch) && ch < 128) && ch != '*' && ch != ',' && ch != '-' && ch != '/') {
                    return "the " + what + " field \"" + field + "\" contains '" + ch
                            + "'; a field may hold only digits, names such as MON or JAN, and * , - /";
                }
            }
            if ((what.startsWith("day")) && quartzLetters(field)) {
                return "the " + what + " field \"" + field
                        + "\" uses L or W, which are Quartz syntax; this library reads Unix cron syntax";
            }
            String problem = fieldProblem(field, range);
            if (problem != null) {
                return "the " + what + " field \"" + field + "\" " + problem;
            }
        }
        return null;
    }

    /** L or W in a day field, alone or after a number ("L", "15W", "5L", "LW"), not in a name. */
    private static boolean quartzLetters(String field) {
        for (String part : field.split(",", -1)) {
            String p = part.toUpperCase(Locale.ROOT);
            if (p.matches("L|LW|L-\\d+|\\d+[LW]")) {
                return true;
            }
        }
        return false;
    }

    /** Range checks of plain numbers, ranges and steps; names are left to the runtime. */
    private static String fieldProblem(String field, int[] range) {
        for (String part : field.split(",", -1)) {
            if (part.isEmpty()) {
                return "has an empty list element; separate values with single commas";
            }
            String base = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                String step = part.substring(slash + 1);
                base = part.substring(0, slash);
                if (!step.matches("\\d{1,9}") || Integer.parseInt(step) < 1) {
                    return "has the step \"" + step + "\"; a step is a number of at least 1";
                }
                if (base.isEmpty()) {
                    return "has nothing before '/'; write */" + step + " or a range such as 0-30/" + step;
                }
            }
            if (base.equals("*")) {
                continue;
            }
            String[] ends = base.split("-", -1);
            if (ends.length > 2 || ends[0].isEmpty() || (ends.length == 2 && ends[1].isEmpty())) {
                return "has \"" + base + "\", which is neither a value nor a range such as 1-5";
            }
            Integer low = null;
            for (String end : ends) {
                if (!end.matches("\\d+")) {
                    continue; // a name such as MON or JAN: the runtime knows them
                }
                if (end.length() > 9 || Integer.parseInt(end) < range[0] || Integer.parseInt(end) > range[1]) {
                    return "has " + end + ", outside " + range[0] + "-" + range[1];
                }
                if (low == null) {
                    low = Integer.parseInt(end);
                } else if (ends[0].matches("\\d+") && low > Integer.parseInt(end)) {
                    return "has the range " + base + ", which goes backwards; write the smaller value first";
                }
            }
        }
        return null;
    }

    private static AnnotationValue find(
            Map<? extends ExecutableElement, ? extends AnnotationValue> values, String member) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : values.entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(member)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The values of one {@code @Recurring} and the errors reported on it. */
    private final class Check {
        final Element job;
        final AnnotationMirror recurring;
        boolean ok = true;

        Check(Element job, AnnotationMirror recurring) {
            this.job = job;
            this.recurring = recurring;
        }

        boolean isExplicit(String member) {
            return find(recurring.getElementValues(), member) != null;
        }

        /** The member as written, or {@code fallback} (the default of {@code @Recurring}). */
        String string(String member, String fallback) {
            AnnotationValue v = find(recurring.getElementValues(), member);
            return v != null && v.getValue() instanceof String s ? s : fallback;
        }

        void error(String member, String message) {
            ok = false;
            report(Diagnostic.Kind.ERROR, member, message);
        }

        void warning(String member, String message) {
            report(Diagnostic.Kind.WARNING, member, message);
        }

        /** On the member's value when it is written in the source, else on the {@code @Recurring}. */
        private void report(Diagnostic.Kind kind, String member, String message) {
            AnnotationValue value = member == null ? null : find(recurring.getElementValues(), member);
            if (value == null) {
                messager.printMessage(kind, message, job, recurring);
            } else {
                messager.printMessage(kind, message, job, recurring, value);
            }
        }
    }

    /**
     * Reads a JSON text that must be one object and returns its top-level keys; every nested value
     * is checked for syntax only. Throws IllegalArgumentException saying what is wrong and where.
     */
    static final class ObjectReader {
        private final String text;
        private int pos;

        ObjectReader(String text) {
            this.text = text;
        }

        Set<String> topLevelKeys() {
            skipSpace();
            if (pos >= text.length() || text.charAt(pos) != '{') {
                throw new IllegalArgumentException("it must start with '{'");
            }
            Set<String> keys = new LinkedHashSet<>();
            object(keys);
            skipSpace();
            if (pos < text.length()) {
                throw fail("unexpected text after the object");
            }
            return keys;
        }

        private void object(Set<String> keys) {
            pos++; // {
            skipSpace();
            if (peek() == '}') {
                pos++;
                return;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw fail("expected a quoted key");
                }
                String key = string();
                if (keys != null && !keys.add(key)) {
                    throw fail("the key \"" + key + "\" appears twice");
                }
                skipSpace();
                expect(':');
                value();
                skipSpace();
                char ch = peek();
                pos++;
                if (ch == '}') {
                    return;
                }
                if (ch != ',') {
                    pos--;
                    throw fail("expected ',' or '}'");
                }
            }
        }

        private void value() {
            skipSpace();
            char ch = peek();
            if (ch == '{') {
                object(null);
            } else if (ch == '[') {
                pos++;
                skipSpace();
                if (peek() == ']') {
                    pos++;
                    return;
                }
                while (true) {
                    value();
                    skipSpace();
                    char next = peek();
                    pos++;
                    if (next == ']') {
                        return;
                    }
                    if (next != ',') {
                        pos--;
                        throw fail("expected ',' or ']'");
                    }
                }
            } else if (ch == '"') {
                string();
            } else if (text.startsWith("true", pos)) {
                pos += 4;
            } else if (text.startsWith("false", pos)) {
                pos += 5;
            } else if (text.startsWith("null", pos)) {
                pos += 4;
            } else {
                int start = pos;
                while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                    pos++;
                }
                String number = text.substring(start, pos);
                if (!number.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
                    pos = start;
                    throw fail("expected a value");
                }
            }
        }

        private String string() {
            StringBuilder s = new StringBuilder();
            pos++; // "
            while (pos < text.length()) {
                char ch = text.charAt(pos++);
                if (ch == '"') {
                    return s.toString();
                }
                if (ch == '\\') {
                    if (pos >= text.length()) {
                        break;
                    }
                    char e = text.charAt(pos++);
                    switch (e) {
                        case '"', '\\', '/' -> s.append(e);
                        case 'b' -> s.append('\b');
                        case 'f' -> s.append('\f');
                        case 'n' -> s.append('\n');
                        case 'r' -> s.append('\r');
                        case 't' -> s.append('\t');
                        case 'u' -> {
                            if (pos + 4 > text.length()
                                    || !text.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
                                throw fail("bad \\u escape");
                            }
                            s.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                            pos += 4;
                        }
                        default -> {
                            pos--;
                            throw fail("bad escape \\" + e);
                        }
                    }
                } else if (ch < 0x20) {
                    pos--;
                    throw fail("a control character inside a string");
                } else {
                    s.append(ch);
                }
            }
            throw fail("a string is not closed");
        }

        private void expect(char ch) {
            if (peek() != ch) {
                throw fail("expected '" + ch + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private IllegalArgumentException fail(String what) {
            return new IllegalArgumentException(
                    what + (pos >= text.length() ? " at the end" : " at character " + (pos + 1)));
        }
    }
}
