package dev.jobs.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.jobs.processor.Compiling.compile;
import static dev.jobs.processor.Compiling.job;
import static dev.jobs.processor.Compiling.registration;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Which fields are parameters, which are required, their defaults, and the errors for misplaced {@code @Param}. */
class ParamProcessorTest {

    private static String schema(JavaFileObject file, String simpleName) {
        Compilation compilation = compile(file);
        assertThat(compilation).succeededWithoutWarnings();
        return registration(compilation, simpleName).parameterSchema();
    }

    private static final String INT = "\"type\":\"integer\",\"minimum\":-2147483648,\"maximum\":2147483647";

    @Test
    void schemaListsOnlyParamFields() {
        String schema = schema(
                job(
                        "StateJob",
                        "@Job(name = \"state\")",
                        "public class StateJob implements JobHandler<Void> {",
                        "  @Param String input;",
                        "  int next;",
                        "  List<String> done = new ArrayList<>();",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "StateJob");
        assertThat(schema)
                .contains("\"properties\":{\"input\":{\"type\":\"string\"}},\"required\":[\"input\"]")
                .doesNotContain("next")
                .doesNotContain("done");
    }

    @Test
    void paramWithoutInitializerIsRequired() {
        String schema = schema(
                job(
                        "RequiredJob",
                        "@Job(name = \"required\")",
                        "public class RequiredJob implements JobHandler<Void> {",
                        "  @Param int count;",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "RequiredJob");
        assertThat(schema).contains("\"count\":{" + INT + "}},\"required\":[\"count\"]");
    }

    @Test
    void paramWithInitializerIsOptionalAndShowsItsDefault() {
        String schema = schema(
                job(
                        "DefaultJob",
                        "@Job(name = \"default\")",
                        "public class DefaultJob implements JobHandler<Void> {",
                        "  @Param int size = 256;",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "DefaultJob");
        assertThat(schema).contains("\"size\":{" + INT + ",\"default\":256}},\"required\":[]");
    }

    @Test
    void requiredTrueMakesFieldWithInitializerRequired() {
        String schema = schema(
                job(
                        "ForcedJob",
                        "@Job(name = \"forced\")",
                        "public class ForcedJob implements JobHandler<Void> {",
                        "  @Param(required = true) List<String> names = new ArrayList<>();",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "ForcedJob");
        assertThat(schema).contains("\"required\":[\"names\"]").doesNotContain("default");
    }

    @Test
    void requiredFalseMakesFieldWithoutInitializerOptional() {
        String schema = schema(
                job(
                        "LooseJob",
                        "@Job(name = \"loose\")",
                        "public class LooseJob implements JobHandler<Void> {",
                        "  @Param(required = false) Path log;",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "LooseJob");
        assertThat(schema).contains("\"log\":{\"type\":\"string\",\"format\":\"path\"}},\"required\":[]");
    }

    @Test
    void optionalPrimitiveWithoutInitializerDefaultsToZero() {
        String schema = schema(
                job(
                        "ZeroJob",
                        "@Job(name = \"zero\")",
                        "public class ZeroJob implements JobHandler<Void> {",
                        "  @Param(required = false) boolean verify;",
                        "  @Param(required = false) long limit;",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "ZeroJob");
        assertThat(schema)
                .contains("\"verify\":{\"type\":\"boolean\",\"default\":false}")
                .contains("\"default\":0}");
    }

    @Test
    void defaultsOfConstantExpressionsAreEvaluated() {
        String schema = schema(
                job(
                        "ConstJob",
                        "@Job(name = \"const\")",
                        "public class ConstJob implements JobHandler<Void> {",
                        "  static final int BASE = 10;",
                        "  @Param long bytes = 4L << 20;",
                        "  @Param int scaled = BASE * 3 + 1;",
                        "  @Param int negative = -(2);",
                        "  @Param long max = Long.MAX_VALUE;",
                        "  @Param double ratio = 0.5;",
                        "  @Param float rate = 0.1f;",
                        "  @Param char mark = 'x';",
                        "  @Param String label = \"a\" + \"b\";",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "ConstJob");
        assertThat(schema)
                .contains("\"default\":4194304")
                .contains("\"default\":31")
                .contains("\"default\":-2")
                .contains("\"default\":9223372036854775807")
                .contains("\"default\":0.5")
                .contains("\"default\":0.1}")
                .contains("\"default\":\"x\"")
                .contains("\"default\":\"ab\"");
    }

    @Test
    void defaultOfAnEnumIsItsConstantName() {
        String schema = schema(
                job(
                        "EnumJob",
                        "@Job(name = \"enum\")",
                        "public class EnumJob implements JobHandler<Void> {",
                        "  public enum Mode { FAST, SAFE }",
                        "  @Param Mode mode = Mode.SAFE;",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "EnumJob");
        assertThat(schema).contains("\"enum\":[\"FAST\",\"SAFE\"],\"default\":\"SAFE\"");
    }

    @Test
    void defaultsOfCollectionsPathsAndDurationsAreShown() {
        String schema = schema(
                job(
                        "ValuesJob",
                        "@Job(name = \"values\")",
                        "public class ValuesJob implements JobHandler<Void> {",
                        "  @Param List<String> tags = List.of(\"a\", \"b\");",
                        "  @Param Set<Integer> ids = new HashSet<>();",
                        "  @Param Map<String, Long> sizes = new TreeMap<>();",
                        "  @Param Path dir = Path.of(\"/tmp\");",
                        "  @Param Duration timeout = Duration.ofSeconds(90);",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "ValuesJob");
        assertThat(schema)
                .contains("\"default\":[\"a\",\"b\"]")
                .contains("\"default\":[]")
                .contains("\"default\":{}")
                .contains("\"default\":\"/tmp\"")
                .contains("\"default\":\"PT1M30S\"");
    }

    @Test
    void defaultIsLeftOutWhenItCannotBeEvaluated() {
        String schema = schema(
                job(
                        "OpaqueJob",
                        "@Job(name = \"opaque\")",
                        "public class OpaqueJob implements JobHandler<Void> {",
                        "  @Param int cores = Runtime.getRuntime().availableProcessors();",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "OpaqueJob");
        assertThat(schema).contains("\"cores\":{" + INT + "}},\"required\":[]");
    }

    @Test
    void defaultIsLeftOutWhenTheConstructorAssignsTheField() {
        String schema = schema(
                job(
                        "CtorJob",
                        "@Job(name = \"ctor\")",
                        "public class CtorJob implements JobHandler<Void> {",
                        "  @Param int size = 1;",
                        "  CtorJob() { size = 2; }",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "CtorJob");
        assertThat(schema).contains("\"size\":{" + INT + "}},\"required\":[]");
    }

    @Test
    void inheritedParamsComeFirst() {
        Compilation compilation = compile(
                job(
                        "BaseJob",
                        "public abstract class BaseJob implements JobHandler<Void> {",
                        "  @Param String base;",
                        "}"),
                job(
                        "ChildJob",
                        "@Job(name = \"child\")",
                        "public class ChildJob extends BaseJob {",
                        "  @Param String own;",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"));
        assertThat(compilation).succeededWithoutWarnings();
        assertThat(registration(compilation, "ChildJob").parameterSchema())
                .contains("\"properties\":{\"base\":{\"type\":\"string\"},\"own\":{\"type\":\"string\"}}")
                .contains("\"required\":[\"base\",\"own\"]");
    }

    @Test
    void nestedObjectsRejectUnknownFields() {
        String schema = schema(
                job(
                        "NestedJob",
                        "@Job(name = \"nested\")",
                        "public class NestedJob implements JobHandler<Void> {",
                        "  public record Window(int from, int to) {}",
                        "  @Param Window window;",
                        "  public Void run(JobContext ctx) { return null; }",
                        "}"),
                "NestedJob");
        assertThat(schema)
                .contains("\"window\":{\"type\":\"object\",\"properties\":{\"from\":{" + INT + "},\"to\":{" + INT
                        + "}},\"required\":[],\"additionalProperties\":false}");
    }

    @Test
    void rejectsStaticParam() {
        JavaFileObject file = job(
                "StaticParamJob",
                "@Job(name = \"x\")",
                "public class StaticParamJob implements JobHandler<Void> {",
                "  @Param static int shared;",
                "  public Void run(JobContext ctx) { return null; }",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("@Param field 'shared' is static")
                .inFile(file)
                .onLineContaining("static int shared");
    }

    @Test
    void rejectsTransientParam() {
        JavaFileObject file = job(
                "TransientParamJob",
                "@Job(name = \"x\")",
                "public class TransientParamJob implements JobHandler<Void> {",
                "  @Param transient String cache;",
                "  public Void run(JobContext ctx) { return null; }",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("@Param field 'cache' is transient, so it would not be saved")
                .inFile(file)
                .onLineContaining("transient String cache");
    }

    @Test
    void rejectsFinalParam() {
        JavaFileObject file = job(
                "FinalParamJob",
                "@Job(name = \"x\")",
                "public class FinalParamJob implements JobHandler<Void> {",
                "  @Param final String name = \"n\";",
                "  public Void run(JobContext ctx) { return null; }",
                "}");
        assertThat(compile(file))
                .hadErrorContaining("@Param field 'name' is final, so it cannot be set")
                .inFile(file)
                .onLineContaining("final String name");
    }

    @Test
    void rejectsStaticParamInAClassWithoutJob() {
        JavaFileObject file = job("Settings", "public class Settings {", "  @Param static String mode;", "}");
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("@Param field 'mode' is static")
                .inFile(file)
                .onLineContaining("static String mode");
    }
}
