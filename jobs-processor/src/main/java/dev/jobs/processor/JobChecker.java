package dev.jobs.processor;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Checks one element annotated with {@code @Job} and reports every problem on the element (or on
 * the annotation, for a bad name), with a message that says how to fix it.
 */
final class JobChecker {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.\\-]*");
    private static final String HANDLER = "dev.jobs.JobHandler";

    private final ProcessingEnvironment env;
    private final Messager messager;
    private final Types types;

    JobChecker(ProcessingEnvironment env) {
        this.env = env;
        this.messager = env.getMessager();
        this.types = env.getTypeUtils();
    }

    Optional<JobModel> check(Element element) {
        AnnotationMirror annotation = jobAnnotation(element);
        if (element.getKind() != ElementKind.CLASS) {
            String what = switch (element.getKind()) {
                case INTERFACE -> "an interface";
                case ENUM -> "an enum";
                case RECORD -> "a record (its fields are final, so it cannot keep resume state)";
                case ANNOTATION_TYPE -> "an annotation type";
                default -> "a " + element.getKind().name().toLowerCase(java.util.Locale.ROOT);
            };
            error(
                    element,
                    "@Job cannot be used on " + what + "; put it on a concrete class that implements JobHandler");
            return Optional.empty();
        }
        TypeElement type = (TypeElement) element;
        boolean ok = true;
        if (type.getModifiers().contains(Modifier.ABSTRACT)) {
            error(
                    type,
                    "@Job class " + type.getSimpleName()
                            + " is abstract; the runtime must instantiate it, so make it concrete");
            ok = false;
        }
        for (Element e = type; e instanceof TypeElement t; e = t.getEnclosingElement()) {
            if (t.getModifiers().contains(Modifier.PRIVATE)) {
                error(
                        type,
                        "@Job class " + type.getSimpleName()
                                + (t == type ? " is private" : " is inside private class " + t.getSimpleName())
                                + "; the generated registration must reach it, so make it at least package-private");
                ok = false;
                break;
            }
        }
        if (type.getNestingKind() == NestingKind.MEMBER && !type.getModifiers().contains(Modifier.STATIC)) {
            error(
                    type,
                    "@Job class " + type.getSimpleName()
                            + " is an inner (non-static) class; declare it static so it can be created without an enclosing instance");
            ok = false;
        }
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            error(type, "@Job class must be a top-level or static nested class, not a local class");
            ok = false;
        }
        if (!type.getTypeParameters().isEmpty()) {
            error(
                    type,
                    "@Job class " + type.getSimpleName()
                            + " has type parameters; the runtime cannot restore a generic job, so remove them");
            ok = false;
        }
        Optional<TypeMirror> output = handlerOutput(type.asType());
        if (output.isEmpty()) {
            error(
                    type,
                    "@Job class " + type.getSimpleName()
                            + " does not implement dev.jobs.JobHandler; add 'implements JobHandler<YourOutput>'");
            ok = false;
        }
        if (!hasUsableConstructor(type)) {
            error(
                    type,
                    "@Job class " + type.getSimpleName()
                            + " has no constructor the runtime can use to restore it; add a no-argument constructor that is not private");
            ok = false;
        }
        String name = stringValue(annotation, "name", "");
        if (name.isEmpty()) {
            env.getMessager()
                    .printMessage(
                            Diagnostic.Kind.ERROR,
                            "@Job name is empty; give the job a stable name such as \"file_copy\"",
                            type,
                            annotation);
            ok = false;
        } else if (!NAME.matcher(name).matches()) {
            env.getMessager()
                    .printMessage(
                            Diagnostic.Kind.ERROR,
                            "@Job name '" + name
                                    + "' is malformed; use lowercase letters, digits, '_', '-' and '.', starting with a letter (for example \""
                                    + suggest(name) + "\")",
                            type,
                            annotation);
            ok = false;
        }
        int version = intValue(annotation, "version", 1);
        if (version < 1) {
            env.getMessager()
                    .printMessage(
                            Diagnostic.Kind.ERROR, "@Job version must be 1 or more, was " + version, type, annotation);
            ok = false;
        }
        if (!ok) {
            return Optional.empty();
        }
        String schema = new SchemaBuilder(env).jobSchema(type, name, stringValue(annotation, "description", ""));
        return Optional.of(new JobModel(
                type,
                annotation,
                name,
                stringValue(annotation, "description", ""),
                version,
                booleanValue(annotation, "resumable", true),
                output.get(),
                schema));
    }

    private static String suggest(String name) {
        String s = name.replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9_.\\-]", "_");
        if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
            s = "job_" + s;
        }
        return s;
    }

    private boolean hasUsableConstructor(TypeElement type) {
        for (ExecutableElement c : ElementFilter.constructorsIn(type.getEnclosedElements())) {
            if (c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE)) {
                return true;
            }
        }
        return false;
    }

    /** The type argument of JobHandler in the supertypes of {@code type}, or empty if it is no handler. */
    private Optional<TypeMirror> handlerOutput(TypeMirror type) {
        for (TypeMirror sup : types.directSupertypes(type)) {
            if (sup instanceof DeclaredType declared
                    && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(HANDLER)) {
                if (declared.getTypeArguments().isEmpty()) {
                    return Optional.of(env.getElementUtils()
                            .getTypeElement("java.lang.Object")
                            .asType());
                }
                return Optional.of(declared.getTypeArguments().get(0));
            }
            Optional<TypeMirror> found = handlerOutput(sup);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private void error(Element element, String message) {
        messager.printMessage(Diagnostic.Kind.ERROR, message, element);
    }

    static AnnotationMirror jobAnnotation(Element element) {
        for (AnnotationMirror m : element.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement())
                    .getQualifiedName()
                    .contentEquals(JobProcessor.JOB_ANNOTATION)) {
                return m;
            }
        }
        throw new IllegalStateException("no @Job on " + element);
    }

    private static Object value(AnnotationMirror annotation, String key) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
                annotation.getElementValues().entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(key)) {
                return e.getValue().getValue();
            }
        }
        return null;
    }

    static String stringValue(AnnotationMirror annotation, String key, String fallback) {
        Object v = value(annotation, key);
        return v instanceof String s ? s : fallback;
    }

    static int intValue(AnnotationMirror annotation, String key, int fallback) {
        Object v = value(annotation, key);
        return v instanceof Integer i ? i : fallback;
    }

    static boolean booleanValue(AnnotationMirror annotation, String key, boolean fallback) {
        Object v = value(annotation, key);
        return v instanceof Boolean b ? b : fallback;
    }
}
