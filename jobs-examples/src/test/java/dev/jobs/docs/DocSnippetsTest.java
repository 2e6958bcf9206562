package dev.jobs.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of {@code README.md} and {@code docs/*.md} compiles against the
 * current API, with the jobs annotation processor on and {@code -Xlint:all}, as a user would
 * compile it; a block marked {@code ```java compile-error} must fail with the errors the page
 * quotes after it. How fragments are completed (whole files, members and statements inside a
 * class {@code Main extends DocContext}, {@code ...} and {@code { ... }}) is described in
 * docs/testing-the-library.md, "The documentation's code", and implemented in
 * {@link SnippetCompiler}.
 */
class DocSnippetsTest {

    @TestFactory
    Stream<DynamicNode> everyJavaBlockCompiles(@TempDir Path work) throws IOException {
        Path root = repositoryRoot();
        List<Markdown.Block> blocks = new ArrayList<>();
        for (Path page : pages(root)) {
            String name = root.relativize(page).toString().replace(File.separatorChar, '/');
            blocks.addAll(Markdown.blocks(name, Files.readString(page)));
        }
        List<SnippetCompiler.Result> results =
                new SnippetCompiler(work, System.getProperty("java.class.path")).compile(blocks);
        assertThat(results).as("java blocks found in the docs").hasSizeGreaterThan(40);

        Map<String, List<SnippetCompiler.Result>> byPage = new TreeMap<>(
                results.stream().collect(Collectors.groupingBy(r -> r.block().page())));
        return byPage.entrySet().stream()
                .map(e -> DynamicContainer.dynamicContainer(
                        e.getKey(),
                        root.resolve(e.getKey()).toUri(),
                        e.getValue().stream()
                                .map(r -> DynamicTest.dynamicTest(
                                        name(r), root.resolve(e.getKey()).toUri(), () -> check(r)))));
    }

    private static String name(SnippetCompiler.Result r) {
        List<String> kind = new ArrayList<>();
        kind.add(r.shape().name().toLowerCase(Locale.ROOT));
        kind.addAll(r.block().flags());
        return r.block().where() + " (" + String.join(", ", kind) + ")";
    }

    private static void check(SnippetCompiler.Result r) {
        if (!r.problems().isEmpty()) {
            throw new AssertionError(
                    String.join("\n", r.problems()) + "\n\nthe block as compiled (page line | code):\n" + r.source());
        }
    }

    /** The test itself: a block that does not compile fails, and names the page and line. */
    @Test
    void reportsTheLineOfABlockThatDoesNotCompile(@TempDir Path work) {
        String page = String.join(
                "\n",
                "# A page",
                "",
                "```java",
                "JobInfo info = jobs.info(id);",
                "String s = info.nonsense();",
                "```",
                "",
                "```java",
                "@Job(name = \"fine\")",
                "public class FineJob implements JobHandler<Integer> {",
                "    @Param int n;",
                "    public Integer run(JobContext ctx) { ... }",
                "}",
                "```",
                "",
                "```java",
                "transient long lastSave;",
                "...",
                "FineJob job = new FineJob();",
                "```",
                "",
                "```java compile-error",
                "@Job(name = \"bad\")",
                "class BadJob implements JobHandler<Void> {",
                "    Object lock;",
                "    public Void run(JobContext ctx) { return null; }",
                "}",
                "```",
                "",
                "```",
                "field 'lock' has type Object, which the job's state cannot hold: Object can hold anything,",
                "so the state codec could not tell which class to read back; declare the type of the value;",
                "mark the field transient if it need not be saved, or change its type",
                "```",
                "",
                "```java compile-error",
                "int fine = 1;",
                "```",
                "",
                "```java",
                "List raw = new ArrayList<String>();",
                "```",
                "");
        List<SnippetCompiler.Result> results = new SnippetCompiler(work, System.getProperty("java.class.path"))
                .compile(Markdown.blocks("docs/page.md", page));

        assertThat(results).hasSize(6);
        assertThat(results.get(0).problems())
                .singleElement()
                .asString()
                .startsWith("docs/page.md:5: error: cannot find symbol")
                .contains("info.nonsense()");
        assertThatThrownBy(() -> check(results.get(0))).hasMessageContaining("    5 | String s = info.nonsense();");
        assertThat(results.get(1).shape()).isEqualTo(SnippetCompiler.Shape.UNIT);
        assertThat(results.get(1).problems()).isEmpty();
        assertThat(results.get(2).problems()).isEmpty();
        assertThat(results.get(2).source()).contains("   17 | transient long lastSave;");
        assertThat(results.get(3).problems()).isEmpty();
        assertThat(results.get(4).problems())
                .singleElement()
                .asString()
                .isEqualTo("docs/page.md:36: the block is marked compile-error but compiles");
        assertThat(results.get(5).problems())
                .singleElement()
                .asString()
                .startsWith("docs/page.md:41: warning: found raw type");
    }

    /** A block marked not-compiled (code against a library the docs' class path lacks) is left out. */
    @Test
    void skipsABlockMarkedNotCompiled(@TempDir Path work) {
        String page = String.join(
                "\n",
                "```java not-compiled",
                "builder.jobInitializer(injector::injectMembers);",
                "```",
                "",
                "```java",
                "int fine = 1;",
                "```",
                "");
        List<SnippetCompiler.Result> results = new SnippetCompiler(work, System.getProperty("java.class.path"))
                .compile(Markdown.blocks("docs/page.md", page));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.block().fenceLine()).isEqualTo(5);
            assertThat(r.problems()).isEmpty();
        });
    }

    /** README.md and every page of docs/. */
    private static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("docs/writing-jobs.md")) && Files.exists(p.resolve("README.md"))) {
                return p;
            }
        }
        throw new IllegalStateException("no docs/ above " + Path.of("").toAbsolutePath());
    }
}
