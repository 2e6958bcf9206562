package dev.jobs.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.jobs.processor.Compiling.compile;
import static dev.jobs.processor.Compiling.job;
import static dev.jobs.processor.Compiling.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.testing.compile.Compilation;
import dev.jobs.InvalidParametersException;
import dev.jobs.JobHandler;
import dev.jobs.JobRegistration;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** A job's {@code validate()} method: found by the processor, called through the registration. */
class ValidateProcessorTest {

    private static JavaFileObject delayJob(String... validate) {
        String[] lines = new String[validate.length + 5];
        lines[0] = "@Job(name = \"delay\")";
        lines[1] = "public class DelayJob implements JobHandler<Void> {";
        lines[2] = "  @Param long delayMillis;";
        System.arraycopy(validate, 0, lines, 3, validate.length);
        lines[lines.length - 2] = "  public Void run(JobContext ctx) { return null; }";
        lines[lines.length - 1] = "}";
        return job("DelayJob", lines);
    }

    private static JobHandler<?> jobWithDelay(JobRegistration<JobHandler<?>> registration, long delay)
            throws ReflectiveOperationException {
        JobHandler<?> job = registration.newInstance();
        java.lang.reflect.Field field = job.getClass().getDeclaredField("delayMillis");
        field.setAccessible(true);
        field.setLong(job, delay);
        return job;
    }

    @Test
    void registrationCallsTheJobsValidateMethod() throws Exception {
        Compilation compilation = compile(delayJob(
                "  void validate() {",
                "    if (delayMillis < 0) throw new InvalidParametersException(\"delayMillis\", \"must be 0 or more\");",
                "  }"));
        assertThat(compilation).succeededWithoutWarnings();
        JobRegistration<JobHandler<?>> registration = registration(compilation, "DelayJob");

        assertThatThrownBy(() -> registration.validate(jobWithDelay(registration, -5)))
                .isInstanceOf(InvalidParametersException.class)
                .extracting(e -> ((InvalidParametersException) e).field())
                .isEqualTo("delayMillis");
        assertThatCode(() -> registration.validate(jobWithDelay(registration, 5)))
                .doesNotThrowAnyException();
    }

    @Test
    void registrationOfAJobWithoutValidateMethodAcceptsAnyJob() throws Exception {
        Compilation compilation = compile(delayJob());
        assertThat(compilation).succeededWithoutWarnings();
        JobRegistration<JobHandler<?>> registration = registration(compilation, "DelayJob");
        assertThatCode(() -> registration.validate(jobWithDelay(registration, -5)))
                .doesNotThrowAnyException();
        assertThat(compilation)
                .generatedSourceFile("test.DelayJob_JobRegistration")
                .contentsAsUtf8String()
                .doesNotContain("validate");
    }

    @Test
    void inheritedValidateMethodIsCalled() throws Exception {
        JavaFileObject base = job(
                "PositiveBase",
                "public abstract class PositiveBase implements JobHandler<Void> {",
                "  @Param int count;",
                "  protected void validate() {",
                "    if (count <= 0) throw new InvalidParametersException(\"count\", \"must be positive\");",
                "  }",
                "}");
        JavaFileObject child = job(
                "CountingJob",
                "@Job(name = \"counting\")",
                "public class CountingJob extends PositiveBase {",
                "  public Void run(JobContext ctx) { return null; }",
                "}");
        Compilation compilation = compile(base, child);
        assertThat(compilation).succeededWithoutWarnings();
        JobRegistration<JobHandler<?>> registration = registration(compilation, "CountingJob");
        assertThatThrownBy(() -> registration.validate(registration.newInstance()))
                .isInstanceOf(InvalidParametersException.class)
                .hasMessageContaining("must be positive");
    }

    @Test
    void validateWithParametersIsNotTheHook() {
        Compilation compilation = compile(delayJob("  boolean validate(String what) { return true; }"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation)
                .generatedSourceFile("test.DelayJob_JobRegistration")
                .contentsAsUtf8String()
                .doesNotContain("validate");
    }

    @Test
    void rejectsPrivateValidate() {
        JavaFileObject file = delayJob("  private void validate() {}");
        assertThat(compile(file))
                .hadErrorContaining("validate() of @Job class DelayJob is private")
                .inFile(file)
                .onLineContaining("private void validate()");
    }

    @Test
    void rejectsStaticValidate() {
        JavaFileObject file = delayJob("  static void validate() {}");
        assertThat(compile(file))
                .hadErrorContaining("validate() of @Job class DelayJob is static")
                .inFile(file)
                .onLineContaining("static void validate()");
    }

    @Test
    void rejectsValidateThatReturnsAValue() {
        JavaFileObject file = delayJob("  boolean validate() { return delayMillis >= 0; }");
        assertThat(compile(file))
                .hadErrorContaining("validate() of @Job class DelayJob returns boolean; it must return void")
                .inFile(file)
                .onLineContaining("boolean validate()");
    }

    @Test
    void rejectsValidateThatThrowsACheckedException() {
        JavaFileObject file = delayJob("  void validate() throws java.io.IOException {}");
        assertThat(compile(file))
                .hadErrorContaining("declares the checked exception IOException")
                .inFile(file)
                .onLineContaining("void validate() throws");
    }
}
