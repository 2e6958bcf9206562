package dev.jobs.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.jobs.processor.Compiling.compile;
import static dev.jobs.processor.Compiling.job;
import static dev.jobs.processor.Compiling.registration;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Recurring}: a schedule the runtime would refuse at startup is a compile error on the value at fault. */
class RecurringProcessorTest {

    private static final String DURATION_HINT = "write it like 500ms, 10s, 5m, 2h, 1d, 1h30m or in ISO-8601 (PT1M30S)";

    /**
     * A job {@code test.ScheduledJob} with a {@code String path} parameter (required) and an
     * {@code int count = 3} (optional), whose {@code @Recurring} has one member per line, the first
     * on line {@value #FIRST_MEMBER_LINE}.
     */
    private static JavaFileObject scheduledJob(String... members) {
        List<String> lines = new ArrayList<>();
        lines.add("@Job(name = \"scheduled\")");
        lines.add("@Recurring(");
        for (int i = 0; i < members.length; i++) {
            lines.add("    " + members[i] + (i < members.length - 1 ? "," : ""));
        }
        lines.add(")");
        lines.add("public class ScheduledJob implements JobHandler<Void> {");
        lines.add("  @Param String path;");
        lines.add("  @Param int count = 3;");
        lines.add("  public Void run(JobContext ctx) { return null; }");
        lines.add("}");
        return job("ScheduledJob", lines.toArray(String[]::new));
    }

    private static final int FIRST_MEMBER_LINE = 8;
    private static final String PATH = "parameters = \"{\\\"path\\\": \\\"/tmp\\\"}\"";

    private static void assertOneError(Compilation compilation, String message, int line) {
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining(message)
                .inFile(compilation.sourceFiles().get(0))
                .onLine(line);
    }

    private static void assertCronError(String cron, String message) {
        assertOneError(
                compile(scheduledJob("cron = \"" + cron + "\"", PATH)),
                "@Recurring cron \"" + cron + "\" is invalid: " + message,
                FIRST_MEMBER_LINE);
    }

    @Test
    void validCronScheduleCompilesWithoutWarningsAndRegisters() {
        Compilation compilation = compile(scheduledJob(
                "name = \"nightly\"",
                "cron = \"0 2 * * MON-FRI\"",
                "zone = \"Europe/Paris\"",
                "parameters = \"{\\\"path\\\": \\\"/tmp\\\", \\\"count\\\": 5}\"",
                "catchUp = CatchUp.ONCE",
                "overlap = Overlap.SKIP"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(registration(compilation, "ScheduledJob").name()).isEqualTo("scheduled");
    }

    @Test
    void validEveryScheduleCompilesWithoutWarnings() {
        assertThat(compile(scheduledJob("every = \"5m\"", PATH))).succeededWithoutWarnings();
        assertThat(compile(scheduledJob("every = \"PT1S\"", PATH))).succeededWithoutWarnings();
    }

    @Test
    void cronFormsThatLookRightAreAccepted() {
        for (String cron : List.of(
                "@daily",
                "@Hourly",
                "*/15 * * * *",
                "0 0 1,15 * *",
                "30 0-23/2 * JAN-JUN 1-5",
                "0 0 0 * * 7",
                "0-59/5 0 12 1 1 SUN",
                "  0 2 * * *  ")) {
            assertThat(compile(scheduledJob("cron = \"" + cron + "\"", PATH))).succeededWithoutWarnings();
        }
    }

    @Test
    void jobWithoutRecurringCompilesWithoutWarnings() {
        Compilation compilation = compile(job(
                "PlainJob",
                "@Job(name = \"plain\")",
                "public class PlainJob implements JobHandler<Void> {",
                "  @Param String path;",
                "  public Void run(JobContext ctx) { return null; }",
                "}"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void recurringWithoutJobIsReported() {
        Compilation compilation = compile(job("NotAJob", "@Recurring(every = \"1h\")", "public class NotAJob {", "}"));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Recurring needs @Job on the same class")
                .inFile(compilation.sourceFiles().get(0))
                .onLineContaining("@Recurring(every");
    }

    @Test
    void neitherCronNorEveryIsReportedOnTheAnnotation() {
        assertOneError(
                compile(scheduledJob(PATH)),
                "@Recurring gives neither cron nor every; give exactly one",
                FIRST_MEMBER_LINE - 1);
    }

    @Test
    void bothCronAndEveryAreReportedOnTheAnnotation() {
        assertOneError(
                compile(scheduledJob("cron = \"@daily\"", "every = \"1d\"", PATH)),
                "@Recurring gives both cron and every; give exactly one of them",
                FIRST_MEMBER_LINE - 1);
    }

    @Test
    void unreadableEveryIsReportedWithTheAllowedForms() {
        assertOneError(
                compile(scheduledJob(PATH, "every = \"5 minutes\"")),
                "@Recurring every \"5 minutes\" cannot be read: " + DURATION_HINT,
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void everyBelowOneSecondIsReported() {
        assertOneError(
                compile(scheduledJob("every = \"500ms\"", PATH)),
                "@Recurring every \"500ms\" is shorter than 1 second, the resolution of schedules; give at least 1s",
                FIRST_MEMBER_LINE);
    }

    @Test
    void unknownZoneIsReportedNamingIt() {
        assertOneError(
                compile(scheduledJob("cron = \"@daily\"", "zone = \"Mars/Olympus\"", PATH)),
                "@Recurring zone \"Mars/Olympus\" is not a time zone java.time.ZoneId knows",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void zoneWithEveryIsAWarningThatItIsIgnored() {
        Compilation compilation = compile(scheduledJob("every = \"1h\"", "zone = \"Europe/Paris\"", PATH));
        assertThat(compilation).succeeded();
        assertThat(compilation).hadWarningCount(1);
        assertThat(compilation)
                .hadWarningContaining("@Recurring zone \"Europe/Paris\" is ignored with every, which is a fixed rate")
                .inFile(compilation.sourceFiles().get(0))
                .onLine(FIRST_MEMBER_LINE + 1);
    }

    @Test
    void zoneUtcWrittenWithEveryIsNoWarning() {
        assertThat(compile(scheduledJob("every = \"1h\"", "zone = \"UTC\"", PATH)))
                .succeededWithoutWarnings();
    }

    @Test
    void cronWithTheWrongNumberOfFieldsIsReported() {
        assertCronError("0 2 * *", "it has 4 fields; write 5 (minute hour day-of-month month day-of-week)");
        assertCronError("0 0 2 * * * 2026", "it has 7 fields");
    }

    @Test
    void blankCronIsReported() {
        assertCronError("  ", "it is blank; write 5 fields");
    }

    @Test
    void unknownMacroIsReported() {
        assertCronError("@fortnightly", "unknown macro @fortnightly; use one of @yearly");
    }

    @Test
    void quartzQuestionMarkIsReportedAsQuartzSyntax() {
        assertCronError(
                "0 0 12 ? * MON",
                "the day of month field \"?\" uses '?', which is Quartz syntax; this library reads Unix cron syntax");
    }

    @Test
    void quartzLastDayAndHashAreReportedAsQuartzSyntax() {
        assertCronError(
                "0 0 L * *",
                "the day of month field \"L\" uses L or W, which are Quartz syntax; this library reads Unix cron syntax");
        assertCronError("0 0 15W * *", "the day of month field \"15W\" uses L or W, which are Quartz syntax");
        assertCronError("0 0 * * 5#3", "the day of week field \"5#3\" uses '#', which is Quartz syntax");
    }

    @Test
    void foreignCharacterIsReported() {
        assertCronError("0 2 * * *;", "the day of week field \"*;\" contains ';'");
    }

    @Test
    void numbersOutOfRangeAreReportedNamingTheField() {
        assertCronError("60 * * * *", "the minute field \"60\" has 60, outside 0-59");
        assertCronError("0 24 * * *", "the hour field \"24\" has 24, outside 0-23");
        assertCronError("0 0 0 * *", "the day of month field \"0\" has 0, outside 1-31");
        assertCronError("0 0 1 1-13 *", "the month field \"1-13\" has 13, outside 1-12");
        assertCronError("0 0 * * 8", "the day of week field \"8\" has 8, outside 0-7");
        assertCronError("61 0 0 * * *", "the second field \"61\" has 61, outside 0-59");
    }

    @Test
    void badRangesAndStepsAreReported() {
        assertCronError("30-10 * * * *", "the minute field \"30-10\" has the range 30-10, which goes backwards");
        assertCronError("*/0 * * * *", "the minute field \"*/0\" has the step \"0\"; a step is a number of at least 1");
        assertCronError("1,,2 * * * *", "the minute field \"1,,2\" has an empty list element");
    }

    @Test
    void parametersThatAreNotAJsonObjectAreReported() {
        assertOneError(
                compile(scheduledJob("cron = \"@daily\"", "parameters = \"[1, 2]\"")),
                "@Recurring parameters is not a JSON object: it must start with '{'",
                FIRST_MEMBER_LINE + 1);
        assertOneError(
                compile(scheduledJob("cron = \"@daily\"", "parameters = \"{\\\"path\\\": }\"")),
                "@Recurring parameters is not a JSON object: expected a value at character 10",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void unknownParameterNameIsReported() {
        assertOneError(
                compile(scheduledJob(
                        "cron = \"@daily\"", "parameters = \"{\\\"path\\\": \\\"/\\\", \\\"size\\\": 1}\"")),
                "@Recurring parameters names 'size', which is not a @Param of the job; its parameters are [path, count]",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void missingRequiredParameterIsReported() {
        assertOneError(
                compile(scheduledJob("cron = \"@daily\"", "parameters = \"{\\\"count\\\": 1}\"")),
                "@Recurring parameters lacks 'path', a required @Param of the job",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void missingRequiredParameterWithDefaultParametersIsReportedOnTheAnnotation() {
        assertOneError(
                compile(scheduledJob("cron = \"@daily\"")),
                "@Recurring parameters lacks 'path', a required @Param of the job",
                FIRST_MEMBER_LINE - 1);
    }

    @Test
    void blankNameIsReported() {
        assertOneError(
                compile(scheduledJob("name = \" \"", "cron = \"@daily\"", PATH)),
                "@Recurring name is blank; leave it out to use the job's name, or give a name",
                FIRST_MEMBER_LINE);
    }

    @Test
    void nameLongerThan200CharactersIsReported() {
        assertOneError(
                compile(scheduledJob("name = \"" + "n".repeat(201) + "\"", "cron = \"@daily\"", PATH)),
                "@Recurring name is 201 characters long; it must be at most 200",
                FIRST_MEMBER_LINE);
    }
}
