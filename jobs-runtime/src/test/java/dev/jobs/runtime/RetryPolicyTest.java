package dev.jobs.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.Job;
import dev.jobs.NonRetryableException;
import dev.jobs.Retry;
import dev.jobs.RetryPolicy;
import dev.jobs.runtime.testjobs.CountJob;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The arithmetic and the rules of {@link RetryPolicy}, without an engine. */
class RetryPolicyTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    /** 1 s, doubling, at most 10 s, spread by {@code jitter}. */
    private static RetryPolicy doubling(double jitter) {
        return RetryPolicy.attempts(10)
                .withBackoff(SECOND, Duration.ofSeconds(10), 2.0)
                .withJitter(jitter);
    }

    private static RetryPolicy policy(List<String> noRetryFor, List<String> retryOn) {
        return new RetryPolicy(3, SECOND, Duration.ofHours(1), 2.0, 0.2, false, noRetryFor, retryOn);
    }

    // ---- baseDelay

    @Test
    void baseDelayStartsAtInitialDelayAndGrowsByTheMultiplier() {
        RetryPolicy policy = RetryPolicy.attempts(10).withBackoff(Duration.ofMillis(100), Duration.ofHours(1), 3.0);
        assertThat(policy.baseDelay(2)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.baseDelay(3)).isEqualTo(Duration.ofMillis(300));
        assertThat(policy.baseDelay(4)).isEqualTo(Duration.ofMillis(900));
        assertThat(policy.baseDelay(5)).isEqualTo(Duration.ofMillis(2700));
    }

    @Test
    void baseDelayWithMultiplierOneIsTheSameForEveryAttempt() {
        RetryPolicy policy = RetryPolicy.attempts(10).withBackoff(Duration.ofSeconds(5), Duration.ofHours(1), 1.0);
        assertThat(policy.baseDelay(2)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.baseDelay(50)).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.baseDelay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void baseDelayIsCappedAtMaxDelay() {
        RetryPolicy policy = doubling(0.2);
        assertThat(policy.baseDelay(5)).isEqualTo(Duration.ofSeconds(8));
        assertThat(policy.baseDelay(6)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.baseDelay(7)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void baseDelayOfHugeAttemptNumbersIsMaxDelayWithoutOverflow() {
        RetryPolicy policy = RetryPolicy.attempts(10).withBackoff(SECOND, Duration.ofDays(365), 2.0);
        for (int attempt : new int[] {64, 65, 1_000, 100_000, Integer.MAX_VALUE}) {
            assertThat(policy.baseDelay(attempt)).as("attempt %d", attempt).isEqualTo(Duration.ofDays(365));
        }
    }

    @Test
    void aMaxDelayTooLongForMillisecondsDoesNotOverflow() {
        // before the fix baseDelay and delayBefore threw ArithmeticException from Duration.toMillis
        Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
        RetryPolicy policy = RetryPolicy.attempts(10).withBackoff(SECOND, forever, 2.0);
        assertThat(policy.baseDelay(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.baseDelay(Integer.MAX_VALUE)).isEqualTo(forever);
        assertThat(policy.delayBefore(Integer.MAX_VALUE, 0.5)).isEqualTo(Duration.ofMillis(Long.MAX_VALUE));
        RetryPolicy huge = RetryPolicy.attempts(10).withBackoff(forever, forever, 2.0);
        assertThat(huge.baseDelay(2)).isEqualTo(forever);
        assertThat(huge.delayBefore(2, 0.0)).isPositive();
    }

    @Test
    void baseDelayIsNeverMoreThanTheOneAfterIt() {
        RetryPolicy policy = RetryPolicy.attempts(10).withBackoff(Duration.ofMillis(7), Duration.ofDays(1), 1.7);
        for (int attempt = 2; attempt < 200; attempt++) {
            assertThat(policy.baseDelay(attempt))
                    .as("attempt %d", attempt)
                    .isLessThanOrEqualTo(policy.baseDelay(attempt + 1))
                    .isLessThanOrEqualTo(Duration.ofDays(1));
        }
    }

    @Test
    void baseDelayRejectsAttemptsBeforeTheFirstRetry() {
        assertThatThrownBy(() -> doubling(0).baseDelay(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the first retry is attempt 2");
    }

    // ---- delayBefore

    @Test
    void delayBeforeWithoutJitterIsExactlyTheBaseDelay() {
        RetryPolicy policy = doubling(0.0);
        for (double random : new double[] {0.0, 0.5, 0.999}) {
            assertThat(policy.delayBefore(2, random)).isEqualTo(SECOND);
            assertThat(policy.delayBefore(4, random)).isEqualTo(Duration.ofSeconds(4));
            assertThat(policy.delayBefore(40, random)).isEqualTo(Duration.ofSeconds(10));
        }
    }

    @Test
    void delayBeforeWithRandomOneHalfIsTheBaseDelay() {
        RetryPolicy policy = doubling(0.3);
        assertThat(policy.delayBefore(3, 0.5)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void delayBeforeSpansTheJitterBand() {
        RetryPolicy policy = doubling(0.2);
        assertThat(policy.delayBefore(3, 0.0)).isEqualTo(Duration.ofMillis(1600));
        assertThat(policy.delayBefore(3, 0.999)).isBetween(Duration.ofMillis(2390), Duration.ofMillis(2400));
    }

    @Test
    void delayBeforeStaysWithinTheJitterBandForEdgeRandomValues() {
        for (double jitter : new double[] {0.0, 0.2, 0.5, 1.0}) {
            RetryPolicy policy = doubling(jitter);
            for (int attempt = 2; attempt <= 12; attempt++) {
                for (double random : new double[] {0.0, 0.5, 0.999}) {
                    assertWithinBand(policy, attempt, random);
                }
            }
        }
    }

    @Test
    void delayBeforeStaysWithinTheJitterBandForManyRandomValues() {
        Random random = new Random(20_261_126L);
        for (int i = 0; i < 20_000; i++) {
            RetryPolicy policy = RetryPolicy.attempts(10)
                    .withBackoff(
                            Duration.ofMillis(random.nextInt(5_000)),
                            Duration.ofMillis(5_000 + random.nextInt(1_000_000)),
                            1.0 + random.nextDouble() * 3)
                    .withJitter(random.nextDouble());
            assertWithinBand(policy, 2 + random.nextInt(60), random.nextDouble());
        }
    }

    /** {@code base * (1 - jitter) <= delay <= min(maxDelay, base * (1 + jitter))}, to the millisecond. */
    private static void assertWithinBand(RetryPolicy policy, int attempt, double random) {
        double base = policy.baseDelay(attempt).toMillis();
        long low = (long) Math.floor(base * (1 - policy.jitter()));
        long high = Math.min(policy.maxDelay().toMillis(), (long) Math.ceil(base * (1 + policy.jitter())));
        assertThat(policy.delayBefore(attempt, random).toMillis())
                .as("%s attempt %d random %s", policy, attempt, random)
                .isBetween(low, high);
    }

    // ---- retries(Throwable)

    @Test
    void anOrdinaryFailureIsRetriedByDefault() {
        RetryPolicy policy = RetryPolicy.attempts(3);
        assertThat(policy.retries(new IOException("x"))).isTrue();
        assertThat(policy.retries(new IllegalStateException("x"))).isTrue();
        assertThat(policy.retries(new OutOfMemoryError("x"))).isTrue();
    }

    @Test
    void nonRetryableExceptionAndItsSubclassesAreNeverRetried() {
        RetryPolicy policy = RetryPolicy.attempts(3);
        assertThat(policy.retries(new NonRetryableException("gone"))).isFalse();
        assertThat(policy.retries(new GoneException())).isFalse();
    }

    @Test
    void nonRetryableExceptionIsNotRetriedEvenWhenRetryOnListsIt() {
        RetryPolicy policy = RetryPolicy.attempts(3).withRetryOn(NonRetryableException.class, IOException.class);
        assertThat(policy.retries(new NonRetryableException("gone"))).isFalse();
        assertThat(policy.retries(new GoneException())).isFalse();
        assertThat(policy.retries(new IOException("x"))).isTrue();
    }

    @Test
    void aNoRetryForTypeAndItsSubclassesAreNotRetried() {
        RetryPolicy policy = RetryPolicy.attempts(3).withNoRetryFor(IOException.class);
        assertThat(policy.retries(new IOException("x"))).isFalse();
        assertThat(policy.retries(new FileNotFoundException("x"))).isFalse();
        assertThat(policy.retries(new IllegalStateException("x"))).isTrue();
    }

    @Test
    void aNoRetryForInterfaceMatchesEveryExceptionImplementingIt() {
        RetryPolicy policy = policy(List.of(Permanent.class.getName()), List.of());
        assertThat(policy.retries(new PermanentFailure())).isFalse();
        assertThat(policy.retries(new SubPermanentFailure())).isFalse(); // through its superclass
        assertThat(policy.retries(new IllegalStateException("x"))).isTrue();
    }

    @Test
    void withRetryOnOnlyThoseTypesAndTheirSubclassesAreRetried() {
        RetryPolicy policy = RetryPolicy.attempts(3).withRetryOn(IOException.class, TimeoutException.class);
        assertThat(policy.retries(new IOException("x"))).isTrue();
        assertThat(policy.retries(new FileNotFoundException("x"))).isTrue();
        assertThat(policy.retries(new TimeoutException("x"))).isTrue();
        assertThat(policy.retries(new IllegalStateException("x"))).isFalse();
        assertThat(policy.retries(new Exception("x"))).isFalse();
    }

    @Test
    void aRetryOnInterfaceMatchesEveryExceptionImplementingIt() {
        RetryPolicy policy = policy(List.of(), List.of(Permanent.class.getName()));
        assertThat(policy.retries(new SubPermanentFailure())).isTrue();
        assertThat(policy.retries(new IllegalStateException("x"))).isFalse();
    }

    @Test
    void noRetryForWinsOverRetryOn() {
        RetryPolicy policy =
                RetryPolicy.attempts(3).withRetryOn(IOException.class).withNoRetryFor(FileNotFoundException.class);
        assertThat(policy.retries(new FileNotFoundException("x"))).isFalse();
        assertThat(policy.retries(new IOException("x"))).isTrue();
    }

    @Test
    void withNoRetryForAndWithRetryOnAddToTheListsByName() {
        RetryPolicy policy = RetryPolicy.attempts(3)
                .withNoRetryFor(IllegalArgumentException.class)
                .withNoRetryFor(FileNotFoundException.class)
                .withRetryOn(IOException.class);
        assertThat(policy.noRetryFor())
                .containsExactly("java.lang.IllegalArgumentException", "java.io.FileNotFoundException");
        assertThat(policy.retryOn()).containsExactly("java.io.IOException");
    }

    @Test
    void withNoRetryForRejectsAClassThatIsNotAThrowable() {
        assertThatThrownBy(() -> RetryPolicy.attempts(3).withNoRetryFor(IOException.class, String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("java.lang.String is not an exception type");
    }

    @Test
    void withRetryOnRejectsAClassThatIsNotAThrowable() {
        assertThatThrownBy(() -> RetryPolicy.attempts(3).withRetryOn(Object.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("java.lang.Object is not an exception type");
    }

    // ---- parseDuration

    @Test
    void parseDurationReadsTheShortForms() {
        assertThat(RetryPolicy.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(RetryPolicy.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(RetryPolicy.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(RetryPolicy.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(RetryPolicy.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(RetryPolicy.parseDuration("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void parseDurationReadsASumOfShortForms() {
        assertThat(RetryPolicy.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(RetryPolicy.parseDuration("1m500ms")).isEqualTo(Duration.ofMillis(60_500));
    }

    @Test
    void parseDurationReadsIso8601InEitherCase() {
        assertThat(RetryPolicy.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(RetryPolicy.parseDuration("pt10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(RetryPolicy.parseDuration("P1D")).isEqualTo(Duration.ofDays(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 minutes", "1x", "-1s", "1.5s", "10S", "P", "PTxS", "1h 30m"})
    void parseDurationRejectsTextItCannotReadQuotingIt(String text) {
        assertThatThrownBy(() -> RetryPolicy.parseDuration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot read the duration \"" + text
                        + "\": write it like 500ms, 10s, 5m, 2h, 1d, 1h30m or in ISO-8601 (PT1M30S)");
    }

    @Test
    void parseDurationRejectsNull() {
        assertThatThrownBy(() -> RetryPolicy.parseDuration(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read the duration \"null\": write it like 500ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "999999999999999d", "9223372036854775807s1s"})
    void parseDurationRejectsANumberTooLargeForADurationWithItsMessage(String text) {
        // before the fix these escaped as NumberFormatException ("For input string") or ArithmeticException
        assertThatThrownBy(() -> RetryPolicy.parseDuration(text))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot read the duration \"" + text + "\"");
    }

    // ---- the canonical constructor

    @Test
    void constructorRejectsZeroAttempts() {
        assertThatThrownBy(() -> RetryPolicy.attempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttempts must be at least 1")
                .hasMessageEndingWith(": 0");
    }

    @Test
    void constructorRejectsANegativeInitialDelay() {
        assertThatThrownBy(() -> new RetryPolicy(
                        3, Duration.ofSeconds(-1), Duration.ofHours(1), 2.0, 0.2, false, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative")
                .hasMessageContaining("initialDelay PT-1S");
    }

    @Test
    void constructorRejectsANegativeMaxDelay() {
        assertThatThrownBy(() -> new RetryPolicy(
                        3, Duration.ZERO, Duration.ofSeconds(-5), 2.0, 0.2, false, List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative")
                .hasMessageContaining("maxDelay PT-5S");
    }

    @Test
    void constructorRejectsMaxDelayShorterThanInitialDelay() {
        assertThatThrownBy(() -> RetryPolicy.attempts(3).withBackoff(Duration.ofMinutes(1), SECOND, 2.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDelay (PT1S) must not be shorter than initialDelay (PT1M)");
    }

    @Test
    void constructorRejectsAMultiplierBelowOne() {
        assertThatThrownBy(() -> RetryPolicy.attempts(3).withBackoff(SECOND, Duration.ofHours(1), 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("multiplier must be a number of at least 1.0: 0.5");
    }

    @Test
    void constructorRejectsANaNOrInfiniteMultiplier() {
        assertThatThrownBy(() -> RetryPolicy.attempts(3).withBackoff(SECOND, Duration.ofHours(1), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("multiplier must be a number of at least 1.0: NaN");
        assertThatThrownBy(() ->
                        RetryPolicy.attempts(3).withBackoff(SECOND, Duration.ofHours(1), Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiplier");
    }

    @Test
    void constructorRejectsJitterOutsideZeroToOne() {
        assertThatThrownBy(() -> RetryPolicy.attempts(3).withJitter(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be between 0.0 and 1.0: 1.5");
        assertThatThrownBy(() -> RetryPolicy.attempts(3).withJitter(-0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetryPolicy.attempts(3).withJitter(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jitter");
    }

    @Test
    void constructorAcceptsTheEdgesOfEachRange() {
        RetryPolicy policy = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0, 1.0, false, List.of(), List.of());
        assertThat(policy.delayBefore(2, 0.999)).isEqualTo(Duration.ZERO);
        assertThat(RetryPolicy.attempts(3).withJitter(0.0).jitter()).isZero();
    }

    @Test
    void constructorCopiesTheTypeLists() {
        List<String> names = new java.util.ArrayList<>(List.of("java.io.IOException"));
        RetryPolicy policy = policy(names, List.of());
        names.add("java.lang.Error");
        assertThat(policy.noRetryFor()).containsExactly("java.io.IOException");
        assertThatThrownBy(() -> policy.noRetryFor().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    // ---- of(annotation), none(), attempts(n)

    /**
     * A job class annotated with every member of {@code @Retry}, compiled here without the
     * annotation processor: a {@code @Job} in this (exported) package would give its generated
     * registration module warnings, which fail the build, and would join the ServiceLoader
     * registrations other tests list.
     */
    private static Class<?> compileAnnotatedJob(Path dir) throws Exception {
        Path source = dir.resolve("test/AnnotatedJob.java");
        Files.createDirectories(source.getParent());
        Files.writeString(
                source,
                String.join(
                        "\n",
                        "package test;",
                        "import dev.jobs.*;",
                        "@Job(name = \"test.retry_policy_members\", retry = @Retry(",
                        "    maxAttempts = 7, initialDelay = \"250ms\", maxDelay = \"2m\", multiplier = 3.0,",
                        "    jitter = 0.5, restart = true,",
                        "    noRetryFor = {IllegalArgumentException.class, java.io.FileNotFoundException.class},",
                        "    retryOn = {java.io.IOException.class, java.util.concurrent.TimeoutException.class}))",
                        "public class AnnotatedJob implements JobHandler<Void> {",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String api = Path.of(Retry.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .toString();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(
                null, errors, errors, "-proc:none", "-classpath", api, "-d", dir.toString(), source.toString());
        assertThat(status).as("javac: %s", errors).isZero();
        URLClassLoader loader =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, RetryPolicyTest.class.getClassLoader());
        return Class.forName("test.AnnotatedJob", true, loader);
    }

    @Test
    void ofReadsEveryMemberOfTheAnnotation(@TempDir Path dir) throws Exception {
        RetryPolicy policy =
                RetryPolicy.of(compileAnnotatedJob(dir).getAnnotation(Job.class).retry());
        assertThat(policy)
                .isEqualTo(new RetryPolicy(
                        7,
                        Duration.ofMillis(250),
                        Duration.ofMinutes(2),
                        3.0,
                        0.5,
                        true,
                        List.of("java.lang.IllegalArgumentException", "java.io.FileNotFoundException"),
                        List.of("java.io.IOException", "java.util.concurrent.TimeoutException")));
    }

    @Test
    void ofTheDefaultRetryOfJobIsNone() {
        RetryPolicy policy =
                RetryPolicy.of(CountJob.class.getAnnotation(Job.class).retry());
        assertThat(policy).isEqualTo(RetryPolicy.none());
    }

    @Test
    void noneDoesNotRetry() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.none().retries()).isFalse();
    }

    @Test
    void attemptsAboveOneRetryWithTheDefaultsOfRetry() {
        RetryPolicy policy = RetryPolicy.attempts(3);
        assertThat(policy.retries()).isTrue();
        assertThat(policy.maxAttempts()).isEqualTo(3);
        assertThat(policy.initialDelay()).isEqualTo(SECOND);
        assertThat(policy.maxDelay()).isEqualTo(Duration.ofHours(1));
        assertThat(policy.multiplier()).isEqualTo(2.0);
        assertThat(policy.jitter()).isEqualTo(0.2);
        assertThat(policy.restart()).isFalse();
        assertThat(RetryPolicy.attempts(1).retries()).isFalse();
    }

    @Test
    void withRestartKeepsEverythingElse() {
        RetryPolicy policy = doubling(0.1).withRestart();
        assertThat(policy.restart()).isTrue();
        assertThat(policy.withRestart()).isEqualTo(policy);
        assertThat(policy.maxDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.jitter()).isEqualTo(0.1);
    }

    interface Permanent {}

    static class PermanentFailure extends RuntimeException implements Permanent {
        private static final long serialVersionUID = 1L;
    }

    static class SubPermanentFailure extends PermanentFailure {
        private static final long serialVersionUID = 1L;
    }

    static class GoneException extends NonRetryableException {
        private static final long serialVersionUID = 1L;

        GoneException() {
            super("gone");
        }
    }
}
