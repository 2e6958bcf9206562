package dev.jobs.processor;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
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
    static final String VALIDATE = "validate";
    private static final String HANDLER = "dev.jobs.JobHandler";

    private final ProcessingEnvironment env;
    private final Messager messager;
    private final Types types;
    private final Sources sources;
    private final FieldTypes fieldTypes;
    private final Set<Element> reported;

    /**
     * @param reported fields and methods already reported, across jobs and rounds, so a problem
     *     in a superclass that several jobs share is reported once
     */
    JobChecker(ProcessingEnvironment env, Sources sources, Set<Element> reported) {
        this.env = env;
        this.messager = env.getMessager();
        this.types = env.getTypeUtils();
        this.sources = sources;
        this.fieldTypes = new FieldTypes(env);
        this.reported = reported;
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
        int maxConcurrent = intValue(annotation, "maxConcurrent", 0);
        if (maxConcurrent < 0) {
            env.getMessager()
                    .printMessage(
                            Diagnostic.Kind.ERROR,
                            "@Job maxConcurrent must be 0 (no limit) or more, was " + maxConcurrent,
                            type,
                            annotation);
            ok = false;
        }
        ok &= new RetryChecker(env).check(type, annotation);
        ok &= new RecurringChecker(env).check(type, params(type));
        ok &= checkFields(type);
        Optional<ExecutableElement> validate = validateMethod(type);
        if (validate.isPresent() && !checkValidate(type, validate.get())) {
            ok = false;
        }
        if (!ok) {
            return Optional.empty();
        }
        String schema =
                new SchemaBuilder(env, sources).jobSchema(type, name, stringValue(annotation, "description", ""));
        return Optional.of(new JobModel(
                type,
                annotation,
                name,
                stringValue(annotation, "description", ""),
                version,
                booleanValue(annotation, "resumable", true),
                output.get(),
                schema,
                validate.isPresent()));
    }

    /**
     * Checks every persisted field of the job and its superclasses: a {@code @Param} must be an
     * instance field that is saved and can be set, and every persisted field's type must be one the
     * state codec can write and read back.
     */
    private boolean checkFields(TypeElement job) {
        boolean ok = true;
        for (TypeMirror s = job.asType(); s.getKind() == TypeKind.DECLARED; ) {
            TypeElement t = (TypeElement) ((DeclaredType) s).asElement();
            if (FieldTypes.isJdk(t.getQualifiedName().toString())) {
                break;
            }
            for (VariableElement field : ElementFilter.fieldsIn(t.getEnclosedElements())) {
                ok &= checkParamModifiers(field);
            }
            s = t.getSuperclass();
        }
        for (VariableElement field : FieldTypes.persisted(job)) {
            TypeMirror fieldType = types.asMemberOf((DeclaredType) job.asType(), field);
            Optional<FieldTypes.Problem> problem = fieldTypes.check(fieldType);
            if (problem.isPresent()) {
                FieldTypes.Problem p = problem.get();
                String where = p.where().isEmpty() ? "" : "in " + p.where() + ": ";
                reportOnce(
                        field,
                        job,
                        "field '" + field.getSimpleName() + "' has type " + FieldTypes.name(fieldType)
                                + ", which the job's state cannot hold: " + where + p.reason()
                                + "; mark the field transient if it need not be saved, or change its type");
                ok = false;
            }
        }
        return ok;
    }

    /** The job's {@code @Param} names, each to whether it is required, as its schema lists them. */
    private Map<String, Boolean> params(TypeElement job) {
        SchemaBuilder schema = new SchemaBuilder(env, sources);
        Map<String, Boolean> params = new java.util.LinkedHashMap<>();
        for (VariableElement field : FieldTypes.persisted(job)) {
            AnnotationMirror param = SchemaBuilder.paramAnnotation(field);
            if (param != null) {
                params.put(field.getSimpleName().toString(), schema.isRequired(field, param));
            }
        }
        return params;
    }

    /** A {@code @Param} field must be saved with the job and settable: not static, transient or final. */
    boolean checkParamModifiers(VariableElement field) {
        if (SchemaBuilder.paramAnnotation(field) == null) {
            return true;
        }
        Set<Modifier> modifiers = field.getModifiers();
        String why = modifiers.contains(Modifier.STATIC)
                ? "is static; a parameter is saved with each job, so make it an instance field"
                : modifiers.contains(Modifier.TRANSIENT)
                        ? "is transient, so it would not be saved with the job; remove transient (or @Param)"
                        : modifiers.contains(Modifier.FINAL)
                                ? "is final, so it cannot be set from the dispatch parameters; remove final"
                                : null;
        if (why == null) {
            return true;
        }
        reportOnce(field, null, "@Param field '" + field.getSimpleName() + "' " + why);
        return false;
    }

    /** The job's {@code validate()} method (no parameters), its own or inherited, if it has one. */
    private Optional<ExecutableElement> validateMethod(TypeElement job) {
        for (TypeMirror s = job.asType(); s.getKind() == TypeKind.DECLARED; ) {
            TypeElement t = (TypeElement) ((DeclaredType) s).asElement();
            if (FieldTypes.isJdk(t.getQualifiedName().toString())) {
                break;
            }
            for (ExecutableElement m : ElementFilter.methodsIn(t.getEnclosedElements())) {
                boolean inherited = t != job;
                if (m.getSimpleName().contentEquals(VALIDATE)
                        && m.getParameters().isEmpty()
                        && !(inherited && m.getModifiers().contains(Modifier.PRIVATE))) {
                    return Optional.of(m);
                }
            }
            s = t.getSuperclass();
        }
        return Optional.empty();
    }

    /** The validation hook must be callable by the generated registration and return nothing. */
    private boolean checkValidate(TypeElement job, ExecutableElement method) {
        Set<Modifier> modifiers = method.getModifiers();
        TypeElement owner = (TypeElement) method.getEnclosingElement();
        boolean samePackage = env.getElementUtils()
                .getPackageOf(owner)
                .equals(env.getElementUtils().getPackageOf(job));
        String problem = null;
        if (modifiers.contains(Modifier.STATIC)) {
            problem = "is static; make it an instance method, void validate(), that checks the job's parameters";
        } else if (modifiers.contains(Modifier.PRIVATE)) {
            problem = "is private; the generated registration calls it, so make it at least package-private";
        } else if (!samePackage && !modifiers.contains(Modifier.PUBLIC)) {
            problem = "is declared in " + owner.getSimpleName()
                    + " in another package and is not public, so the generated registration cannot call it; make it public";
        } else if (method.getReturnType().getKind() != TypeKind.VOID) {
            problem = "returns " + FieldTypes.name(method.getReturnType())
                    + "; it must return void and throw InvalidParametersException to refuse the parameters";
        } else if (!method.getTypeParameters().isEmpty()) {
            problem = "has type parameters; remove them";
        } else {
            for (TypeMirror thrown : method.getThrownTypes()) {
                if (isChecked(thrown)) {
                    problem = "declares the checked exception " + FieldTypes.name(thrown)
                            + "; it may throw only unchecked exceptions, such as InvalidParametersException";
                    break;
                }
            }
        }
        if (problem == null) {
            return true;
        }
        reportOnce(
                method, job, "the validation method validate() of @Job class " + job.getSimpleName() + " " + problem);
        return false;
    }

    private boolean isChecked(TypeMirror thrown) {
        TypeMirror runtime = env.getElementUtils()
                .getTypeElement("java.lang.RuntimeException")
                .asType();
        TypeMirror error =
                env.getElementUtils().getTypeElement("java.lang.Error").asType();
        return !types.isSubtype(thrown, runtime) && !types.isSubtype(thrown, error);
    }

    /**
     * Reports on {@code element} when it is in this compilation's source; an element compiled
     * elsewhere (an inherited field) is reported on {@code fallback}, naming it. Each element once.
     */
    private void reportOnce(Element element, TypeElement fallback, String message) {
        if (!reported.add(element)) {
            return;
        }
        if (fallback == null || !sources.available() || sources.inSource(element)) {
            error(element, message);
        } else {
            error(
                    fallback,
                    message + " (" + element.getEnclosingElement().getSimpleName() + "." + element.getSimpleName()
                            + ")");
        }
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
