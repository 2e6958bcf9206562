package dev.jobs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link Job} as a parameter a caller supplies when dispatching by name.
 *
 * <p>Every non-transient field is persisted and may be given in the JSON passed to
 * {@code JobManager.dispatchByName}; {@code @Param} says which ones a caller <em>must</em> give
 * (when {@link #required()}) and documents them in the job's parameter schema. Fields without it
 * are internal state (counters, resume points) that callers normally leave out.
 *
 * <pre>{@code
 * @Param(description = "Files or folders to copy") List<Path> sources;
 * @Param(required = false) boolean verifyChecksums;
 * int nextIndex;   // state, not a parameter
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Param {
    /** Whether dispatch by name fails when the parameter is absent from the JSON. */
    boolean required() default true;

    /** A description shown in the parameter schema. */
    String description() default "";
}
