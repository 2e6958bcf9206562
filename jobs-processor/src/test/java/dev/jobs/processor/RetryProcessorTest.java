package dev.jobs.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.jobs.processor.Compiling.compile;
import static dev.jobs.processor.Compiling.job;
import static dev.jobs.processor.Compiling.registration;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** {@code @Job(retry = @Retry(...))}: a value the runtime could not use is a compile error on that value. */
class RetryProcessorTest {

    private static final String DURATION_HINT = "write it like 500ms, 10s, 5m, 2h, 1d, 1h30m or in ISO-8601 (PT1M30S)";

    /**
     * A job {@code test.RetryingJob} whose {@code @Retry} has one member per line, the first on line
     * {@value #FIRST_MEMBER_LINE} (after the five lines {@link Compiling#job} puts first). A line
     * ending in "{" or "," is continued on the next.
     */
    private static JavaFileObject retryJob(String... members) {
        List<String> lines = new ArrayList<>();
        lines.add("@Job(");
        lines.add("    name = \"retrying\",");
        lines.add("    retry = @Retry(");
        for (int i = 0; i < members.length; i++) {
            boolean open = members[i].endsWith("{") || members[i].endsWith(",");
            lines.add("        " + members[i] + (i < members.length - 1 && !open ? "," : ""));
        }
        lines.add("    ))");
        lines.add("public class RetryingJob implements JobHandler<Void> {");
        lines.add("  public Void run(JobContext ctx) { return null; }");
        lines.add("}");
        return job("RetryingJob", lines.toArray(String[]::new));
    }

    private static final int FIRST_MEMBER_LINE = 9;

    private static void assertOneError(Compilation compilation, String message, int line) {
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining(message)
                .inFile(compilation.sourceFiles().get(0))
                .onLine(line);
    }

    @Test
    void validRetryCompilesWithoutWarningsAndRegisters() {
        Compilation compilation = compile(retryJob(
                "maxAttempts = 5",
                "initialDelay = \"500ms\"",
                "maxDelay = \"1h30m\"",
                "multiplier = 1.0",
                "jitter = 1.0",
                "restart = true",
                "noRetryFor = {IllegalArgumentException.class, java.io.FileNotFoundException.class}",
                "retryOn = {java.io.IOException.class, IllegalStateException.class}"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(registration(compilation, "RetryingJob").name()).isEqualTo("retrying");
    }

    @Test
    void isoDurationsAndZeroDelaysAreAccepted() {
        Compilation compilation = compile(retryJob("initialDelay = \"PT0S\"", "maxDelay = \"pt1m30s\""));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void jobWithoutRetryStillCompiles() {
        Compilation compilation = compile(job(
                "PlainJob",
                "@Job(name = \"plain\")",
                "public class PlainJob implements JobHandler<Void> {",
                "  public Void run(JobContext ctx) { return null; }",
                "}"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void emptyRetryUsesTheDefaultsOfRetryAndCompiles() {
        Compilation compilation = compile(job(
                "DefaultRetryJob",
                "@Job(name = \"default_retry\", retry = @Retry)",
                "public class DefaultRetryJob implements JobHandler<Void> {",
                "  public Void run(JobContext ctx) { return null; }",
                "}"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void restartOnAJobThatIsNotResumableIsFine() {
        Compilation compilation = compile(job(
                "RestartJob",
                "@Job(name = \"restart\", resumable = false, retry = @Retry(restart = true))",
                "public class RestartJob implements JobHandler<Void> {",
                "  public Void run(JobContext ctx) { return null; }",
                "}"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void maxAttemptsBelowOneIsReportedOnTheValue() {
        assertOneError(
                compile(retryJob("initialDelay = \"1s\"", "maxAttempts = 0")),
                "@Retry maxAttempts is 0; it counts the first run too, so it must be at least 1 (1 means no retry)",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void unreadableInitialDelayIsReportedWithTheAllowedForms() {
        assertOneError(
                compile(retryJob("maxAttempts = 3", "initialDelay = \"5 minutes\"")),
                "@Retry initialDelay \"5 minutes\" cannot be read: " + DURATION_HINT,
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void unreadableMaxDelayIsReportedWithTheAllowedForms() {
        assertOneError(
                compile(retryJob("maxDelay = \"10\"")),
                "@Retry maxDelay \"10\" cannot be read: " + DURATION_HINT,
                FIRST_MEMBER_LINE);
    }

    @Test
    void durationTooLargeForADurationIsReportedNotThrown() {
        assertOneError(
                compile(retryJob("maxDelay = \"99999999999999999999d\"")),
                "@Retry maxDelay \"99999999999999999999d\" cannot be read: " + DURATION_HINT,
                FIRST_MEMBER_LINE);
    }

    @Test
    void negativeIsoDelayIsReported() {
        assertOneError(
                compile(retryJob("initialDelay = \"PT-1S\"")),
                "@Retry initialDelay \"PT-1S\" is negative; a delay must be zero or more",
                FIRST_MEMBER_LINE);
    }

    @Test
    void maxDelayShorterThanInitialDelayIsReportedOnMaxDelay() {
        assertOneError(
                compile(retryJob("initialDelay = \"1m\"", "maxDelay = \"30s\"")),
                "@Retry maxDelay \"30s\" is shorter than initialDelay \"1m\"; maxDelay caps every delay,"
                        + " so it must be at least as long as initialDelay",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void initialDelayLongerThanTheDefaultMaxDelayIsReportedOnInitialDelay() {
        assertOneError(
                compile(retryJob("maxAttempts = 2", "initialDelay = \"2h\"")),
                "@Retry maxDelay \"1h\" is shorter than initialDelay \"2h\"",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void multiplierBelowOneIsReported() {
        assertOneError(
                compile(retryJob("multiplier = 0.5")),
                "@Retry multiplier is 0.5; it must be a finite number of at least 1.0 (1.0 keeps every delay the same)",
                FIRST_MEMBER_LINE);
    }

    @Test
    void multiplierNaNIsReported() {
        assertOneError(
                compile(retryJob("jitter = 0.1", "multiplier = Double.NaN")),
                "@Retry multiplier is NaN; it must be a finite number of at least 1.0",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void infiniteMultiplierIsReported() {
        assertOneError(
                compile(retryJob("multiplier = Double.POSITIVE_INFINITY")),
                "@Retry multiplier is Infinity; it must be a finite number of at least 1.0",
                FIRST_MEMBER_LINE);
    }

    @Test
    void jitterAboveOneIsReported() {
        assertOneError(
                compile(retryJob("maxAttempts = 2", "jitter = 1.5")),
                "@Retry jitter is 1.5; it must be between 0.0 (exact delays) and 1.0",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void negativeJitterIsReported() {
        assertOneError(
                compile(retryJob("jitter = -0.1")),
                "@Retry jitter is -0.1; it must be between 0.0 (exact delays) and 1.0",
                FIRST_MEMBER_LINE);
    }

    @Test
    void sameTypeInNoRetryForAndRetryOnIsReportedOnTheRetryOnEntry() {
        assertOneError(
                compile(retryJob(
                        "noRetryFor = {IllegalStateException.class, java.io.IOException.class}",
                        "retryOn = {",
                        "    IllegalArgumentException.class,",
                        "    java.io.IOException.class}")),
                "@Retry lists java.io.IOException in both noRetryFor and retryOn; a noRetryFor type is never retried,"
                        + " so keep it in only one of them",
                FIRST_MEMBER_LINE + 3);
    }

    @Test
    void retryOnSubtypeOfANoRetryForTypeIsReported() {
        assertOneError(
                compile(retryJob(
                        "noRetryFor = java.io.IOException.class", "retryOn = java.io.FileNotFoundException.class")),
                "@Retry retryOn lists java.io.FileNotFoundException, a subtype of java.io.IOException in noRetryFor,"
                        + " so it is never retried",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void retryOnNarrowerThanNoRetryForIsFine() {
        Compilation compilation = compile(
                retryJob("retryOn = java.io.IOException.class", "noRetryFor = java.io.FileNotFoundException.class"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void nonRetryableExceptionInRetryOnIsReported() {
        assertOneError(
                compile(retryJob(
                        "maxAttempts = 4", "retryOn = {java.io.IOException.class, NonRetryableException.class}")),
                "@Retry retryOn lists dev.jobs.NonRetryableException which always ends the job at once and is never"
                        + " retried; remove it from retryOn",
                FIRST_MEMBER_LINE + 1);
    }

    @Test
    void subclassOfNonRetryableExceptionInRetryOnIsReported() {
        JavaFileObject gone = job(
                "GoneException",
                "public class GoneException extends NonRetryableException {",
                "  public GoneException(String m) { super(m); }",
                "}");
        Compilation compilation = compile(retryJob("retryOn = GoneException.class"), gone);
        assertOneError(
                compilation,
                "@Retry retryOn lists test.GoneException, a NonRetryableException, which always ends the job at once",
                FIRST_MEMBER_LINE);
    }

    @Test
    void everyBadValueIsReported() {
        Compilation compilation =
                compile(retryJob("maxAttempts = -1", "initialDelay = \"soon\"", "multiplier = 0.0", "jitter = 2.0"));
        JavaFileObject file = compilation.sourceFiles().get(0);
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(4);
        assertThat(compilation)
                .hadErrorContaining("maxAttempts is -1")
                .inFile(file)
                .onLine(FIRST_MEMBER_LINE);
        assertThat(compilation)
                .hadErrorContaining("initialDelay \"soon\"")
                .inFile(file)
                .onLine(FIRST_MEMBER_LINE + 1);
        assertThat(compilation)
                .hadErrorContaining("multiplier is 0.0")
                .inFile(file)
                .onLine(FIRST_MEMBER_LINE + 2);
        assertThat(compilation).hadErrorContaining("jitter is 2.0").inFile(file).onLine(FIRST_MEMBER_LINE + 3);
    }

    @Test
    void errorPointsAtTheValueColumn() {
        Compilation compilation = compile(retryJob("maxAttempts = 3", "jitter = 1.5"));
        assertThat(compilation)
                .hadErrorContaining("jitter is 1.5")
                .inFile(compilation.sourceFiles().get(0))
                .onLine(FIRST_MEMBER_LINE + 1)
                .atColumn("        jitter = ".length() + 1);
    }

    @Test
    void unknownExceptionTypeIsLeftToJavac() {
        Compilation compilation = compile(retryJob("retryOn = NoSuchException.class"));
        assertThat(compilation).failed();
        assertThat(compilation).hadErrorContaining("cannot find symbol");
        assertThat(compilation.errors())
                .extracting(d -> d.getMessage(null))
                .noneMatch(m -> m.contains("jobs-processor failed") || m.contains("@Retry"));
        assertThat(compilation.diagnostics()).noneMatch(d -> d.getKind() == Diagnostic.Kind.WARNING);
    }
}
