package dev.jobs.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test scheduler whose time moves only when ticked. */
class ManualSchedulerTest {

    private final ManualScheduler scheduler = new ManualScheduler();

    @Test
    void aTaskRunsOnlyOnceTheTimeReachesItsDelay() {
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule(runs::incrementAndGet, 100, TimeUnit.MILLISECONDS);
        scheduler.tick(Duration.ofMillis(99));
        assertThat(runs).hasValue(0);
        scheduler.tick(Duration.ofMillis(1));
        assertThat(runs).hasValue(1);
    }

    @Test
    void dueTasksRunInDueOrderEachAtItsOwnDueTime() {
        long start = scheduler.nanoTime();
        List<String> ran = new ArrayList<>();
        scheduler.schedule(() -> ran.add("c@" + (scheduler.nanoTime() - start)), 30, TimeUnit.NANOSECONDS);
        scheduler.schedule(() -> ran.add("a@" + (scheduler.nanoTime() - start)), 10, TimeUnit.NANOSECONDS);
        scheduler.schedule(() -> ran.add("b1@" + (scheduler.nanoTime() - start)), 20, TimeUnit.NANOSECONDS);
        scheduler.schedule(() -> ran.add("b2@" + (scheduler.nanoTime() - start)), 20, TimeUnit.NANOSECONDS);
        scheduler.tick(Duration.ofSeconds(1));
        assertThat(ran).containsExactly("a@10", "b1@20", "b2@20", "c@30");
        assertThat(scheduler.nanoTime() - start).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void aTaskScheduledByARunningTaskRunsInTheSameTickWhenItFallsDueWithinIt() {
        AtomicInteger inner = new AtomicInteger();
        scheduler.schedule(
                () -> scheduler.schedule(inner::incrementAndGet, 10, TimeUnit.MILLISECONDS), 10, TimeUnit.MILLISECONDS);
        scheduler.tick(Duration.ofMillis(20));
        assertThat(inner).hasValue(1);
    }

    @Test
    void aFixedRateTaskRunsOncePerPeriodUntilCancelled() {
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> task = scheduler.scheduleAtFixedRate(runs::incrementAndGet, 0, 10, TimeUnit.MILLISECONDS);
        scheduler.tick(Duration.ofMillis(35));
        assertThat(runs).hasValue(4); // at 0, 10, 20, 30
        task.cancel(false);
        scheduler.tick(Duration.ofMillis(100));
        assertThat(runs).hasValue(4);
        assertThat(scheduler.pending()).isZero();
    }

    @Test
    void aCancelledTaskNeverRuns() {
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> task = scheduler.schedule(runs::incrementAndGet, 5, TimeUnit.MILLISECONDS);
        assertThat(task.cancel(false)).isTrue();
        scheduler.tick(Duration.ofMillis(10));
        assertThat(runs).hasValue(0);
    }

    @Test
    void afterShutdownNewTasksAreRejected() {
        scheduler.shutdown();
        assertThatThrownBy(() -> scheduler.schedule(() -> {}, 1, TimeUnit.MILLISECONDS))
                .isInstanceOf(RejectedExecutionException.class);
        assertThatThrownBy(() -> scheduler.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void theClockShowsTheManualTime() {
        var before = scheduler.clock().instant();
        scheduler.tick(Duration.ofMillis(1500));
        assertThat(Duration.between(before, scheduler.clock().instant())).isEqualTo(Duration.ofMillis(1500));
    }
}
