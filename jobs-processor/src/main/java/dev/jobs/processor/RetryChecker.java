package dev.jobs.processor;

import dev.jobs.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Checks the {@code @Retry} of a {@code @Job(retry = ...)} at compile time, so a value the runtime
 * could not turn into a {@link RetryPolicy} is a compile error on that value instead of a failure
 * at dispatch. Values are read from the annotation mirror (never through the annotation's
 * {@code Class} members), with the defaults of {@code @Retry} for what is not written.
 */
final class RetryChecker {

    static final String NON_RETRYABLE = "dev.jobs.NonRetryableException";

    private final Messager messager;
    private final Elements elements;
    private final Types types;

    RetryChecker(ProcessingEnvironment env) {
        this.messager = env.getMessager();
        this.elements = env.getElementUtils();
        this.types = env.getTypeUtils();
    }

    /**
     * Reports every problem of the job's {@code retry} on the value at fault.
     *
     * @return whether the retry policy is valid (also when the job sets none)
     */
    boolean check(Element job, AnnotationMirror jobAnnotation) {
        AnnotationValue retryValue = explicit(jobAnnotation, "retry");
        if (retryValue == null || !(retryValue.getValue() instanceof AnnotationMirror retry)) {
            return true; // the default of @Job, one attempt
        }
        Check c = new Check(job, retry);
        Object attempts = c.value("maxAttempts");
        if (attempts instanceof Integer n && n < 1) {
            c.error(
                    "maxAttempts",
                    "@Retry maxAttempts is " + n
                            + "; it counts the first run too, so it must be at least 1 (1 means no retry)");
        }
        Duration initial = c.duration("initialDelay");
        Duration max = c.duration("maxDelay");
        if (initial != null && max != null && max.compareTo(initial) < 0) {
            String message = "@Retry maxDelay \"" + c.value("maxDelay") + "\" is shorter than initialDelay \""
                    + c.value("initialDelay")
                    + "\"; maxDelay caps every delay, so it must be at least as long as initialDelay";
            c.error(c.isExplicit("maxDelay") ? "maxDelay" : "initialDelay", message);
        }
        if (c.value("multiplier") instanceof Double m && !(m >= 1.0 && !m.isInfinite())) {
            c.error(
                    "multiplier",
                    "@Retry multiplier is " + m
                            + "; it must be a finite number of at least 1.0 (1.0 keeps every delay the same)");
        }
        if (c.value("jitter") instanceof Double j && !(j >= 0.0 && j <= 1.0)) {
            c.error(
                    "jitter",
                    "@Retry jitter is " + j
                            + "; it must be between 0.0 (exact delays) and 1.0 (a delay anywhere from 0 to twice the computed one)");
        }
        checkExceptionTypes(c);
        return c.ok;
    }

    /** A type in retryOn that is never retried: {@code NonRetryableException}, or a noRetryFor type. */
    private void checkExceptionTypes(Check c) {
        List<Typed> noRetryFor = c.types("noRetryFor");
        TypeElement nonRetryable = elements.getTypeElement(NON_RETRYABLE);
        for (Typed on : c.types("retryOn")) {
            if (nonRetryable != null && types.isSubtype(on.type(), types.erasure(nonRetryable.asType()))) {
                c.error(
                        on.value(),
                        "@Retry retryOn lists " + name(on.type())
                                + (types.isSameType(on.type(), types.erasure(nonRetryable.asType()))
                                        ? ""
                                        : ", a NonRetryableException,")
                                + " which always ends the job at once and is never retried; remove it from retryOn");
                continue;
            }
            for (Typed not : noRetryFor) {
                if (types.isSameType(on.type(), not.type())) {
                    c.error(
                            on.value(),
                            "@Retry lists " + name(on.type())
                                    + " in both noRetryFor and retryOn; a noRetryFor type is never retried, so keep it in only one of them");
                    break;
                }
                if (types.isSubtype(on.type(), not.type())) {
                    c.error(
                            on.value(),
                            "@Retry retryOn lists " + name(on.type()) + ", a subtype of " + name(not.type())
                                    + " in noRetryFor, so it is never retried; remove it from retryOn or narrow noRetryFor");
                    break;
                }
            }
        }
    }

    private static String name(TypeMirror type) {
        return type instanceof DeclaredType d
                ? ((TypeElement) d.asElement()).getQualifiedName().toString()
                : type.toString();
    }

    private static AnnotationValue explicit(AnnotationMirror annotation, String member) {
        return find(annotation.getElementValues(), member);
    }

    private static AnnotationValue find(
            Map<? extends ExecutableElement, ? extends AnnotationValue> values, String member) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : values.entrySet()) {
            if (e.getKey().getSimpleName().contentEquals(member)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** One exception type listed in a {@code Class[]} member, with the value to report on. */
    private record Typed(TypeMirror type, AnnotationValue value) {}

    /** The values of one {@code @Retry} and the errors reported on it. */
    private final class Check {
        final Element job;
        final AnnotationMirror retry;
        final Map<? extends ExecutableElement, ? extends AnnotationValue> withDefaults;
        boolean ok = true;

        Check(Element job, AnnotationMirror retry) {
            this.job = job;
            this.retry = retry;
            this.withDefaults = elements.getElementValuesWithDefaults(retry);
        }

        boolean isExplicit(String member) {
            return explicit(retry, member) != null;
        }

        Object value(String member) {
            AnnotationValue v = find(withDefaults, member);
            return v == null ? null : v.getValue();
        }

        /** The duration a member gives, or null (reported) if it cannot be read or is negative. */
        Duration duration(String member) {
            if (!(value(member) instanceof String text)) {
                return null;
            }
            Duration d;
            try {
                d = RetryPolicy.parseDuration(text);
            } catch (RuntimeException e) {
                String message = String.valueOf(e.getMessage());
                int hint = message.indexOf("\": ");
                error(
                        member,
                        "@Retry " + member + " \"" + text + "\" cannot be read: "
                                + (hint >= 0 ? message.substring(hint + 3) : message));
                return null;
            }
            if (d.isNegative()) {
                error(member, "@Retry " + member + " \"" + text + "\" is negative; a delay must be zero or more");
                return null;
            }
            return d;
        }

        /** The exception types a {@code Class[]} member lists (types that did not resolve are skipped). */
        List<Typed> types(String member) {
            List<Typed> found = new ArrayList<>();
            AnnotationValue v = find(withDefaults, member);
            if (v != null && v.getValue() instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof AnnotationValue element
                            && element.getValue() instanceof TypeMirror type
                            && type.getKind() == TypeKind.DECLARED) {
                        found.add(new Typed(type, element));
                    }
                }
            }
            return found;
        }

        void error(String member, String message) {
            error(explicit(retry, member), message);
        }

        /** On {@code value} when it is written in the source, else on the {@code @Retry}. */
        void error(AnnotationValue value, String message) {
            ok = false;
            if (value == null) {
                messager.printMessage(Diagnostic.Kind.ERROR, message, job, retry);
            } else {
                messager.printMessage(Diagnostic.Kind.ERROR, message, job, retry, value);
            }
        }
    }
}
