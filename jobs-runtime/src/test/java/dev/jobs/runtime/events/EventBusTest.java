package dev.jobs.runtime.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event bus's per-job state, without a manager. */
class EventBusTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final EventBus bus = new EventBus(Duration.ofMillis(100), 16, timer);

    @AfterEach
    void close() {
        bus.close();
        timer.shutdownNow();
    }

    @Test
    void aJobThatEndsHereLeavesNoStateBehind() {
        bus.subscribe(event -> {}, null);
        UUID id = UUID.randomUUID();
        bus.queued(id, "t");
        bus.started(id, "t", false);
        assertThat(bus.trackedJobs()).isOne();
        bus.completed(id, "t", null);
        assertThat(bus.trackedJobs()).isZero();
    }

    @Test
    void aJobThatEndsInAnotherProcessIsForgotten() {
        bus.subscribe(event -> {}, null);
        UUID id = UUID.randomUUID();
        bus.queued(id, "t"); // dispatched here, then run and finished by another process: no terminal event here
        assertThat(bus.trackedJobs()).isOne();
        bus.forget(id);
        assertThat(bus.trackedJobs()).isZero();
    }
}
