package dev.jobs.runtime.maintenance;

import dev.jobs.runtime.execution.Engine;
import dev.jobs.runtime.execution.Recovery;
import java.util.function.BooleanSupplier;

/**
 * Recovers, in the background, the jobs of owners that are gone: at once for processes known
 * dead, and by lease expiry only while this manager's own lease has held for a whole lease
 * ({@link Engine#leaseSteady()}). Wakes the scheduler when it put jobs back in the queue.
 */
public final class RecoverySweep implements Runnable {

    private final Recovery recovery;
    private final BooleanSupplier leaseSteady;
    private final Runnable onRecovered;

    public RecoverySweep(Recovery recovery, BooleanSupplier leaseSteady, Runnable onRecovered) {
        this.recovery = recovery;
        this.leaseSteady = leaseSteady;
        this.onRecovered = onRecovered;
    }

    /** One sweep; returns how many jobs it changed. */
    public int sweep() {
        int recovered = recovery.run(leaseSteady.getAsBoolean());
        if (recovered > 0) {
            onRecovered.run();
        }
        return recovered;
    }

    @Override
    public void run() {
        sweep();
    }
}
