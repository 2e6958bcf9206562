package dev.jobs.runtime.execution;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the final writes of runs that could not be recorded (a full disk, an I/O error, a lock
 * held too long) and retries them periodically until they land or their claim is gone.
 *
 * <p>Why not give up: the run is over in this process, so the row must leave RUNNING; while the
 * write keeps failing the row stays RUNNING under this owner with its lease renewed, and the
 * outcome lands as soon as the store takes writes again. If the process dies first, recovery
 * treats the run as interrupted (a resumable job resumes from its last checkpoint).
 */
final class OutcomeRetrier {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRetrier.class);

    /** A final write; {@code write} returns whether the claim was still held, {@code then} runs once it ran. */
    record Pending(String description, BooleanSupplier write, java.util.function.Consumer<Boolean> then) {}

    private final List<Pending> pending = new ArrayList<>();

    synchronized void add(Pending write, RuntimeException failure) {
        LOG.error(
                "{}: the write failed ({}); the job stays RUNNING in the store and the write is retried until it succeeds",
                write.description(),
                failure.getMessage());
        pending.add(write);
    }

    synchronized int size() {
        return pending.size();
    }

    /** Tries each pending write once, in the order they failed. */
    void retryAll() {
        List<Pending> now;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            now = new ArrayList<>(pending);
        }
        for (Pending p : now) {
            boolean held;
            try {
                held = p.write().getAsBoolean();
            } catch (RuntimeException e) {
                LOG.debug("{}: retry failed: {}", p.description(), e.getMessage());
                continue;
            }
            synchronized (this) {
                pending.remove(p);
            }
            LOG.info("{}: written after retrying", p.description());
            p.then().accept(held);
        }
    }
}
