package dev.jobs.processor;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Works out a parameter's default, as JSON, from its initializer when the initializer is simple
 * enough to evaluate at compile time: literals and constant arithmetic, constants of the job's
 * classes and of {@code java.lang}, enum constants, empty collections and {@code List.of}/{@code
 * Set.of} of such values, {@code Path.of("...")} and {@code Duration.ofSeconds(n)} (and the other
 * {@code Duration.ofX}). Anything else has no default in the schema; the field is optional all the
 * same. The result is a {@code Long}, {@code Double}, {@code Boolean}, {@code String}, {@code List}
 * or an empty {@code Map}.
 */
final class Defaults {

    private static final Set<String> EMPTY_COLLECTIONS = Set.of(
            "ArrayList",
            "LinkedList",
            "HashSet",
            "LinkedHashSet",
            "TreeSet",
            "ArrayDeque",
            "CopyOnWriteArrayList",
            "HashMap",
            "LinkedHashMap",
            "TreeMap",
            "ConcurrentHashMap",
            "ConcurrentSkipListMap",
            "ConcurrentSkipListSet");

    private static final Set<String> EMPTY_FACTORIES = Set.of(
            "List.of", "Set.of", "Map.of", "Collections.emptyList", "Collections.emptySet", "Collections.emptyMap");

    /** A name the evaluator could not resolve to a value: maybe an enum constant of the target type. */
    private record Name(String simple) {}

    private static final Object UNKNOWN = new Object();

    private final Types types;
    private final Elements elements;
    private TypeElement context;

    Defaults(ProcessingEnvironment env) {
        this.types = env.getTypeUtils();
        this.elements = env.getElementUtils();
    }

    /** The JSON value of {@code initializer} for a field of {@code type} declared in {@code owner}. */
    Optional<Object> of(ExpressionTree initializer, TypeMirror type, TypeElement owner) {
        context = owner;
        try {
            Object value = convert(eval(initializer), type);
            return value == UNKNOWN ? Optional.empty() : Optional.of(value);
        } catch (ArithmeticException | ClassCastException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------ evaluation

    private Object eval(Tree tree) {
        if (tree instanceof LiteralTree literal) {
            return literal.getValue() == null ? UNKNOWN : literal.getValue();
        }
        if (tree instanceof ParenthesizedTree p) {
            return eval(p.getExpression());
        }
        if (tree instanceof TypeCastTree cast) {
            Object value = eval(cast.getExpression());
            return cast.getType() instanceof PrimitiveTypeTree primitive
                    ? castTo(primitive.getPrimitiveTypeKind(), value)
                    : value;
        }
        if (tree instanceof UnaryTree unary) {
            return unary(unary.getKind(), eval(unary.getExpression()));
        }
        if (tree instanceof BinaryTree binary) {
            return binary(binary.getKind(), eval(binary.getLeftOperand()), eval(binary.getRightOperand()));
        }
        if (tree instanceof ConditionalExpressionTree c) {
            Object condition = eval(c.getCondition());
            return condition instanceof Boolean b ? eval(b ? c.getTrueExpression() : c.getFalseExpression()) : UNKNOWN;
        }
        if (tree instanceof IdentifierTree id) {
            return constant(context, id.getName().toString());
        }
        if (tree instanceof MemberSelectTree select) {
            return memberSelect(select);
        }
        if (tree instanceof NewClassTree created) {
            String name = lastName(created.getIdentifier());
            if (created.getClassBody() != null) {
                return UNKNOWN;
            }
            if (created.getArguments().isEmpty() && EMPTY_COLLECTIONS.contains(name)) {
                return List.of();
            }
            if (created.getArguments().size() == 1 && name.equals("File")) {
                return path(eval(created.getArguments().get(0)));
            }
            return UNKNOWN;
        }
        if (tree instanceof NewArrayTree array && array.getInitializers() != null) {
            return list(array.getInitializers());
        }
        if (tree instanceof MethodInvocationTree call) {
            return call(call);
        }
        return UNKNOWN;
    }

    private Object call(MethodInvocationTree call) {
        String name = call.getMethodSelect().toString().replaceFirst("^java\\.(util|nio\\.file|time)\\.", "");
        List<? extends ExpressionTree> args = call.getArguments();
        if (EMPTY_FACTORIES.contains(name) && args.isEmpty()) {
            return List.of();
        }
        if (name.equals("List.of") || name.equals("Set.of") || name.equals("Arrays.asList")) {
            return list(args);
        }
        if ((name.equals("Path.of") || name.equals("Paths.get")) && args.size() == 1) {
            return path(eval(args.get(0)));
        }
        if (name.startsWith("Duration.of") && args.size() == 1 && eval(args.get(0)) instanceof Number n) {
            long amount = n.longValue();
            java.time.Duration d = switch (name) {
                case "Duration.ofNanos" -> java.time.Duration.ofNanos(amount);
                case "Duration.ofMillis" -> java.time.Duration.ofMillis(amount);
                case "Duration.ofSeconds" -> java.time.Duration.ofSeconds(amount);
                case "Duration.ofMinutes" -> java.time.Duration.ofMinutes(amount);
                case "Duration.ofHours" -> java.time.Duration.ofHours(amount);
                case "Duration.ofDays" -> java.time.Duration.ofDays(amount);
                default -> null;
            };
            return d == null ? UNKNOWN : d.toString();
        }
        return UNKNOWN;
    }

    private Object list(List<? extends ExpressionTree> items) {
        List<Object> values = new ArrayList<>();
        for (ExpressionTree item : items) {
            Object value = eval(item);
            if (value == UNKNOWN) {
                return UNKNOWN;
            }
            values.add(value);
        }
        return values;
    }

    private static Object path(Object value) {
        return value instanceof String s ? s : UNKNOWN;
    }

    private Object memberSelect(MemberSelectTree select) {
        String member = select.getIdentifier().toString();
        String qualifier = select.getExpression().toString();
        if (qualifier.equals("Duration") || qualifier.equals("java.time.Duration")) {
            return member.equals("ZERO") ? "PT0S" : UNKNOWN;
        }
        TypeElement type = resolveType(qualifier);
        if (type == null) {
            return new Name(member); // maybe an enum constant of a type we cannot resolve here
        }
        if (type.getKind() == ElementKind.ENUM) {
            return new Name(member);
        }
        return constant(type, member);
    }

    /** A constant called {@code name} in {@code type}, the classes around it, or their superclasses. */
    private Object constant(TypeElement type, String name) {
        for (Element e = type; e instanceof TypeElement t; e = t.getEnclosingElement()) {
            for (TypeElement c = t; c != null; c = superclass(c)) {
                for (VariableElement field : ElementFilter.fieldsIn(c.getEnclosedElements())) {
                    if (field.getSimpleName().contentEquals(name)) {
                        Object value = field.getConstantValue();
                        return value != null ? value : new Name(name);
                    }
                }
            }
        }
        return new Name(name);
    }

    private TypeElement superclass(TypeElement type) {
        TypeMirror s = type.getSuperclass();
        return s.getKind() == TypeKind.DECLARED ? (TypeElement) ((DeclaredType) s).asElement() : null;
    }

    /** A type named in source: nested in the job's classes, in its package, in java.lang, or qualified. */
    private TypeElement resolveType(String name) {
        String first = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        String rest = name.contains(".") ? name.substring(name.indexOf('.')) : "";
        for (Element e = context; e instanceof TypeElement t; e = t.getEnclosingElement()) {
            if (t.getSimpleName().contentEquals(first)) {
                return elements.getTypeElement(t.getQualifiedName() + rest);
            }
            for (TypeElement nested : ElementFilter.typesIn(t.getEnclosedElements())) {
                if (nested.getSimpleName().contentEquals(first)) {
                    return elements.getTypeElement(nested.getQualifiedName() + rest);
                }
            }
        }
        String pkg = elements.getPackageOf(context).getQualifiedName().toString();
        for (String candidate : List.of(pkg.isEmpty() ? name : pkg + "." + name, "java.lang." + name, name)) {
            TypeElement found = elements.getTypeElement(candidate);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String lastName(ExpressionTree identifier) {
        String s = identifier.toString().replaceAll("<.*>", "");
        return s.substring(s.lastIndexOf('.') + 1);
    }

    private static Object unary(Tree.Kind kind, Object v) {
        if (kind == Tree.Kind.LOGICAL_COMPLEMENT) {
            return v instanceof Boolean b ? !b : UNKNOWN;
        }
        if (!(v instanceof Number || v instanceof Character)) {
            return UNKNOWN;
        }
        Number n = number(v);
        boolean floating = n instanceof Double || n instanceof Float;
        return switch (kind) {
            case UNARY_PLUS -> n;
            case UNARY_MINUS ->
                floating
                        ? (Object) (-n.doubleValue())
                        : n instanceof Long ? (Object) (-n.longValue()) : (Object) (-n.intValue());
            case BITWISE_COMPLEMENT ->
                floating ? UNKNOWN : n instanceof Long ? (Object) (~n.longValue()) : (Object) (~n.intValue());
            default -> UNKNOWN;
        };
    }

    private static Object binary(Tree.Kind kind, Object l, Object r) {
        if (l == UNKNOWN || r == UNKNOWN || l instanceof Name || r instanceof Name) {
            return UNKNOWN;
        }
        if (kind == Tree.Kind.PLUS && (l instanceof String || r instanceof String)) {
            return String.valueOf(l) + r;
        }
        if (l instanceof Boolean a && r instanceof Boolean b) {
            return switch (kind) {
                case CONDITIONAL_AND, AND -> a && b;
                case CONDITIONAL_OR, OR -> a || b;
                case XOR -> a ^ b;
                default -> UNKNOWN;
            };
        }
        if (!(l instanceof Number || l instanceof Character) || !(r instanceof Number || r instanceof Character)) {
            return UNKNOWN;
        }
        Number a = number(l);
        Number b = number(r);
        if (kind == Tree.Kind.LEFT_SHIFT || kind == Tree.Kind.RIGHT_SHIFT || kind == Tree.Kind.UNSIGNED_RIGHT_SHIFT) {
            if (a instanceof Double || a instanceof Float || b instanceof Double || b instanceof Float) {
                return UNKNOWN;
            }
            long shift = b.longValue();
            if (a instanceof Long) {
                long x = a.longValue();
                return kind == Tree.Kind.LEFT_SHIFT
                        ? x << shift
                        : kind == Tree.Kind.RIGHT_SHIFT ? x >> shift : x >>> shift;
            }
            int x = a.intValue();
            return kind == Tree.Kind.LEFT_SHIFT ? x << shift : kind == Tree.Kind.RIGHT_SHIFT ? x >> shift : x >>> shift;
        }
        if (a instanceof Double || a instanceof Float || b instanceof Double || b instanceof Float) {
            double x = a.doubleValue();
            double y = b.doubleValue();
            return switch (kind) {
                case PLUS -> x + y;
                case MINUS -> x - y;
                case MULTIPLY -> x * y;
                case DIVIDE -> x / y;
                case REMAINDER -> x % y;
                default -> UNKNOWN;
            };
        }
        if (a instanceof Long || b instanceof Long) {
            long x = a.longValue();
            long y = b.longValue();
            return switch (kind) {
                case PLUS -> x + y;
                case MINUS -> x - y;
                case MULTIPLY -> x * y;
                case DIVIDE -> x / y;
                case REMAINDER -> x % y;
                case AND -> x & y;
                case OR -> x | y;
                case XOR -> x ^ y;
                default -> UNKNOWN;
            };
        }
        int x = a.intValue();
        int y = b.intValue();
        return switch (kind) {
            case PLUS -> x + y;
            case MINUS -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> x / y;
            case REMAINDER -> x % y;
            case AND -> x & y;
            case OR -> x | y;
            case XOR -> x ^ y;
            default -> UNKNOWN;
        };
    }

    private static Number number(Object v) {
        return v instanceof Character c ? (Number) (int) c : (Number) v;
    }

    private static Object castTo(TypeKind kind, Object v) {
        if (!(v instanceof Number || v instanceof Character)) {
            return UNKNOWN;
        }
        Number n = number(v);
        return switch (kind) {
            case BYTE -> (int) n.byteValue();
            case SHORT -> (int) n.shortValue();
            case CHAR -> (char) n.intValue();
            case INT -> n.intValue();
            case LONG -> n.longValue();
            case FLOAT -> n.floatValue();
            case DOUBLE -> n.doubleValue();
            default -> UNKNOWN;
        };
    }

    // ------------------------------------------------------------------ conversion to the field's type

    private Object convert(Object value, TypeMirror type) {
        if (value == UNKNOWN) {
            return UNKNOWN;
        }
        TypeKind kind = unboxed(type);
        switch (kind) {
            case BOOLEAN:
                return value instanceof Boolean ? value : UNKNOWN;
            case BYTE, SHORT, INT, LONG:
                return value instanceof Number n && !(n instanceof Double || n instanceof Float)
                        ? (Object) n.longValue()
                        : value instanceof Character c ? (Object) (long) c : UNKNOWN;
            case FLOAT, DOUBLE: {
                if (!(value instanceof Number || value instanceof Character)) {
                    return UNKNOWN;
                }
                // a float as written (0.1f is "0.1", not its double expansion)
                double d = kind == TypeKind.FLOAT || value instanceof Float
                        ? Double.parseDouble(Float.toString(number(value).floatValue()))
                        : number(value).doubleValue();
                return Double.isFinite(d) ? (Object) d : UNKNOWN;
            }
            case CHAR:
                return value instanceof Character c ? String.valueOf(c) : UNKNOWN;
            case ARRAY:
                return elements(value, ((ArrayType) type).getComponentType());
            default:
                break;
        }
        if (type.getKind() != TypeKind.DECLARED) {
            return UNKNOWN;
        }
        DeclaredType declared = (DeclaredType) type;
        TypeElement element = (TypeElement) declared.asElement();
        String name = element.getQualifiedName().toString();
        if (element.getKind() == ElementKind.ENUM) {
            if (value instanceof Name n) {
                for (Element e : element.getEnclosedElements()) {
                    if (e.getKind() == ElementKind.ENUM_CONSTANT
                            && e.getSimpleName().contentEquals(n.simple())) {
                        return n.simple();
                    }
                }
            }
            return UNKNOWN;
        }
        if (value instanceof Name) {
            return UNKNOWN;
        }
        if (name.equals("java.lang.String")
                || name.equals("java.nio.file.Path")
                || name.equals("java.io.File")
                || name.equals("java.time.Duration")) {
            return value instanceof String ? value : UNKNOWN;
        }
        if (isSubtype(declared, "java.util.Map")) {
            return value instanceof List<?> list && list.isEmpty() ? Map.of() : UNKNOWN;
        }
        if (isSubtype(declared, "java.util.Collection")) {
            List<? extends TypeMirror> args = declared.getTypeArguments();
            return args.size() == 1 ? elements(value, args.get(0)) : UNKNOWN;
        }
        return UNKNOWN;
    }

    private Object elements(Object value, TypeMirror itemType) {
        if (!(value instanceof List<?> list)) {
            return UNKNOWN;
        }
        List<Object> out = new ArrayList<>();
        for (Object item : list) {
            Object converted = convert(item, itemType);
            if (converted == UNKNOWN) {
                return UNKNOWN;
            }
            out.add(converted);
        }
        return out;
    }

    private TypeKind unboxed(TypeMirror type) {
        if (type.getKind().isPrimitive()) {
            return type.getKind();
        }
        try {
            return types.unboxedType(type).getKind();
        } catch (IllegalArgumentException e) {
            return type.getKind();
        }
    }

    private boolean isSubtype(DeclaredType type, String supertype) {
        TypeElement sup = elements.getTypeElement(supertype);
        return sup != null && types.isSubtype(types.erasure(type), types.erasure(sup.asType()));
    }
}
