package dev.jobs.runtime.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed cron expression and the rule that turns its local times into instants in a zone.
 *
 * <p>Accepted forms: Unix 5 fields ({@code minute hour day-of-month month day-of-week}), the same
 * with a seconds field first (6 fields), and the macros {@code @yearly @annually @monthly @weekly
 * @daily @midnight @hourly}. Day-of-week 0 and 7 are both Sunday; month and day names ({@code
 * JAN}, {@code MON-FRI}) are accepted. As in Vixie cron, when both day-of-month and day-of-week are
 * restricted a day matching either one matches.
 *
 * <p>cron-utils computes the matching <em>local</em> times (it is asked in UTC, which has no
 * daylight-saving transitions); this class maps them to instants, because cron-utils' own
 * zone handling skips a whole day when the local time falls in a spring-forward gap. The rule (that
 * of Vixie cron):
 *
 * <ul>
 *   <li>When the hour field is {@code *}, ticks follow real time: a local time in a gap does not
 *       exist and is not run (the hour it would have run in did not happen), and a local time that
 *       happens twice runs twice (they are two different real hours).
 *   <li>Otherwise the expression names wall-clock times: a local time in a gap runs once at the
 *       end of the gap (the first instant at or after it, e.g. 03:00 for 02:30 on a day clocks go
 *       from 02:00 to 03:00), and a local time that happens twice runs once, at its first
 *       occurrence.
 * </ul>
 */
public final class CronRule {

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private static final CronParser FIVE = new CronParser(definition(false));
    private static final CronParser SIX = new CronParser(definition(true));

    /** Any valid expression matches a date within this many years of the probe (Feb 29 needs 8). */
    private static final LocalDateTime PROBE = LocalDateTime.of(2000, 1, 1, 0, 0);

    private final String expression;
    private final ExecutionTime executionTime;
    private final boolean realTime;

    private CronRule(String expression, Cron cron) {
        this.expression = expression;
        this.executionTime = ExecutionTime.forCron(cron);
        this.realTime = cron.retrieve(CronFieldName.HOUR).getExpression() instanceof Always;
    }

    private static CronDefinition definition(boolean seconds) {
        CronDefinitionBuilder builder = CronDefinitionBuilder.defineCron();
        if (seconds) {
            builder = builder.withSeconds().withStrictRange().and();
        }
        return builder.withMinutes()
                .withStrictRange()
                .and()
                .withHours()
                .withStrictRange()
                .and()
                .withDayOfMonth()
                .withStrictRange()
                .and()
                .withMonth()
                .withStrictRange()
                .and()
                .withDayOfWeek()
                .withValidRange(0, 7)
                .withMondayDoWValue(1)
                .withIntMapping(7, 0)
                .withStrictRange()
                .and()
                .instance();
    }

    /**
     * The expression with runs of white space collapsed to one space and surrounding space removed:
     * the form {@link dev.jobs.runtime.Schedule} keeps.
     */
    public static String normalize(String expression) {
        return expression.strip().replaceAll("\\s+", " ");
    }

    /**
     * Parses an expression (see the class comment for the forms).
     *
     * @throws IllegalArgumentException naming the expression and what is wrong with it
     */
    public static CronRule parse(String expression) {
        if (expression == null) {
            throw new IllegalArgumentException("cron expression is null");
        }
        CronRule known = PARSED.get(expression);
        if (known != null) {
            return known; // a ticker reads the same few expressions over and over
        }
        CronRule rule = parseNew(expression);
        if (PARSED.size() < 10_000) {
            PARSED.put(expression, rule);
        }
        return rule;
    }

    /** Rules already parsed, by expression: a rule is immutable and parsing one costs far more than a tick. */
    private static final Map<String, CronRule> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    private static CronRule parseNew(String expression) {
        String text = normalize(expression);
        if (text.isEmpty()) {
            throw new IllegalArgumentException("cron expression '' is empty: expected 5 fields (minute hour"
                    + " day-of-month month day-of-week), 6 fields (seconds first) or a macro such as @daily");
        }
        String fields = text;
        if (text.startsWith("@")) {
            fields = MACROS.get(text.toLowerCase(Locale.ROOT));
            if (fields == null) {
                throw new IllegalArgumentException("cron expression '" + expression
                        + "' is not a known macro: expected one of @yearly @annually @monthly @weekly @daily"
                        + " @midnight @hourly");
            }
        }
        int count = fields.split(" ").length;
        if (count != 5 && count != 6) {
            throw new IllegalArgumentException("cron expression '" + expression + "' has " + count
                    + " field" + (count == 1 ? "" : "s") + ": expected 5 (minute hour day-of-month month"
                    + " day-of-week) or 6 (seconds first)");
        }
        Cron cron;
        try {
            cron = (count == 5 ? FIVE : SIX).parse(fields);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cron expression '" + expression + "' is invalid: " + clean(e.getMessage()), e);
        }
        CronRule rule = new CronRule(text, cron);
        if (rule.nextLocal(PROBE).isEmpty()) {
            throw new IllegalArgumentException(
                    "cron expression '" + expression + "' never matches a date (such as 30 February)");
        }
        return rule;
    }

    private static String clean(String message) {
        if (message == null) {
            return "unreadable";
        }
        return message.replace("Failed to parse cron expression. ", "");
    }

    /** The expression as given, white space normalised (macros are kept as written). */
    public String expression() {
        return expression;
    }

    /** Whether ticks follow real time across transitions (the hour field is {@code *}). */
    boolean followsRealTime() {
        return realTime;
    }

    private Optional<LocalDateTime> nextLocal(LocalDateTime after) {
        return executionTime.nextExecution(after.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }

    /**
     * The first tick strictly after {@code after} in {@code zone}, or null if the expression never
     * matches again (cron-utils gives up past its supported years).
     */
    public Instant next(ZoneId zone, Instant after) {
        ZoneRules rules = zone.getRules();
        // the cron fields have a resolution of one second: a tick at or before the whole second of
        // `after` is not after it
        Instant floor = after.truncatedTo(ChronoUnit.SECONDS);
        LocalDateTime local = LocalDateTime.ofInstant(floor, zone);
        ZoneOffsetTransition inOverlap = rules.getTransition(local);
        if (inOverlap != null && inOverlap.isOverlap()) {
            // `after` lies in a repeated local hour: instants after it may have local times earlier
            // than its own (its second pass), so look from the start of the repeated range
            local = inOverlap.getDateTimeAfter().minusSeconds(1);
        }
        while (true) {
            Optional<LocalDateTime> match = nextLocal(local);
            if (match.isEmpty()) {
                return null;
            }
            local = match.get();
            List<ZoneOffset> offsets = rules.getValidOffsets(local);
            if (offsets.isEmpty()) {
                if (realTime) {
                    continue;
                }
                Instant gapEnd = rules.getTransition(local).getInstant();
                if (gapEnd.isAfter(after)) {
                    return gapEnd;
                }
                continue;
            }
            Instant first = local.toInstant(offsets.get(0));
            Instant second = offsets.size() == 2 ? local.toInstant(offsets.get(1)) : first;
            Instant earlier = first.isBefore(second) ? first : second;
            Instant later = first.isBefore(second) ? second : first;
            if (earlier.isAfter(after)) {
                return earlier;
            }
            if (realTime && later.isAfter(after)) {
                return later;
            }
        }
    }

    @Override
    public String toString() {
        return expression;
    }
}
