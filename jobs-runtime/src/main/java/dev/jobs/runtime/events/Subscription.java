package dev.jobs.runtime.events;

/**
 * A registered listener. Close it to stop delivery.
 *
 * <pre>{@code
 * try (Subscription s = jobs.addListener(System.out::println)) {
 *     ...
 * }
 * }</pre>
 */
public interface Subscription extends AutoCloseable {

    /**
     * How many progress and log events were dropped because this listener fell behind (its queue
     * was full). Lifecycle events are never dropped.
     */
    long dropped();

    /** How many times the listener threw; each exception is logged and delivery goes on. */
    long failures();

    @Override
    void close();
}
