package dev.jobs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link Job} as a parameter: an input a caller may set when dispatching by
 * name. Only {@code @Param} fields can be set from the JSON given to
 * {@code JobManager.dispatchByName}, and only they appear in the job's parameter schema. Every
 * other persisted field is the job's internal state (counters, resume points): a JSON key that
 * names it is rejected as "not a parameter".
 *
 * <p>A parameter is required unless it has a default: a field with an initializer is optional
 * and its initializer is the default (shown in the schema where the processor can compute it). Set
 * {@link #required()} to say otherwise.
 *
 * <pre>{@code
 * @Param(description = "Files or folders to copy") List<Path> sources;   // required: no initializer
 * @Param int batchSize = 200;                                             // optional, default 200
 * @Param(required = false) Path logFile;                                  // optional, no default (null)
 * int nextIndex;                                                          // state, not a parameter
 * }</pre>
 *
 * <p>A parameter is a persisted field, so it cannot be {@code static}, {@code transient} or
 * {@code final}; the annotation processor reports those as errors. Dispatching an instance with
 * {@code JobManager.dispatch(job)} saves all its fields, parameters and state alike.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Param {
    /**
     * Whether dispatch by name fails when the parameter is absent (or {@code null}) in the JSON.
     * When not set, a field with an initializer is optional and a field without one is required;
     * {@code required = true} makes a field with an initializer required too, and
     * {@code required = false} makes a field without one optional.
     */
    boolean required() default true;

    /** A description shown in the parameter schema. */
    String description() default "";
}
