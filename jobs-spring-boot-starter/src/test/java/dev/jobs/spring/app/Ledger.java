package dev.jobs.spring.app;

import dev.jobs.JobContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A service of the application, one per context: records the entries jobs write through it, so that
 * a test sees which context did which work. With {@code ledger.hold-after=N} it holds a job after its
 * N-th entry was checkpointed, until the manager stops it (a context that closes mid-job).
 */
@Component
public class Ledger {
    private final String name;
    private final int holdAfter;
    private final List<String> entries = new ArrayList<>();
    private final CountDownLatch held = new CountDownLatch(1);

    public Ledger(@Value("${ledger.name:ledger}") String name, @Value("${ledger.hold-after:-1}") int holdAfter) {
        this.name = name;
        this.holdAfter = holdAfter;
    }

    public String name() {
        return name;
    }

    public synchronized void write(String entry) {
        entries.add(entry);
    }

    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    /** Called by a job after each checkpoint: holds it at {@code ledger.hold-after} until it is stopped. */
    void afterCheckpoint(JobContext ctx, int written) {
        if (written != holdAfter) {
            return;
        }
        held.countDown();
        while (true) {
            ctx.checkInterrupt(); // throws once the manager closes: the only way out
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // paces the checks; synchronizes nothing
        }
    }

    /** Whether a job is being held, within {@code seconds}. */
    public boolean awaitHeld(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }
}
