package dev.jobs.runtime.metrics;

import java.util.OptionalLong;

/** The state of a manager a metrics module shows as gauges. Internal: see {@link Instrumentation}. */
public interface ManagerGauges {

    /** The jobs running on this manager's workers now (no store read). */
    int runningJobs();

    /**
     * The jobs QUEUED in the store (due or delayed, of every process): one count query, so a
     * caller caches it. Empty when the manager is closed, the store cannot count cheaply, or the
     * count failed.
     */
    OptionalLong queuedJobs();
}
