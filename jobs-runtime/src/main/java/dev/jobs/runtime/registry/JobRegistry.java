package dev.jobs.runtime.registry;

import dev.jobs.JobException;
import dev.jobs.JobHandler;
import dev.jobs.JobRegistration;
import dev.jobs.UnknownJobException;
import dev.jobs.runtime.DuplicateJobException;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The job types a process knows: every {@link JobRegistration} found through
 * {@link ServiceLoader}. The annotation processor writes those registrations, so a job class on the
 * classpath is known with no manual step.
 *
 * <pre>{@code
 * JobRegistry registry = JobRegistry.load(getClass().getClassLoader());
 * registry.names();                 // [file_copy, indexer]
 * registry.require("file_copy");    // or UnknownJobException listing the known names
 * }</pre>
 *
 * <p>Two registrations with the same name (two jars that both define {@code "file_copy"}) are an
 * error at load time, naming both classes and where they came from: silently picking one would
 * run the wrong code for stored jobs.
 */
public final class JobRegistry {

    private final Map<String, JobRegistration<?>> byName;
    private final Map<Class<?>, JobRegistration<?>> byType = new HashMap<>();

    private JobRegistry(Map<String, JobRegistration<?>> byName) {
        this.byName = byName;
        byName.values().forEach(r -> byType.put(r.jobType(), r));
    }

    /** Loads every registration visible to {@code loader}. */
    public static JobRegistry load(ClassLoader loader) {
        List<JobRegistration<?>> found = new ArrayList<>();
        try {
            for (JobRegistration<?> registration : ServiceLoader.load(JobRegistration.class, loader)) {
                found.add(registration);
            }
        } catch (ServiceConfigurationError e) {
            throw new JobException(
                    "could not load job registrations: " + e.getMessage()
                            + "; a jar may list a registration class that no longer exists (rebuild it)",
                    e);
        }
        return of(found);
    }

    /** A registry of exactly these registrations (for tests and for hosts that register by hand). */
    public static JobRegistry of(Collection<? extends JobRegistration<?>> registrations) {
        Map<String, JobRegistration<?>> byName = new TreeMap<>();
        for (JobRegistration<?> registration : registrations) {
            JobRegistration<?> previous = byName.putIfAbsent(registration.name(), registration);
            if (previous != null && previous.jobType() != registration.jobType()) {
                throw new DuplicateJobException(registration.name(), describe(previous), describe(registration));
            }
        }
        return new JobRegistry(byName);
    }

    private static String describe(JobRegistration<?> registration) {
        return registration.jobType().getName() + " (from " + location(registration.getClass()) + ")";
    }

    private static String location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        return url == null ? "an unknown location" : url.toString();
    }

    /** The registration called {@code name}, if any. */
    public Optional<JobRegistration<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The registration called {@code name}. */
    public JobRegistration<?> require(String name) throws UnknownJobException {
        JobRegistration<?> registration = byName.get(name);
        if (registration == null) {
            throw new UnknownJobException(name, names());
        }
        return registration;
    }

    /** The registration of a job class. */
    @SuppressWarnings("unchecked")
    public <O> JobRegistration<? extends JobHandler<O>> forJob(JobHandler<O> job) {
        JobRegistration<?> registration = byType.get(job.getClass());
        if (registration == null) {
            throw new UnknownJobException(job.getClass().getName(), names());
        }
        return (JobRegistration<? extends JobHandler<O>>) registration;
    }

    /** Every known job name, sorted. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** Every registration, sorted by name. */
    public Collection<JobRegistration<?>> all() {
        return byName.values();
    }

    /** The parameter schema of the job called {@code name}. */
    public String schema(String name) throws UnknownJobException {
        return require(name).parameterSchema();
    }
}
