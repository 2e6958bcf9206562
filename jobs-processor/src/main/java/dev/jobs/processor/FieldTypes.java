package dev.jobs.processor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Decides at compile time whether the state codec can write a field's value and read it back into
 * the same type, following type arguments, array components, record components and the fields of
 * the user's own classes. It accepts exactly the types the runtime's Jackson configuration
 * round-trips (the runtime's {@code StateCodecTest} checks each of them); anything else is a
 * {@link Problem} naming the offending type and where in the field's type it sits.
 */
final class FieldTypes {

    /**
     * Why a type cannot be held. {@code where} locates the offending type inside the field's type
     * by the nested fields that lead to it ({@code "Plan.items, Item.lock"}), "" for the field's own type.
     */
    record Problem(String where, String reason) {}

    /** JDK value types the codec writes as a scalar and reads back unchanged. */
    static final Set<String> SCALARS = Set.of(
            "java.lang.String",
            "java.lang.Boolean",
            "java.lang.Character",
            "java.lang.Byte",
            "java.lang.Short",
            "java.lang.Integer",
            "java.lang.Long",
            "java.lang.Float",
            "java.lang.Double",
            "java.math.BigInteger",
            "java.math.BigDecimal",
            "java.util.UUID",
            "java.util.Locale",
            "java.util.Currency",
            "java.util.OptionalInt",
            "java.util.OptionalLong",
            "java.util.OptionalDouble",
            "java.util.concurrent.atomic.AtomicBoolean",
            "java.util.concurrent.atomic.AtomicInteger",
            "java.util.concurrent.atomic.AtomicLong",
            "java.nio.file.Path",
            "java.io.File",
            "java.net.URI",
            "java.net.URL",
            "java.time.Instant",
            "java.time.Duration",
            "java.time.Period",
            "java.time.LocalDate",
            "java.time.LocalTime",
            "java.time.LocalDateTime",
            "java.time.OffsetDateTime",
            "java.time.OffsetTime",
            "java.time.ZonedDateTime",
            "java.time.Year",
            "java.time.YearMonth",
            "java.time.MonthDay",
            "java.time.ZoneId",
            "java.time.ZoneOffset");

    /** Map keys the codec writes as a string and reads back. */
    private static final Set<String> KEYS = Set.of(
            "java.lang.String",
            "java.lang.Byte",
            "java.lang.Short",
            "java.lang.Integer",
            "java.lang.Long",
            "java.lang.Float",
            "java.lang.Double",
            "java.math.BigInteger",
            "java.math.BigDecimal",
            "java.util.UUID");

    /** Collection interfaces the codec reads back as a default implementation of the same interface. */
    private static final Set<String> COLLECTION_INTERFACES = Set.of(
            "java.util.Collection",
            "java.util.List",
            "java.util.Set",
            "java.util.SortedSet",
            "java.util.NavigableSet",
            "java.util.Queue",
            "java.util.Deque");

    private static final Set<String> MAP_INTERFACES = Set.of(
            "java.util.Map",
            "java.util.SortedMap",
            "java.util.NavigableMap",
            "java.util.concurrent.ConcurrentMap",
            "java.util.concurrent.ConcurrentNavigableMap");

    private static final Map<String, String> ADVICE = Map.of(
            "java.lang.Number", "use a concrete type such as long, double or BigDecimal",
            "java.lang.CharSequence", "use String",
            "java.util.Date", "use Instant",
            "java.util.Calendar", "use ZonedDateTime",
            "java.lang.Iterable", "use List or Set");

    private final Types types;
    private final Elements elements;
    private final Set<String> inProgress = new HashSet<>();
    private final Map<String, Optional<Problem>> done = new HashMap<>();

    FieldTypes(ProcessingEnvironment env) {
        this.types = env.getTypeUtils();
        this.elements = env.getElementUtils();
    }

    /** Empty if a field of this type can be saved and restored, else the first problem found. */
    Optional<Problem> check(TypeMirror type) {
        return check(type, "");
    }

    private Optional<Problem> check(TypeMirror type, String where) {
        switch (type.getKind()) {
            case BOOLEAN, BYTE, SHORT, INT, LONG, CHAR, FLOAT, DOUBLE:
                return Optional.empty();
            case ERROR:
                return Optional.empty(); // javac reports the unknown type itself
            case ARRAY:
                return check(((ArrayType) type).getComponentType(), where);
            case DECLARED:
                return declared((DeclaredType) type, where);
            case TYPEVAR:
                return problem(
                        where,
                        type + " is a type variable, so the state codec could not tell which class to read back;"
                                + " use a concrete type");
            default:
                return problem(where, name(type) + " is not a type the state codec can write and read back");
        }
    }

    private Optional<Problem> declared(DeclaredType type, String where) {
        TypeElement element = (TypeElement) type.asElement();
        String name = element.getQualifiedName().toString();
        if (SCALARS.contains(name) || element.getKind() == ElementKind.ENUM) {
            return Optional.empty();
        }
        if (!element.getTypeParameters().isEmpty() && type.getTypeArguments().isEmpty()) {
            return problem(
                    where,
                    name(type) + " is a raw type, so the state codec could not tell the type of what it holds;"
                            + " give its type arguments, as in " + name(type) + "<String>");
        }
        if (name.equals("java.util.Optional")) {
            return argument(type, 0, where, name(type));
        }
        if (name.equals("java.util.EnumSet")) {
            return Optional.empty(); // its element is an enum by its bound
        }
        if (name.equals("java.util.EnumMap")) {
            return argument(type, 1, where, name(type));
        }
        if (isSubtype(type, "java.util.Map")) {
            return map(type, element, where);
        }
        if (isSubtype(type, "java.util.Collection")) {
            return collection(type, element, where);
        }
        if (name.equals("java.lang.Object")) {
            return problem(
                    where,
                    "Object can hold anything, so the state codec could not tell which class to read back;"
                            + " declare the type of the value");
        }
        if (isJdk(name)) {
            String advice = ADVICE.get(name);
            String kind = element.getKind() == ElementKind.INTERFACE
                    ? " is an interface, so the state codec could not tell which class to read back"
                    : " is not one of the JDK types the state codec can write and read back";
            return problem(where, name(type) + kind + (advice == null ? "" : "; " + advice));
        }
        String key = type.toString();
        if (inProgress.contains(key)) {
            return Optional.empty(); // a recursive type: checked once, where it started
        }
        Optional<Problem> known = done.get(key);
        if (known != null) {
            return known.map(p -> new Problem(join(where, p.where()), p.reason()));
        }
        inProgress.add(key);
        Optional<Problem> found;
        try {
            found = userType(type, element);
        } finally {
            inProgress.remove(key);
        }
        done.put(key, found);
        return found.map(p -> new Problem(join(where, p.where()), p.reason()));
    }

    private Optional<Problem> map(DeclaredType type, TypeElement element, String where) {
        String name = element.getQualifiedName().toString();
        if (isAbstract(element) && !MAP_INTERFACES.contains(name)) {
            return problem(
                    where,
                    name(type) + " is abstract, so the state codec could not tell which class to read back;"
                            + " use Map, SortedMap or a concrete map such as HashMap or TreeMap");
        }
        if (!isAbstract(element) && !hasNoArgConstructor(element)) {
            return problem(where, name(type) + " has no no-argument constructor the state codec can read it back with");
        }
        TypeMirror key = typeArgumentOf(type, "java.util.Map", 0);
        TypeMirror value = typeArgumentOf(type, "java.util.Map", 1);
        if (key == null || value == null) {
            return problem(where, name(type) + " does not say the types of its keys and values; give them");
        }
        Optional<TypeMirror> keyType = bound(key);
        if (keyType.isEmpty()) {
            return problem(where, name(type) + " has wildcard keys; give a concrete key type");
        }
        if (!isKey(keyType.get())) {
            return problem(
                    where,
                    name(type) + " has keys of type " + name(keyType.get())
                            + "; map keys must be String, an enum, a number or UUID");
        }
        return argumentType(value, where, name(type));
    }

    private Optional<Problem> collection(DeclaredType type, TypeElement element, String where) {
        String name = element.getQualifiedName().toString();
        if (isAbstract(element) && !COLLECTION_INTERFACES.contains(name)) {
            return problem(
                    where,
                    name(type) + " is abstract, so the state codec could not tell which class to read back;"
                            + " use List, Set, SortedSet or a concrete collection such as ArrayList");
        }
        if (!isAbstract(element) && !hasNoArgConstructor(element)) {
            return problem(where, name(type) + " has no no-argument constructor the state codec can read it back with");
        }
        TypeMirror item = typeArgumentOf(type, "java.util.Collection", 0);
        if (item == null) {
            return problem(where, name(type) + " does not say the type of its elements; give it");
        }
        Optional<TypeMirror> itemType = bound(item);
        if (itemType.isPresent() && isSorted(type) && !isComparable(itemType.get())) {
            return problem(
                    where,
                    name(type) + " is restored in the natural order of its elements, but " + name(itemType.get())
                            + " is not Comparable");
        }
        return argumentType(item, where, name(type));
    }

    private Optional<Problem> argument(DeclaredType type, int index, String where, String container) {
        return argumentType(type.getTypeArguments().get(index), where, container);
    }

    private Optional<Problem> argumentType(TypeMirror argument, String where, String container) {
        Optional<TypeMirror> bound = bound(argument);
        if (bound.isEmpty()) {
            return problem(
                    where,
                    container + " has a wildcard type argument ('" + argument
                            + "'), so the state codec could not tell which class to read back; give a concrete type");
        }
        return check(bound.get(), where);
    }

    /** The upper bound of a {@code ? extends X} wildcard, the type itself if no wildcard, else empty. */
    private static Optional<TypeMirror> bound(TypeMirror argument) {
        if (argument.getKind() == TypeKind.WILDCARD) {
            return Optional.ofNullable(((WildcardType) argument).getExtendsBound());
        }
        return Optional.of(argument);
    }

    /** A record, or a class of the user's: concrete, constructible and made of checkable fields. */
    private Optional<Problem> userType(DeclaredType type, TypeElement element) {
        String simple = name(type);
        switch (element.getKind()) {
            case INTERFACE, ANNOTATION_TYPE:
                return problem(
                        "",
                        simple + " is an interface, so the state codec could not tell which class to read back;"
                                + " use a concrete class or a record");
            case RECORD:
                return fields(type, element, true);
            default:
                break;
        }
        if (isAbstract(element)) {
            return problem(
                    "",
                    simple + " is abstract, so the state codec could not tell which class to read back;"
                            + " use a concrete class or a record");
        }
        if (element.getNestingKind() == NestingKind.LOCAL || element.getNestingKind() == NestingKind.ANONYMOUS) {
            return problem(
                    "", simple + " is a local or anonymous class; declare it as a top-level or static nested class");
        }
        if (element.getNestingKind() == NestingKind.MEMBER
                && !element.getModifiers().contains(Modifier.STATIC)) {
            return problem(
                    "",
                    simple + " is an inner (non-static) class, which the state codec cannot create; declare it static");
        }
        if (!hasNoArgConstructor(element) && !hasJsonCreator(element)) {
            return problem(
                    "",
                    simple + " has no constructor the state codec can use to read it back;"
                            + " add a no-argument constructor (it may be private)");
        }
        for (TypeMirror s = element.getSuperclass(); s.getKind() == TypeKind.DECLARED; ) {
            TypeElement parent = (TypeElement) ((DeclaredType) s).asElement();
            String parentName = parent.getQualifiedName().toString();
            if (parentName.equals("java.lang.Object")) {
                break;
            }
            if (isJdk(parentName)) {
                return problem(
                        "",
                        simple + " extends " + parent.getSimpleName()
                                + ", a JDK class whose fields the state codec cannot save");
            }
            s = parent.getSuperclass();
        }
        return fields(type, element, false);
    }

    private Optional<Problem> fields(DeclaredType type, TypeElement element, boolean record) {
        String owner = element.getSimpleName().toString();
        for (VariableElement field :
                record ? ElementFilter.fieldsIn(element.getEnclosedElements()) : persisted(element)) {
            if (field.getModifiers().contains(Modifier.STATIC)) {
                continue;
            }
            TypeMirror fieldType = types.asMemberOf(type, field);
            Optional<Problem> found = check(fieldType, owner + "." + field.getSimpleName());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Non-static, non-transient fields of a class and its superclasses outside the JDK, superclass first. */
    static List<VariableElement> persisted(TypeElement type) {
        List<VariableElement> fields = new ArrayList<>();
        TypeMirror superclass = type.getSuperclass();
        if (superclass instanceof DeclaredType declared) {
            TypeElement parent = (TypeElement) declared.asElement();
            if (!isJdk(parent.getQualifiedName().toString())) {
                fields.addAll(persisted(parent));
            }
        }
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            if (!field.getModifiers().contains(Modifier.STATIC)
                    && !field.getModifiers().contains(Modifier.TRANSIENT)) {
                fields.add(field);
            }
        }
        return fields;
    }

    private boolean isKey(TypeMirror key) {
        if (key.getKind() != TypeKind.DECLARED) {
            return false;
        }
        TypeElement element = (TypeElement) ((DeclaredType) key).asElement();
        return element.getKind() == ElementKind.ENUM
                || KEYS.contains(element.getQualifiedName().toString());
    }

    private boolean isSorted(DeclaredType type) {
        return isSubtype(type, "java.util.SortedSet")
                || isSubtype(type, "java.util.PriorityQueue")
                || isSubtype(type, "java.util.concurrent.PriorityBlockingQueue");
    }

    private boolean isComparable(TypeMirror type) {
        if (type.getKind() == TypeKind.TYPEVAR || type.getKind() == TypeKind.ERROR) {
            return true; // reported elsewhere, or by javac
        }
        TypeElement comparable = elements.getTypeElement("java.lang.Comparable");
        return types.isAssignable(types.erasure(type), types.erasure(comparable.asType()));
    }

    private static boolean hasNoArgConstructor(TypeElement type) {
        for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            if (c.getParameters().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasJsonCreator(TypeElement type) {
        for (Element e : type.getEnclosedElements()) {
            if (e.getKind() == ElementKind.CONSTRUCTOR || e.getKind() == ElementKind.METHOD) {
                for (AnnotationMirror a : e.getAnnotationMirrors()) {
                    if (((TypeElement) a.getAnnotationType().asElement())
                            .getQualifiedName()
                            .contentEquals("com.fasterxml.jackson.annotation.JsonCreator")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isAbstract(TypeElement element) {
        return element.getKind() == ElementKind.INTERFACE
                || element.getModifiers().contains(Modifier.ABSTRACT);
    }

    static boolean isJdk(String qualifiedName) {
        return qualifiedName.startsWith("java.")
                || qualifiedName.startsWith("javax.")
                || qualifiedName.startsWith("jdk.")
                || qualifiedName.startsWith("sun.")
                || qualifiedName.startsWith("com.sun.");
    }

    private boolean isSubtype(DeclaredType type, String supertype) {
        TypeElement sup = elements.getTypeElement(supertype);
        return sup != null && types.isSubtype(types.erasure(type), types.erasure(sup.asType()));
    }

    /** The {@code index}th type argument of {@code target} as seen from {@code type}; null if raw. */
    private TypeMirror typeArgumentOf(TypeMirror type, String target, int index) {
        if (type instanceof DeclaredType declared
                && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(target)) {
            List<? extends TypeMirror> args = declared.getTypeArguments();
            return args.size() > index ? args.get(index) : null;
        }
        for (TypeMirror sup : types.directSupertypes(type)) {
            if (types.isSubtype(
                    types.erasure(sup),
                    types.erasure(elements.getTypeElement(target).asType()))) {
                return typeArgumentOf(sup, target, index);
            }
        }
        return null;
    }

    private static String join(String outer, String inner) {
        return outer.isEmpty() ? inner : inner.isEmpty() ? outer : outer + ", " + inner;
    }

    private static Optional<Problem> problem(String where, String reason) {
        return Optional.of(new Problem(where, reason));
    }

    /** A type as written in source, with simple names: {@code Map<String, List<Path>>}. */
    static String name(TypeMirror type) {
        switch (type.getKind()) {
            case DECLARED: {
                DeclaredType declared = (DeclaredType) type;
                StringBuilder s = new StringBuilder(simpleName((TypeElement) declared.asElement()));
                List<? extends TypeMirror> args = declared.getTypeArguments();
                if (!args.isEmpty()) {
                    s.append('<');
                    for (int i = 0; i < args.size(); i++) {
                        s.append(i == 0 ? "" : ", ").append(name(args.get(i)));
                    }
                    s.append('>');
                }
                return s.toString();
            }
            case ARRAY:
                return name(((ArrayType) type).getComponentType()) + "[]";
            case WILDCARD: {
                WildcardType w = (WildcardType) type;
                return w.getExtendsBound() != null
                        ? "? extends " + name(w.getExtendsBound())
                        : w.getSuperBound() != null ? "? super " + name(w.getSuperBound()) : "?";
            }
            default:
                return type.toString();
        }
    }

    /** {@code Outer.Inner} for a nested class, the simple name otherwise. */
    private static String simpleName(TypeElement type) {
        String name = type.getSimpleName().toString();
        Element enclosing = type.getEnclosingElement();
        return enclosing instanceof TypeElement outer ? simpleName(outer) + "." + name : name;
    }
}
