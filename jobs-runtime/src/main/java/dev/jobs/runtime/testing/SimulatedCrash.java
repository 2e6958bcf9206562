package dev.jobs.runtime.testing;

/**
 * Thrown through a job when a {@link RunObserver} asks for {@link RunObserver.Action#CRASH}. It is
 * an {@link Error} so that a job's own {@code catch (Exception e)} does not swallow it; the runtime
 * ends the run without writing anything, as if the process had died.
 */
public final class SimulatedCrash extends Error {
    public SimulatedCrash(String message) {
        super(message, null, false, false);
    }
}
