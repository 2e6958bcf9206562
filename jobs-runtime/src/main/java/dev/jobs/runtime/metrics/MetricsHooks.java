package dev.jobs.runtime.metrics;

import dev.jobs.runtime.JobManagerBuilder;
import java.util.Objects;

/**
 * Installs an {@link Instrumentation} on a builder, kept out of the public {@link
 * JobManagerBuilder}: for a metrics module, not for applications (which use that module's API).
 *
 * <pre>{@code
 * MetricsHooks.instrument(JobManager.builder().database(db), instrumentation).build();
 * }</pre>
 */
public final class MetricsHooks {

    /** What the hook can do to a builder; {@link JobManagerBuilder} installs it when its class is initialised. */
    public interface Access {
        void instrumentation(JobManagerBuilder builder, Instrumentation instrumentation);
    }

    private static volatile Access access;

    private MetricsHooks() {}

    /**
     * Called once, by {@link JobManagerBuilder}'s static initialiser.
     *
     * @throws IllegalStateException an implementation is installed already
     */
    public static synchronized void install(Access implementation) {
        Objects.requireNonNull(implementation, "implementation");
        if (access != null) {
            throw new IllegalStateException("the metrics hooks are installed already");
        }
        access = implementation;
    }

    /** Makes the manager {@code builder} builds report to {@code instrumentation} (replaces any earlier one). */
    public static JobManagerBuilder instrument(JobManagerBuilder builder, Instrumentation instrumentation) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(instrumentation, "instrumentation");
        Access installed = access;
        if (installed == null) {
            // unreachable with a builder in hand: creating one initialises JobManagerBuilder
            throw new IllegalStateException("JobManagerBuilder has not installed the metrics hooks");
        }
        installed.instrumentation(builder, instrumentation);
        return builder;
    }
}
