package dev.jobs.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.jobs.JobHandler;
import dev.jobs.JobRegistration;
import java.io.IOException;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

class JobProcessorTest {

    private static Compilation compile(JavaFileObject... sources) {
        return javac().withProcessors(new JobProcessor()).compile(sources);
    }

    private static JavaFileObject source(String name, String... lines) {
        return JavaFileObjects.forSourceLines(name, lines);
    }

    private static final JavaFileObject VALID = source(
            "test.CopyJob",
            "package test;",
            "import dev.jobs.*;",
            "import java.nio.file.Path;",
            "import java.util.*;",
            "@Job(name = \"copy\", description = \"Copies things\", version = 3, resumable = false)",
            "public class CopyJob implements JobHandler<CopyJob.Result> {",
            "  public enum Mode { FAST, SAFE }",
            "  public record Options(boolean verify, int retries) {}",
            "  public record Result(long bytes) {}",
            "  @Param(description = \"what to copy\") List<Path> sources;",
            "  @Param Path destination;",
            "  @Param(required = false) Mode mode;",
            "  @Param Options options = new Options(false, 1);",
            "  @Param Map<String, Double> weights = Map.of();",
            "  @Param int retries = 3;",
            "  long count; int next; boolean done; double ratio; String label;",
            "  transient Object cache;",
            "  static int ignored;",
            "  CopyJob() {}",
            "  public Result run(JobContext ctx) { return new Result(count); }",
            "}");

    @Test
    void generatesRegistrationForValidJob() {
        Compilation compilation = compile(VALID);
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(compilation)
                .generatedSourceFile("test.CopyJob_JobRegistration")
                .contentsAsUtf8String()
                .contains("return new CopyJob();");
    }

    @Test
    void listsEveryRegistrationInServicesFile() throws IOException {
        Compilation compilation = compile(
                VALID,
                source(
                        "test.Other",
                        "package test;",
                        "import dev.jobs.*;",
                        "public class Other {",
                        "  @Job(name = \"nested.job\")",
                        "  static class Inner implements JobHandler<String> {",
                        "    public String run(JobContext ctx) { return \"\"; }",
                        "  }",
                        "}"));
        assertThat(compilation).succeeded();
        String services = compilation
                .generatedFile(StandardLocation.CLASS_OUTPUT, "META-INF/services/dev.jobs.JobRegistration")
                .orElseThrow()
                .getCharContent(true)
                .toString();
        assertThat(services.lines())
                .containsExactlyInAnyOrder("test.CopyJob_JobRegistration", "test.Other_Inner_JobRegistration");
    }

    @Test
    void registrationCreatesJobAndReportsMetadataAndSchema() throws Exception {
        Compilation compilation = compile(VALID);
        assertThat(compilation).succeeded();
        ClassLoader loader = new InMemoryClassLoader(compilation);
        JobRegistration<?> registration = (JobRegistration<?>) loader.loadClass("test.CopyJob_JobRegistration")
                .getConstructor()
                .newInstance();

        assertThat(registration.name()).isEqualTo("copy");
        assertThat(registration.description()).isEqualTo("Copies things");
        assertThat(registration.version()).isEqualTo(3);
        assertThat(registration.resumable()).isFalse();
        assertThat(registration.jobType().getName()).isEqualTo("test.CopyJob");
        assertThat(registration.outputType().getName()).isEqualTo("test.CopyJob$Result");
        JobHandler<?> job = registration.newInstance();
        assertThat(job.getClass().getName()).isEqualTo("test.CopyJob");
        assertThat(registration.parameterSchema())
                .isEqualTo("{"
                        + "\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"copy\",\"description\":\"Copies things\","
                        + "\"type\":\"object\",\"properties\":{"
                        + "\"sources\":{\"description\":\"what to copy\",\"type\":\"array\",\"items\":{\"type\":\"string\",\"format\":\"path\"}},"
                        + "\"destination\":{\"type\":\"string\",\"format\":\"path\"},"
                        + "\"mode\":{\"type\":\"string\",\"enum\":[\"FAST\",\"SAFE\"]},"
                        + "\"options\":{\"type\":\"object\",\"properties\":{\"verify\":{\"type\":\"boolean\"},"
                        + "\"retries\":{\"type\":\"integer\",\"minimum\":-2147483648,\"maximum\":2147483647}},"
                        + "\"required\":[],\"additionalProperties\":false},"
                        + "\"weights\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"number\"},\"default\":{}},"
                        + "\"retries\":{\"type\":\"integer\",\"minimum\":-2147483648,\"maximum\":2147483647,\"default\":3}},"
                        + "\"required\":[\"sources\",\"destination\"],\"additionalProperties\":false}");
    }

    @Test
    void schemaStopsAtRecursiveTypes() throws Exception {
        Compilation compilation = compile(source(
                "test.TreeJob",
                "package test;",
                "import dev.jobs.*;",
                "import java.util.List;",
                "@Job(name = \"tree\")",
                "public class TreeJob implements JobHandler<Void> {",
                "  static class Node { String name; List<Node> children; }",
                "  @Param Node root;",
                "  public Void run(JobContext ctx) { return null; }",
                "}"));
        assertThat(compilation).succeeded();
        JobRegistration<?> registration = (JobRegistration<?>) new InMemoryClassLoader(compilation)
                .loadClass("test.TreeJob_JobRegistration")
                .getConstructor()
                .newInstance();
        assertThat(registration.parameterSchema())
                .contains(
                        "\"root\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"children\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}}},\"required\":[],\"additionalProperties\":false}");
    }

    @Test
    void rejectsClassNotImplementingJobHandler() {
        Compilation compilation = compile(source(
                "test.NotHandler",
                "package test;",
                "import dev.jobs.*;",
                "@Job(name = \"x\")",
                "public class NotHandler {",
                "}"));
        assertThat(compilation)
                .hadErrorContaining("does not implement dev.jobs.JobHandler")
                .inFile(compilation.sourceFiles().get(0))
                .onLineContaining("public class NotHandler");
    }

    @Test
    void rejectsANegativeMaxConcurrent() {
        JavaFileObject file = source(
                "test.LimitJob",
                "package test;",
                "import dev.jobs.*;",
                "@Job(name = \"x\", maxConcurrent = -1)",
                "public class LimitJob implements JobHandler<String> {",
                "    public String run(JobContext ctx) { return \"\"; }",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("@Job maxConcurrent must be 0 (no limit) or more, was -1")
                .inFile(file)
                .onLineContaining("maxConcurrent = -1");
    }

    @Test
    void rejectsAbstractClass() {
        JavaFileObject file = source(
                "test.AbstractJob",
                "package test;",
                "import dev.jobs.*;",
                "@Job(name = \"x\")",
                "public abstract class AbstractJob implements JobHandler<String> {",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("is abstract")
                .inFile(file)
                .onLineContaining("abstract class AbstractJob");
    }

    @Test
    void rejectsInterface() {
        JavaFileObject file = source(
                "test.IfaceJob",
                "package test;",
                "import dev.jobs.*;",
                "@Job(name = \"x\")",
                "public interface IfaceJob extends JobHandler<String> {",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("cannot be used on an interface")
                .inFile(file)
                .onLineContaining("interface IfaceJob");
    }

    @Test
    void rejectsInnerClass() {
        JavaFileObject file = source(
                "test.Outer",
                "package test;",
                "import dev.jobs.*;",
                "public class Outer {",
                "  @Job(name = \"x\")",
                "  class InnerJob implements JobHandler<String> {",
                "    public String run(JobContext ctx) { return \"\"; }",
                "  }",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("inner (non-static) class; declare it static")
                .inFile(file)
                .onLineContaining("class InnerJob");
    }

    @Test
    void rejectsClassWithoutNoArgConstructor() {
        JavaFileObject file = source(
                "test.CtorJob",
                "package test;",
                "import dev.jobs.*;",
                "@Job(name = \"x\")",
                "public class CtorJob implements JobHandler<String> {",
                "  private CtorJob() {}",
                "  public CtorJob(String s) {}",
                "  public String run(JobContext ctx) { return \"\"; }",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("add a no-argument constructor that is not private")
                .inFile(file)
                .onLineContaining("public class CtorJob");
    }

    @Test
    void rejectsEmptyName() {
        JavaFileObject file = source(
                "test.EmptyName",
                "package test;",
                "import dev.jobs.*;",
                "@Job(name = \"\")",
                "public class EmptyName implements JobHandler<String> {",
                "  public String run(JobContext ctx) { return \"\"; }",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("@Job name is empty")
                .inFile(file)
                .onLineContaining("@Job(name = \"\")");
    }

    @Test
    void rejectsMalformedNameAndSuggestsOne() {
        JavaFileObject file = source(
                "test.BadName",
                "package test;",
                "import dev.jobs.*;",
                "@Job(name = \"FileCopy\")",
                "public class BadName implements JobHandler<String> {",
                "  public String run(JobContext ctx) { return \"\"; }",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("@Job name 'FileCopy' is malformed")
                .inFile(file)
                .onLineContaining("@Job(name = \"FileCopy\")");
        assertThat(compile(file)).hadErrorContaining("\"file_copy\"");
    }

    @Test
    void rejectsTwoJobsWithOneName() {
        JavaFileObject first = source(
                "test.First",
                "package test;",
                "import dev.jobs.*;",
                "@Job(name = \"same\")",
                "public class First implements JobHandler<String> {",
                "  public String run(JobContext ctx) { return \"\"; }",
                "}");
        JavaFileObject second = source(
                "test.Second",
                "package test;",
                "import dev.jobs.*;",
                "@Job(name = \"same\")",
                "public class Second implements JobHandler<String> {",
                "  public String run(JobContext ctx) { return \"\"; }",
                "}");
        Compilation compilation = compile(first, second);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("duplicate job name 'same': test.First already uses it")
                .inFile(second)
                .onLineContaining("@Job(name = \"same\")");
    }

    @Test
    void rejectsPrivateClass() {
        JavaFileObject file = source(
                "test.Holder",
                "package test;",
                "import dev.jobs.*;",
                "public class Holder {",
                "  @Job(name = \"x\")",
                "  private static class Hidden implements JobHandler<String> {",
                "    public String run(JobContext ctx) { return \"\"; }",
                "  }",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("is private")
                .inFile(file)
                .onLineContaining("private static class Hidden");
    }

    @Test
    void reportsOnlyTheInvalidJobWhenOthersAreValid() {
        JavaFileObject bad = source(
                "test.Bad",
                "package test;",
                "import dev.jobs.*;",
                "@Job(name = \"Bad Name\")",
                "public class Bad implements JobHandler<String> {",
                "  public String run(JobContext ctx) { return \"\"; }",
                "}");
        Compilation compilation = compile(bad, VALID);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("'Bad Name' is malformed")
                .inFile(bad)
                .onLineContaining("@Job(name = \"Bad Name\")");
    }
}
