package dev.jobs.docs;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles the {@code java} blocks of the documentation with javac and the jobs annotation
 * processor, against this module's test class path. See {@link DocSnippetsTest} for the rules.
 */
final class SnippetCompiler {

    /** Info-string flag of a block that must not compile (```java compile-error). */
    static final String COMPILE_ERROR = "compile-error";

    /**
     * Info-string flag of a block that is not compiled (```java not-compiled): code against a
     * library the docs' class path does not have (Spring, Guice, a Prometheus registry). The page
     * says so beside the block.
     */
    static final String NOT_COMPILED = "not-compiled";

    /** What a block without imports of its own may use unqualified (the docs' "Imports" section). */
    static final List<String> DEFAULT_IMPORTS = List.of(
            "import dev.jobs.*;",
            "import dev.jobs.runtime.*;",
            "import dev.jobs.runtime.events.*;",
            "import dev.jobs.runtime.notify.*;",
            "import dev.jobs.postgres.*;",
            "import dev.jobs.process.*;",
            "import dev.jobs.web.*;",
            "import com.zaxxer.hikari.*;",
            "import java.nio.charset.*;",
            "import javax.crypto.*;",
            "import javax.crypto.spec.*;",
            "import dev.jobs.test.*;",
            "import dev.jobs.examples.copy.*;",
            "import java.io.*;",
            "import java.nio.*;",
            "import java.nio.channels.*;",
            "import java.nio.file.*;",
            "import java.security.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.function.*;",
            "import dev.jobs.docs.DocContext;",
            "import dev.jobs.docs.DocContext.*;");

    /** How a block is compiled. */
    enum Shape {
        /** A source file: a type declaration, with or without package and imports. */
        UNIT,
        /** Annotations and nothing they annotate: followed by a minimal job class. */
        ANNOTATIONS,
        /** Members and statements, inside a class {@code Main extends DocContext}. */
        FRAGMENT
    }

    /**
     * The outcome for one block.
     *
     * @param problems every error and warning javac reported for it, as {@code page:line: message};
     *     for a {@code compile-error} block, what was wrong with its errors
     * @param source the code javac compiled, each line marked with the page line it came from
     */
    record Result(Markdown.Block block, Shape shape, List<String> problems, String source) {}

    private static final Pattern METHOD_BODY_ELIDED =
            Pattern.compile("(\\)\\s*(throws\\s+[\\w.]+(\\s*,\\s*[\\w.]+)*\\s*)?)\\{\\s*\\.\\.\\.\\s*}");
    private static final Pattern BODY_ELIDED = Pattern.compile("\\{\\s*\\.\\.\\.\\s*}");

    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    private final StandardJavaFileManager fileManager = javac.getStandardFileManager(null, Locale.ROOT, UTF_8);
    private final Path work;
    private final String classPath;

    SnippetCompiler(Path work, String classPath) {
        this.work = work;
        this.classPath = classPath;
    }

    /** Compiles every {@code java} block of {@code blocks}; one result per block, in order. */
    List<Result> compile(List<Markdown.Block> blocks) {
        Map<Markdown.Block, Source> sources = new LinkedHashMap<>();
        Map<Markdown.Block, Shape> shapes = new LinkedHashMap<>();
        Map<String, Set<String>> unitPackages = new LinkedHashMap<>();
        // units first: fragments of a page may use the types its units declare
        for (Markdown.Block b : blocks) {
            if (!b.language().equals("java") || b.flags().contains(NOT_COMPILED)) {
                continue;
            }
            List<String> lines = elide(b.lines());
            CompilationUnitTree unit = parse(String.join("\n", lines));
            if (unit != null && unit.getTypeDecls().stream().anyMatch(t -> t instanceof ClassTree)) {
                Source s = unit(b, lines, unit);
                sources.put(b, s);
                shapes.put(b, Shape.UNIT);
                if (!b.flags().contains(COMPILE_ERROR)) {
                    unitPackages
                            .computeIfAbsent(b.page(), p -> new LinkedHashSet<>())
                            .add(s.packageName);
                }
            }
        }
        for (Markdown.Block b : blocks) {
            if (!b.language().equals("java") || b.flags().contains(NOT_COMPILED) || sources.containsKey(b)) {
                continue;
            }
            List<String> lines = elide(b.lines());
            Set<String> imports = unitPackages.getOrDefault(b.page(), Set.of());
            if (onlyAnnotations(lines)) {
                sources.put(b, annotations(b, lines, imports));
                shapes.put(b, Shape.ANNOTATIONS);
            } else {
                sources.put(b, fragment(b, lines, imports));
                shapes.put(b, Shape.FRAGMENT);
            }
        }

        Map<Markdown.Block, List<String>> problems = new LinkedHashMap<>();
        sources.keySet().forEach(b -> problems.put(b, new ArrayList<>()));
        List<String> elsewhere = new ArrayList<>();
        Path units = dir("units");
        javac(select(sources, shapes, true, false), units, List.of(), problems, elsewhere);
        javac(select(sources, shapes, false, false), dir("fragments"), List.of(units), problems, elsewhere);
        int n = 0;
        for (Map.Entry<Markdown.Block, Source> e : sources.entrySet()) {
            Markdown.Block b = e.getKey();
            if (b.flags().contains(COMPILE_ERROR)) {
                List<String> own = new ArrayList<>();
                List<Diagnostic<? extends JavaFileObject>> errors =
                        javac(List.of(e.getValue()), dir("error-" + ++n), List.of(units), null, own);
                problems.get(b).addAll(own);
                problems.get(b).addAll(expectedErrors(b, errors));
            }
        }
        if (!elsewhere.isEmpty()) {
            throw new AssertionError(
                    "javac reported problems outside the documentation's blocks:\n" + String.join("\n", elsewhere));
        }
        List<Result> results = new ArrayList<>();
        for (Markdown.Block b : blocks) {
            if (sources.containsKey(b)) {
                results.add(new Result(
                        b, shapes.get(b), problems.get(b), sources.get(b).listing()));
            }
        }
        return results;
    }

    private static List<Source> select(
            Map<Markdown.Block, Source> sources, Map<Markdown.Block, Shape> shapes, boolean units, boolean errors) {
        return sources.entrySet().stream()
                .filter(e -> (shapes.get(e.getKey()) == Shape.UNIT) == units)
                .filter(e -> e.getKey().flags().contains(COMPILE_ERROR) == errors)
                .map(Map.Entry::getValue)
                .toList();
    }

    /** For a compile-error block: it must fail, and each error must be quoted in the next block. */
    private static List<String> expectedErrors(Markdown.Block b, List<Diagnostic<? extends JavaFileObject>> errors) {
        List<String> problems = new ArrayList<>();
        if (errors.isEmpty()) {
            problems.add(b.where() + ": the block is marked " + COMPILE_ERROR + " but compiles");
        }
        String shown = normalize(b.next());
        for (Diagnostic<? extends JavaFileObject> d : errors) {
            String message = d.getMessage(Locale.ROOT);
            if (!shown.contains(normalize(message))) {
                problems.add(b.where() + ": the block is marked " + COMPILE_ERROR + ", and this error of line "
                        + origin(d) + " is not in the block after it:\n    " + message);
            }
        }
        return problems;
    }

    private static String normalize(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    private static int origin(Diagnostic<? extends JavaFileObject> d) {
        return d.getSource() instanceof Source s ? s.pageLine((int) d.getLineNumber()) : 0;
    }

    /**
     * Runs javac with the processor on {@code sources}; reports their errors and warnings in
     * {@code problems} (by block) or {@code elsewhere}, and returns the errors.
     */
    private List<Diagnostic<? extends JavaFileObject>> javac(
            List<Source> sources,
            Path out,
            List<Path> extraClassPath,
            Map<Markdown.Block, List<String>> problems,
            List<String> elsewhere) {
        if (sources.isEmpty()) {
            return List.of();
        }
        String cp = classPath
                + extraClassPath.stream().map(p -> File.pathSeparator + p).collect(Collectors.joining());
        List<String> options = List.of(
                "-d",
                out.toString(),
                "-s",
                dir(out.getFileName() + "-generated").toString(),
                "--release",
                "17",
                "-encoding",
                "UTF-8",
                "-Xlint:all,-processing,-serial,-classfile,-try",
                "-processor",
                "dev.jobs.processor.JobProcessor",
                "-processorpath",
                classPath,
                "-classpath",
                cp);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        javac.getTask(null, fileManager, diagnostics, options, null, sources).call();
        List<Diagnostic<? extends JavaFileObject>> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.NOTE || d.getKind() == Diagnostic.Kind.OTHER) {
                continue;
            }
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d);
            }
            if (d.getSource() instanceof Source s && problems != null) {
                problems.get(s.block).add(s.describe(d));
            } else if (d.getSource() instanceof Source s) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    elsewhere.add(s.describe(d));
                }
            } else {
                elsewhere.add(d.toString());
            }
        }
        return errors;
    }

    // ------------------------------------------------------------------ shapes

    /** {@code { ... }} as a method body throws; as another body, it is empty. */
    private static List<String> elide(List<String> lines) {
        return lines.stream()
                .map(l -> METHOD_BODY_ELIDED.matcher(l).replaceAll("$1{ throw new UnsupportedOperationException(); }"))
                .map(l -> BODY_ELIDED.matcher(l).replaceAll("{ }"))
                .toList();
    }

    private Source unit(Markdown.Block b, List<String> lines, CompilationUnitTree tree) {
        String declared =
                tree.getPackageName() == null ? null : tree.getPackageName().toString();
        String pkg = declared != null ? declared : pagePackage(b);
        ClassTree main = tree.getTypeDecls().stream()
                .filter(t -> t instanceof ClassTree)
                .map(t -> (ClassTree) t)
                .filter(c -> c.getModifiers().getFlags().contains(Modifier.PUBLIC))
                .findFirst()
                .orElse((ClassTree) tree.getTypeDecls().stream()
                        .filter(t -> t instanceof ClassTree)
                        .findFirst()
                        .orElseThrow());
        Source s = new Source(b, pkg, main.getSimpleName().toString());
        boolean imports = !tree.getImports().isEmpty();
        int i = 0;
        if (declared == null) {
            s.add("package " + pkg + ";", 0);
        } else {
            while (!lines.get(i).strip().startsWith("package ")) {
                s.add(lines.get(i), b.lineOf(i));
                i++;
            }
            s.add(lines.get(i), b.lineOf(i));
            i++;
        }
        if (!imports) {
            DEFAULT_IMPORTS.forEach(line -> s.add(line, 0));
        }
        for (; i < lines.size(); i++) {
            s.add(lines.get(i), b.lineOf(i));
        }
        return s;
    }

    private boolean onlyAnnotations(List<String> lines) {
        String text = String.join("\n", lines);
        if (!text.strip().startsWith("@")) {
            return false;
        }
        CompilationUnitTree tree = parse(text + "\nclass Main {}");
        return tree != null && tree.getTypeDecls().size() == 1;
    }

    private Source annotations(Markdown.Block b, List<String> lines, Set<String> pageImports) {
        Source s = new Source(b, pagePackage(b) + ".l" + b.fenceLine(), "Main");
        header(s, pageImports);
        for (int i = 0; i < lines.size(); i++) {
            s.add(lines.get(i), b.lineOf(i));
        }
        s.add("class Main implements JobHandler<Void> {", 0);
        s.add("    @Override public Void run(JobContext ctx) { return null; }", 0);
        s.add("}", 0);
        return s;
    }

    /**
     * A fragment: its parts (split at lines that are only {@code ...}) are members of class
     * {@code Main} or statements of its method, whichever they parse as. A part before a
     * {@code ...} line is members if it can be; a part that is both is statements, unless it
     * declares variables with modifiers or annotations (which locals rarely have).
     */
    private Source fragment(Markdown.Block b, List<String> lines, Set<String> pageImports) {
        record Part(int from, List<String> lines) {}
        List<Part> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= lines.size(); i++) {
            if (i == lines.size() || lines.get(i).strip().equals("...")) {
                parts.add(new Part(from, lines.subList(from, i)));
                from = i + 1;
            }
        }
        List<Part> members = new ArrayList<>();
        List<Part> statements = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            Part p = parts.get(k);
            String text = String.join("\n", p.lines());
            boolean last = k == parts.size() - 1;
            boolean asMembers = isMembers(text);
            if (asMembers && (!last || !isStatements(text))) {
                members.add(p);
            } else {
                statements.add(p);
            }
        }
        Source s = new Source(b, pagePackage(b) + ".l" + b.fenceLine(), "Main");
        header(s, pageImports);
        s.add("import static org.assertj.core.api.Assertions.assertThat;", 0);
        s.add("public class Main extends DocContext {", 0);
        for (Part p : members) {
            for (int i = 0; i < p.lines().size(); i++) {
                s.add(p.lines().get(i), b.lineOf(p.from() + i));
            }
        }
        s.add("void snippet() throws Exception {", 0);
        for (Part p : statements) {
            for (int i = 0; i < p.lines().size(); i++) {
                s.add(p.lines().get(i), b.lineOf(p.from() + i));
            }
        }
        s.add("}", 0);
        s.add("}", 0);
        return s;
    }

    private static void header(Source s, Set<String> pageImports) {
        s.add("package " + s.packageName + ";", 0);
        DEFAULT_IMPORTS.forEach(line -> s.add(line, 0));
        pageImports.forEach(p -> s.add("import " + p + ".*;", 0));
    }

    private boolean isMembers(String text) {
        return parse("class Main {\n" + text + "\n}") != null;
    }

    private boolean isStatements(String text) {
        CompilationUnitTree tree = parse("class Main { void m() {\n" + text + "\n} }");
        if (tree == null) {
            return false;
        }
        ClassTree c = (ClassTree) tree.getTypeDecls().get(0);
        BlockTree body = ((MethodTree) c.getMembers().stream()
                        .filter(m -> m.getKind() == Tree.Kind.METHOD)
                        .findFirst()
                        .orElseThrow())
                .getBody();
        for (StatementTree st : body.getStatements()) {
            if (st instanceof VariableTree v
                    && (!v.getModifiers().getAnnotations().isEmpty()
                            || v.getModifiers().getFlags().stream().anyMatch(f -> f != Modifier.FINAL))) {
                return false;
            }
        }
        return true;
    }

    /** The tree of {@code text}, or null if it has a syntax error. */
    private CompilationUnitTree parse(String text) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Parse.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        };
        JavacTask task = (JavacTask) javac.getTask(
                null, fileManager, diagnostics, List.of("-proc:none", "--release", "17"), null, List.of(file));
        try {
            CompilationUnitTree tree = task.parse().iterator().next();
            boolean errors = diagnostics.getDiagnostics().stream().anyMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
            return errors ? null : tree;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pagePackage(Markdown.Block b) {
        String name = Path.of(b.page()).getFileName().toString().replaceFirst("\\.md$", "");
        return "docs." + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    }

    private Path dir(String name) {
        try {
            return Files.createDirectories(work.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A source javac compiles, each line remembering the page line it came from (0: added here). */
    static final class Source extends SimpleJavaFileObject {
        final Markdown.Block block;
        final String packageName;
        private final List<String> text = new ArrayList<>();
        private final List<Integer> origin = new ArrayList<>();

        Source(Markdown.Block block, String packageName, String className) {
            super(URI.create("string:///" + packageName.replace('.', '/') + "/" + className + ".java"), Kind.SOURCE);
            this.block = block;
            this.packageName = packageName;
        }

        void add(String line, int pageLine) {
            text.add(line);
            origin.add(pageLine);
        }

        int pageLine(int line) {
            return line >= 1 && line <= origin.size() ? origin.get(line - 1) : 0;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return String.join("\n", text) + "\n";
        }

        String describe(Diagnostic<? extends JavaFileObject> d) {
            int line = (int) d.getLineNumber();
            int pageLine = pageLine(line);
            String kind = d.getKind().toString().toLowerCase(Locale.ROOT).replace('_', ' ');
            String where = pageLine > 0
                    ? block.page() + ":" + pageLine
                    : block.where() + " (line " + line + " of the code wrapped around the block)";
            String code = line >= 1 && line <= text.size()
                    ? "\n    " + text.get(line - 1).strip()
                    : "";
            return where + ": " + kind + ": " + d.getMessage(Locale.ROOT) + code;
        }

        String listing() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < text.size(); i++) {
                String from = origin.get(i) > 0 ? String.format("%5d", origin.get(i)) : "    +";
                sb.append(from).append(" | ").append(text.get(i)).append('\n');
            }
            return sb.toString();
        }
    }
}
