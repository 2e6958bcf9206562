package dev.jobs.processor;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * A {@code @Job} class that passed every check, with what the generated registration needs;
 * {@code validates} when the class has a {@code validate()} method for the registration to call.
 */
record JobModel(
        TypeElement element,
        AnnotationMirror annotation,
        String name,
        String description,
        int version,
        boolean resumable,
        TypeMirror outputType,
        String schema,
        boolean validates) {}
