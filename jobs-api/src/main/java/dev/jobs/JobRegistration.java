package dev.jobs;

/**
 * Everything the runtime needs to know about one job type, without reflection.
 *
 * <p>This is a service-provider interface: the annotation processor generates one implementation
 * per {@link Job} class and lists it in {@code META-INF/services/dev.jobs.JobRegistration}, where
 * {@link java.util.ServiceLoader} finds it. Users do not implement it by hand.
 *
 * <pre>{@code
 * for (JobRegistration<?> r : ServiceLoader.load(JobRegistration.class)) {
 *     System.out.println(r.name() + ": " + r.description());
 * }
 * }</pre>
 *
 * @param <J> the job class
 */
public interface JobRegistration<J extends JobHandler<?>> {

    /** The job's name, from {@link Job#name()}. */
    String name();

    /** The job class. */
    Class<J> jobType();

    /** The (erased) type {@link JobHandler#run} returns. */
    Class<?> outputType();

    /** From {@link Job#resumable()}. */
    boolean resumable();

    /** From {@link Job#description()}. */
    String description();

    /** From {@link Job#version()}. */
    int version();

    /** A fresh instance made with the job's no-arg constructor, before any state is read into it. */
    J newInstance();

    /**
     * The job's parameters as a JSON-Schema-like document (a JSON object with {@code type},
     * {@code properties} and {@code required}), computed at compile time from the job's
     * {@link Param} fields.
     */
    String parameterSchema();

    /**
     * Checks a job built from dispatch parameters, before it is stored: calls the job's own
     * {@code validate()} method if it declares one (the processor generates this override). The
     * default does nothing.
     *
     * @throws InvalidParametersException the job refused its parameters
     */
    default void validate(J job) {}
}
