package dev.jobs.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.jobs.processor.Compiling.compile;
import static dev.jobs.processor.Compiling.job;
import static dev.jobs.processor.Compiling.source;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Persisted fields must have types the state codec can write and read back; errors point at the field. */
class FieldTypeProcessorTest {

    /** A job with one state field declared by {@code field}, plus any extra member lines. */
    private static JavaFileObject jobWith(String field, String... members) {
        String[] lines = new String[members.length + 5];
        lines[0] = "@Job(name = \"x\")";
        lines[1] = "public class FieldJob implements JobHandler<Void> {";
        lines[2] = "  " + field;
        System.arraycopy(members, 0, lines, 3, members.length);
        lines[lines.length - 2] = "  public Void run(JobContext ctx) { return null; }";
        lines[lines.length - 1] = "}";
        return job("FieldJob", lines);
    }

    private static void assertRejected(JavaFileObject file, String line, String... messages) {
        Compilation compilation = compile(file);
        assertThat(compilation).hadErrorCount(1);
        for (String message : messages) {
            assertThat(compilation).hadErrorContaining(message).inFile(file).onLineContaining(line);
        }
    }

    @Test
    void acceptsEverySupportedType() {
        Compilation compilation = compile(job(
                "AllTypesJob",
                "import java.math.*;",
                "import java.net.URI;",
                "import java.util.concurrent.atomic.AtomicLong;",
                "@Job(name = \"all\")",
                "public class AllTypesJob implements JobHandler<Void> {",
                "  public enum Color { RED }",
                "  public record Point(int x, List<String> tags) {}",
                "  static class Bag { private String name; private Map<Color, Point> points; private Bag() {} }",
                "  int i; long l; double d; float f; boolean b; char c; byte y; short s;",
                "  Integer boxed; String text; Color color; Point point; Bag bag;",
                "  BigDecimal money; BigInteger big; UUID id; Path path; URI uri; AtomicLong counter;",
                "  Instant at; Duration took; LocalDate day; LocalDateTime local; ZonedDateTime zoned; OffsetDateTime offset;",
                "  List<Path> paths; Set<String> names; SortedSet<String> sorted; TreeSet<Integer> tree;",
                "  Map<String, List<Long>> index; TreeMap<Integer, String> byNumber; NavigableMap<UUID, Color> byId;",
                "  Map<Color, Integer> byColor; Deque<String> queue; EnumSet<Color> colors; EnumMap<Color, String> names2;",
                "  int[] ints; byte[] bytes; String[][] grid; Point[] points;",
                "  Optional<String> maybe; OptionalInt maybeInt;",
                "  transient Thread worker; static Object shared;",
                "  public Void run(JobContext ctx) { return null; }",
                "}"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void rejectsInputStreamField() {
        assertRejected(
                jobWith("java.io.InputStream in;"),
                "InputStream in;",
                "field 'in' has type InputStream, which the job's state cannot hold:"
                        + " InputStream is not one of the JDK types the state codec can write and read back;"
                        + " mark the field transient if it need not be saved, or change its type");
    }

    @Test
    void rejectsObjectField() {
        assertRejected(
                jobWith("Object value;"),
                "Object value;",
                "field 'value' has type Object",
                "Object can hold anything, so the state codec could not tell which class to read back");
    }

    @Test
    void rejectsInterfaceField() {
        assertRejected(
                jobWith("java.util.function.Function<String, Integer> parse;"),
                "Function<String, Integer> parse;",
                "Function<String, Integer> is an interface, so the state codec could not tell which class to read back");
    }

    @Test
    void rejectsListOfAnInterfaceOfTheUsers() {
        assertRejected(
                jobWith("List<Step> steps;", "  interface Step { void apply(); }"),
                "List<Step> steps;",
                "field 'steps' has type List<FieldJob.Step>",
                "FieldJob.Step is an interface");
    }

    @Test
    void rejectsMapWithPathKeys() {
        assertRejected(
                jobWith("Map<Path, Long> sizes;"),
                "Map<Path, Long> sizes;",
                "Map<Path, Long> has keys of type Path; map keys must be String, an enum, a number or UUID");
    }

    @Test
    void rejectsRawList() {
        assertRejected(
                jobWith("@SuppressWarnings(\"rawtypes\") List items;"),
                "List items;",
                "List is a raw type, so the state codec could not tell the type of what it holds");
    }

    @Test
    void rejectsWildcardList() {
        assertRejected(jobWith("List<?> items;"), "List<?> items;", "List<?> has a wildcard type argument ('?')");
    }

    @Test
    void rejectsClassWithFinalFieldsAndNoUsableConstructor() {
        assertRejected(
                jobWith(
                        "Window window;",
                        "  static final class Window {",
                        "    final int from; final int to;",
                        "    Window(int from, int to) { this.from = from; this.to = to; }",
                        "  }"),
                "Window window;",
                "FieldJob.Window has no constructor the state codec can use to read it back;"
                        + " add a no-argument constructor (it may be private)");
    }

    @Test
    void acceptsClassWithJsonCreatorConstructor() {
        JavaFileObject jsonCreator = source(
                "com.fasterxml.jackson.annotation.JsonCreator",
                "package com.fasterxml.jackson.annotation;",
                "public @interface JsonCreator {}");
        Compilation compilation = compile(
                jsonCreator,
                jobWith(
                        "Window window;",
                        "  static final class Window {",
                        "    final int from;",
                        "    @com.fasterxml.jackson.annotation.JsonCreator Window(int from) { this.from = from; }",
                        "  }"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void rejectsInnerClassValue() {
        assertRejected(
                jobWith("Item item;", "  class Item { int n; }"),
                "Item item;",
                "FieldJob.Item is an inner (non-static) class, which the state codec cannot create; declare it static");
    }

    @Test
    void rejectsAbstractClassValue() {
        assertRejected(
                jobWith("Shape shape;", "  abstract static class Shape { int sides; }"),
                "Shape shape;",
                "FieldJob.Shape is abstract, so the state codec could not tell which class to read back");
    }

    @Test
    void rejectsSortedSetOfElementsThatAreNotComparable() {
        assertRejected(
                jobWith("TreeSet<Item> items;", "  static class Item { int n; }"),
                "TreeSet<Item> items;",
                "TreeSet<FieldJob.Item> is restored in the natural order of its elements,"
                        + " but FieldJob.Item is not Comparable");
    }

    @Test
    void namesTheNestedFieldThatHoldsAnUnsupportedType() {
        assertRejected(
                jobWith(
                        "List<Holder> holders;",
                        "  static class Holder { String name; Inner inner; }",
                        "  static class Inner { Thread thread; }"),
                "List<Holder> holders;",
                "field 'holders' has type List<FieldJob.Holder>, which the job's state cannot hold:"
                        + " in Holder.inner, Inner.thread: Thread is not one of the JDK types");
    }

    @Test
    void acceptsRecursiveTypes() {
        Compilation compilation =
                compile(jobWith("Node root;", "  static class Node { String name; List<Node> children; }"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void ignoresTransientAndStaticFields() {
        Compilation compilation = compile(jobWith("transient java.io.InputStream in;", "  static Thread worker;"));
        assertThat(compilation).succeededWithoutWarnings();
    }

    @Test
    void checksInheritedFieldsWithTheirTypeArguments() {
        JavaFileObject base = job(
                "HolderBase", "public abstract class HolderBase<T> implements JobHandler<Void> {", "  T value;", "}");
        JavaFileObject ok = job(
                "StringHolderJob",
                "@Job(name = \"strings\")",
                "public class StringHolderJob extends HolderBase<String> {",
                "  public Void run(JobContext ctx) { return null; }",
                "}");
        assertThat(compile(base, ok)).succeededWithoutWarnings();
    }

    @Test
    void reportsAnInheritedFieldOnItsDeclaration() {
        JavaFileObject base = job(
                "HolderBase", "public abstract class HolderBase<T> implements JobHandler<Void> {", "  T value;", "}");
        JavaFileObject bad = job(
                "AnyHolderJob",
                "@Job(name = \"any\")",
                "public class AnyHolderJob extends HolderBase<Object> {",
                "  public Void run(JobContext ctx) { return null; }",
                "}");
        Compilation compilation = compile(base, bad);
        assertThat(compilation)
                .hadErrorContaining("field 'value' has type Object")
                .inFile(base)
                .onLineContaining("T value;");
    }

    @Test
    void rejectsJobOnALocalClass() {
        JavaFileObject file = job(
                "Outer",
                "public class Outer {",
                "  void make() {",
                "    @Job(name = \"local\")",
                "    class LocalJob implements JobHandler<Void> {",
                "      public Void run(JobContext ctx) { return null; }",
                "    }",
                "  }",
                "}");
        assertRejected(
                file,
                "class LocalJob",
                "@Job class LocalJob is a local class, which annotation processors never see,"
                        + " so it would get no registration; move it out of the method");
    }
}
