package dev.jobs.processor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
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
 * Computes a job's parameter schema at compile time: its {@code @Param} fields (superclass fields
 * first), which of them are required, and their defaults where the initializer can be evaluated.
 * The result is a JSON-Schema-like document the runtime validates dispatch parameters against.
 *
 * <p>Mapping: booleans to boolean; integral types to integer (with their range); floating types
 * and BigDecimal to number; String, char, UUID, Path, File, URI and java.time types to string
 * (with a format); enums to a string enum; arrays and collections to array; maps to object with
 * additionalProperties; Optional to its element; records and other classes to a closed nested
 * object of their persisted fields.
 */
final class SchemaBuilder {

    static final String PARAM = "dev.jobs.Param";

    private static final Map<String, String> STRING_TYPES = Map.ofEntries(
            Map.entry("java.lang.String", ""),
            Map.entry("java.util.UUID", "uuid"),
            Map.entry("java.util.Locale", ""),
            Map.entry("java.util.Currency", ""),
            Map.entry("java.nio.file.Path", "path"),
            Map.entry("java.io.File", "path"),
            Map.entry("java.net.URI", "uri"),
            Map.entry("java.net.URL", "uri"),
            Map.entry("java.time.Instant", "date-time"),
            Map.entry("java.time.OffsetDateTime", "date-time"),
            Map.entry("java.time.ZonedDateTime", "date-time"),
            Map.entry("java.time.LocalDateTime", "date-time"),
            Map.entry("java.time.LocalDate", "date"),
            Map.entry("java.time.LocalTime", "time"),
            Map.entry("java.time.OffsetTime", "time"),
            Map.entry("java.time.Duration", "duration"),
            Map.entry("java.time.Period", "duration"),
            Map.entry("java.time.YearMonth", ""),
            Map.entry("java.time.MonthDay", ""),
            Map.entry("java.time.ZoneId", ""),
            Map.entry("java.time.ZoneOffset", ""));
    private static final Map<String, long[]> INTEGER_RANGES = Map.of(
            "java.lang.Byte", new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE},
            "java.lang.Short", new long[] {Short.MIN_VALUE, Short.MAX_VALUE},
            "java.lang.Integer", new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
            "java.lang.Long", new long[] {Long.MIN_VALUE, Long.MAX_VALUE},
            "java.util.concurrent.atomic.AtomicInteger", new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
            "java.util.concurrent.atomic.AtomicLong", new long[] {Long.MIN_VALUE, Long.MAX_VALUE},
            "java.util.OptionalInt", new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE},
            "java.util.OptionalLong", new long[] {Long.MIN_VALUE, Long.MAX_VALUE});

    private final Types types;
    private final Elements elements;
    private final Sources sources;
    private final Defaults defaults;
    private final Deque<String> expanding = new ArrayDeque<>();

    SchemaBuilder(ProcessingEnvironment env, Sources sources) {
        this.types = env.getTypeUtils();
        this.elements = env.getElementUtils();
        this.sources = sources;
        this.defaults = new Defaults(env);
    }

    String jobSchema(TypeElement job, String name, String description) {
        Json json = new Json();
        json.beginObject();
        json.key("$schema").value("https://json-schema.org/draft/2020-12/schema");
        json.key("title").value(name);
        if (!description.isEmpty()) {
            json.key("description").value(description);
        }
        List<VariableElement> params = new ArrayList<>();
        for (VariableElement field : FieldTypes.persisted(job)) {
            if (paramAnnotation(field) != null) {
                params.add(field);
            }
        }
        writeObject(json, (DeclaredType) job.asType(), job, params);
        json.endObject();
        return json.toString();
    }

    /** Writes type, properties, required and additionalProperties of these fields into the open object. */
    private void writeObject(Json json, DeclaredType owner, TypeElement type, List<VariableElement> fields) {
        json.key("type").value("object");
        json.key("properties").beginObject();
        List<String> required = new ArrayList<>();
        expanding.push(type.getQualifiedName().toString());
        for (VariableElement field : fields) {
            String name = field.getSimpleName().toString();
            TypeMirror fieldType = types.asMemberOf(owner, field);
            json.key(name).beginObject();
            AnnotationMirror param = paramAnnotation(field);
            Optional<Object> defaultValue = Optional.empty();
            if (param != null) {
                String description = JobChecker.stringValue(param, "description", "");
                if (!description.isEmpty()) {
                    json.key("description").value(description);
                }
                if (isRequired(field, param)) {
                    required.add(name);
                } else {
                    defaultValue = defaultValue(field, fieldType, type);
                }
            }
            writeType(json, fieldType);
            defaultValue.ifPresent(v -> json.key("default").any(v));
            json.endObject();
        }
        expanding.pop();
        json.endObject();
        json.key("required").beginArray();
        required.forEach(json::value);
        json.endArray();
        json.key("additionalProperties").value(false);
    }

    /**
     * {@code required} as written; when not written, a field with an initializer is optional and
     * one without is required (also when the source cannot be read).
     */
    boolean isRequired(VariableElement field, AnnotationMirror param) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
                param.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals("required")) {
                return (Boolean) e.getValue().getValue();
            }
        }
        return !sources.hasInitializer(field).orElse(false);
    }

    /**
     * The value a new job starts with, when it is known: the evaluated initializer, or a
     * primitive's zero when there is none, provided no constructor or initializer block assigns
     * the field.
     */
    private Optional<Object> defaultValue(VariableElement field, TypeMirror type, TypeElement job) {
        Set<TypeElement> classes = new LinkedHashSet<>();
        classes.add(job);
        classes.add((TypeElement) field.getEnclosingElement());
        if (sources.assignedOutsideDeclaration(field, classes)) {
            return Optional.empty();
        }
        Optional<Boolean> hasInitializer = sources.hasInitializer(field);
        if (hasInitializer.isEmpty()) {
            return Optional.empty();
        }
        if (hasInitializer.get()) {
            return sources.initializer(field)
                    .flatMap(init -> defaults.of(init, type, (TypeElement) field.getEnclosingElement()));
        }
        return switch (type.getKind()) {
            case BOOLEAN -> Optional.of(false);
            case BYTE, SHORT, INT, LONG -> Optional.of(0L);
            case FLOAT, DOUBLE -> Optional.of(0.0);
            default -> Optional.empty();
        };
    }

    private void writeType(Json json, TypeMirror type) {
        switch (type.getKind()) {
            case BOOLEAN -> json.key("type").value("boolean");
            case BYTE -> integer(json, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SHORT -> integer(json, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT -> integer(json, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case LONG -> integer(json, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT -> json.key("type").value("number").key("format").value("float");
            case DOUBLE -> json.key("type").value("number");
            case CHAR -> character(json);
            case ARRAY -> {
                TypeMirror component = ((ArrayType) type).getComponentType();
                if (component.getKind() == TypeKind.BYTE) {
                    json.key("type").value("string");
                    json.key("contentEncoding").value("base64");
                } else {
                    json.key("type").value("array");
                    json.key("items").beginObject();
                    writeType(json, component);
                    json.endObject();
                }
            }
            case DECLARED -> writeDeclared(json, (DeclaredType) type);
            default -> {} // not reached: the processor rejects other types first
        }
    }

    private static void integer(Json json, long min, long max) {
        json.key("type").value("integer");
        json.key("minimum").value(min);
        json.key("maximum").value(max);
    }

    private static void character(Json json) {
        json.key("type").value("string");
        json.key("minLength").value(1L);
        json.key("maxLength").value(1L);
    }

    private void writeDeclared(Json json, DeclaredType type) {
        TypeElement element = (TypeElement) type.asElement();
        String name = element.getQualifiedName().toString();
        if (name.equals("java.lang.Boolean") || name.equals("java.util.concurrent.atomic.AtomicBoolean")) {
            json.key("type").value("boolean");
        } else if (INTEGER_RANGES.containsKey(name)) {
            long[] range = INTEGER_RANGES.get(name);
            integer(json, range[0], range[1]);
        } else if (name.equals("java.math.BigInteger") || name.equals("java.time.Year")) {
            json.key("type").value("integer");
        } else if (name.equals("java.lang.Float")) {
            json.key("type").value("number").key("format").value("float");
        } else if (name.equals("java.lang.Double")
                || name.equals("java.math.BigDecimal")
                || name.equals("java.util.OptionalDouble")) {
            json.key("type").value("number");
        } else if (name.equals("java.lang.Character")) {
            character(json);
        } else if (STRING_TYPES.containsKey(name)) {
            json.key("type").value("string");
            String format = STRING_TYPES.get(name);
            if (!format.isEmpty()) {
                json.key("format").value(format);
            }
        } else if (element.getKind() == ElementKind.ENUM) {
            json.key("type").value("string");
            json.key("enum").beginArray();
            for (Element e : element.getEnclosedElements()) {
                if (e.getKind() == ElementKind.ENUM_CONSTANT) {
                    json.value(e.getSimpleName().toString());
                }
            }
            json.endArray();
        } else if (name.equals("java.util.Optional")) {
            writeType(json, type.getTypeArguments().get(0));
        } else if (isSubtype(type, "java.util.Map")) {
            json.key("type").value("object");
            json.key("additionalProperties").beginObject();
            writeType(json, typeArgumentOf(type, "java.util.Map", 1));
            json.endObject();
        } else if (isSubtype(type, "java.util.Collection")) {
            json.key("type").value("array");
            json.key("items").beginObject();
            writeType(json, typeArgumentOf(type, "java.util.Collection", 0));
            json.endObject();
        } else if (FieldTypes.isJdk(name)) {
            // not reached: the processor rejects other JDK types first
        } else if (expanding.contains(name)) {
            json.key("type").value("object"); // recursive type: stop expanding
        } else if (element.getKind() == ElementKind.RECORD) {
            List<VariableElement> components = new ArrayList<>();
            for (VariableElement field : ElementFilter.fieldsIn(element.getEnclosedElements())) {
                if (!field.getModifiers().contains(Modifier.STATIC)) {
                    components.add(field);
                }
            }
            writeObject(json, type, element, components);
        } else {
            writeObject(json, type, element, FieldTypes.persisted(element));
        }
    }

    static AnnotationMirror paramAnnotation(Element field) {
        for (AnnotationMirror m : field.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement())
                    .getQualifiedName()
                    .contentEquals(PARAM)) {
                return m;
            }
        }
        return null;
    }

    private boolean isSubtype(DeclaredType type, String supertype) {
        TypeElement sup = elements.getTypeElement(supertype);
        return sup != null && types.isSubtype(types.erasure(type), types.erasure(sup.asType()));
    }

    /** The {@code index}th type argument of {@code target} as seen from {@code type}, wildcards bounded. */
    private TypeMirror typeArgumentOf(TypeMirror type, String target, int index) {
        TypeMirror found = findTypeArgument(type, target, index);
        if (found != null && found.getKind() == TypeKind.WILDCARD) {
            found = ((javax.lang.model.type.WildcardType) found).getExtendsBound();
        }
        return found != null
                ? found
                : elements.getTypeElement("java.lang.Object").asType();
    }

    private TypeMirror findTypeArgument(TypeMirror type, String target, int index) {
        if (type instanceof DeclaredType declared
                && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(target)) {
            List<? extends TypeMirror> args = declared.getTypeArguments();
            return args.size() > index ? args.get(index) : null;
        }
        for (TypeMirror sup : types.directSupertypes(type)) {
            TypeMirror found = findTypeArgument(sup, target, index);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
