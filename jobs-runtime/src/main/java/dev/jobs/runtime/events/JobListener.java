package dev.jobs.runtime.events;

/**
 * Receives {@link JobEvent}s. Each listener has its own delivery thread and queue, so a slow or
 * throwing listener never delays a job or another listener; see {@link Subscription#dropped()}.
 */
@FunctionalInterface
public interface JobListener {
    void onEvent(JobEvent event) throws Exception;
}
