package dev.jobs.processor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
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
 * Computes a job's parameter schema at compile time, from the same fields the runtime codec
 * persists: every non-static, non-transient field, superclass fields first. The result is a
 * JSON-Schema-like document; {@code @Param(required = true)} fields are listed in {@code required}.
 *
 * <p>Mapping: booleans to boolean; integral types to integer; floating types and BigDecimal to
 * number; String, char, UUID, Path, File, URI and java.time types to string (with a format);
 * enums to a string enum; arrays and collections to array; maps to object with
 * additionalProperties; Optional to its element; other classes and records to a nested object.
 */
final class SchemaBuilder {

    private static final Map<String, String[]> STRING_TYPES = Map.ofEntries(
            Map.entry("java.lang.String", new String[] {null}),
            Map.entry("java.lang.CharSequence", new String[] {null}),
            Map.entry("java.lang.Character", new String[] {null}),
            Map.entry("java.util.UUID", new String[] {"uuid"}),
            Map.entry("java.nio.file.Path", new String[] {"path"}),
            Map.entry("java.io.File", new String[] {"path"}),
            Map.entry("java.net.URI", new String[] {"uri"}),
            Map.entry("java.net.URL", new String[] {"uri"}),
            Map.entry("java.time.Instant", new String[] {"date-time"}),
            Map.entry("java.time.OffsetDateTime", new String[] {"date-time"}),
            Map.entry("java.time.ZonedDateTime", new String[] {"date-time"}),
            Map.entry("java.time.LocalDateTime", new String[] {"date-time"}),
            Map.entry("java.time.LocalDate", new String[] {"date"}),
            Map.entry("java.time.LocalTime", new String[] {"time"}),
            Map.entry("java.time.Duration", new String[] {"duration"}));
    private static final List<String> INTEGER_TYPES = List.of(
            "java.lang.Byte",
            "java.lang.Short",
            "java.lang.Integer",
            "java.lang.Long",
            "java.math.BigInteger",
            "java.util.concurrent.atomic.AtomicInteger",
            "java.util.concurrent.atomic.AtomicLong");
    private static final List<String> NUMBER_TYPES =
            List.of("java.lang.Float", "java.lang.Double", "java.math.BigDecimal", "java.lang.Number");

    private final Types types;
    private final Elements elements;
    private final Deque<String> expanding = new ArrayDeque<>();

    SchemaBuilder(ProcessingEnvironment env) {
        this.types = env.getTypeUtils();
        this.elements = env.getElementUtils();
    }

    String jobSchema(TypeElement job, String name, String description) {
        Json json = new Json();
        json.beginObject();
        json.key("$schema").value("https://json-schema.org/draft/2020-12/schema");
        json.key("title").value(name);
        if (!description.isEmpty()) {
            json.key("description").value(description);
        }
        writeObject(json, job, true);
        json.endObject();
        return json.toString();
    }

    /** Writes type/properties/required of a class's persisted fields into the open object. */
    private void writeObject(Json json, TypeElement type, boolean closed) {
        json.key("type").value("object");
        json.key("properties").beginObject();
        List<String> required = new ArrayList<>();
        expanding.push(type.getQualifiedName().toString());
        for (VariableElement field : persistedFields(type)) {
            json.key(field.getSimpleName().toString()).beginObject();
            AnnotationMirror param = paramAnnotation(field);
            if (param != null) {
                String description = JobChecker.stringValue(param, "description", "");
                if (!description.isEmpty()) {
                    json.key("description").value(description);
                }
                if (JobChecker.booleanValue(param, "required", true)) {
                    required.add(field.getSimpleName().toString());
                }
            }
            writeType(json, field.asType());
            json.endObject();
        }
        expanding.pop();
        json.endObject();
        json.key("required").beginArray();
        required.forEach(json::value);
        json.endArray();
        if (closed) {
            json.key("additionalProperties").value(false);
        }
    }

    private void writeType(Json json, TypeMirror type) {
        switch (type.getKind()) {
            case BOOLEAN -> json.key("type").value("boolean");
            case BYTE, SHORT, INT, LONG -> json.key("type").value("integer");
            case FLOAT, DOUBLE -> json.key("type").value("number");
            case CHAR -> json.key("type").value("string");
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
            default -> {} // type variables, wildcards: any value
        }
    }

    private void writeDeclared(Json json, DeclaredType type) {
        TypeElement element = (TypeElement) type.asElement();
        String name = element.getQualifiedName().toString();
        if (name.equals("java.lang.Boolean")) {
            json.key("type").value("boolean");
        } else if (INTEGER_TYPES.contains(name)) {
            json.key("type").value("integer");
        } else if (NUMBER_TYPES.contains(name)) {
            json.key("type").value("number");
        } else if (STRING_TYPES.containsKey(name)) {
            json.key("type").value("string");
            String format = STRING_TYPES.get(name)[0];
            if (format != null) {
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
            writeType(json, argument(type, 0));
        } else if (isSubtype(type, "java.util.Map")) {
            json.key("type").value("object");
            json.key("additionalProperties").beginObject();
            writeType(json, mapValue(type));
            json.endObject();
        } else if (isSubtype(type, "java.lang.Iterable")) {
            json.key("type").value("array");
            json.key("items").beginObject();
            writeType(json, iterableElement(type));
            json.endObject();
        } else if (name.equals("java.lang.Object") || name.startsWith("java.") || name.startsWith("javax.")) {
            // an unknown JDK type: accept any value rather than guess a shape
        } else if (expanding.contains(name)) {
            json.key("type").value("object"); // recursive type: stop expanding
        } else if (element.getKind() == ElementKind.RECORD) {
            writeRecord(json, element);
        } else {
            writeObject(json, element, false);
        }
    }

    private void writeRecord(Json json, TypeElement record) {
        json.key("type").value("object");
        json.key("properties").beginObject();
        List<String> required = new ArrayList<>();
        expanding.push(record.getQualifiedName().toString());
        for (Element e : record.getEnclosedElements()) {
            if (e.getKind() == ElementKind.FIELD && !e.getModifiers().contains(Modifier.STATIC)) {
                json.key(e.getSimpleName().toString()).beginObject();
                AnnotationMirror param = paramAnnotation(e);
                if (param != null && JobChecker.booleanValue(param, "required", true)) {
                    required.add(e.getSimpleName().toString());
                }
                writeType(json, e.asType());
                json.endObject();
            }
        }
        expanding.pop();
        json.endObject();
        json.key("required").beginArray();
        required.forEach(json::value);
        json.endArray();
    }

    /** Non-static, non-transient fields, superclass first: the fields the runtime codec persists. */
    static List<VariableElement> persistedFields(TypeElement type) {
        List<VariableElement> fields = new ArrayList<>();
        TypeMirror superclass = type.getSuperclass();
        if (superclass instanceof DeclaredType declared) {
            TypeElement parent = (TypeElement) declared.asElement();
            if (!parent.getQualifiedName().toString().startsWith("java.")) {
                fields.addAll(persistedFields(parent));
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

    private static AnnotationMirror paramAnnotation(Element field) {
        for (AnnotationMirror m : field.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement())
                    .getQualifiedName()
                    .contentEquals("dev.jobs.Param")) {
                return m;
            }
        }
        return null;
    }

    private boolean isSubtype(DeclaredType type, String supertype) {
        TypeElement sup = elements.getTypeElement(supertype);
        return sup != null && types.isSubtype(types.erasure(type), types.erasure(sup.asType()));
    }

    private TypeMirror mapValue(DeclaredType type) {
        return typeArgumentOf(type, "java.util.Map", 1);
    }

    private TypeMirror iterableElement(DeclaredType type) {
        return typeArgumentOf(type, "java.lang.Iterable", 0);
    }

    /** The {@code index}th type argument of {@code target} as seen from {@code type}. */
    private TypeMirror typeArgumentOf(TypeMirror type, String target, int index) {
        TypeMirror found = findTypeArgument(type, target, index);
        return found != null
                ? found
                : elements.getTypeElement("java.lang.Object").asType();
    }

    private TypeMirror findTypeArgument(TypeMirror type, String target, int index) {
        if (type instanceof DeclaredType declared
                && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(target)) {
            return argument(declared, index);
        }
        for (TypeMirror sup : types.directSupertypes(type)) {
            TypeMirror found = findTypeArgument(sup, target, index);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private TypeMirror argument(DeclaredType type, int index) {
        List<? extends TypeMirror> args = type.getTypeArguments();
        if (args.size() <= index) {
            return elements.getTypeElement("java.lang.Object").asType();
        }
        TypeMirror arg = args.get(index);
        if (arg.getKind() == TypeKind.WILDCARD) {
            TypeMirror bound = ((javax.lang.model.type.WildcardType) arg).getExtendsBound();
            return bound != null
                    ? bound
                    : elements.getTypeElement("java.lang.Object").asType();
        }
        return arg;
    }
}
