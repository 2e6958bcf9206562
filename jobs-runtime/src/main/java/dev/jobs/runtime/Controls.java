package dev.jobs.runtime;

import dev.jobs.JobException;
import dev.jobs.JobStatus;
import dev.jobs.runtime.events.EventBus;
import dev.jobs.runtime.store.Control;
import dev.jobs.runtime.store.JobRow;
import dev.jobs.runtime.store.JobStore;
import dev.jobs.runtime.store.Transition;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Pause, resume and cancel, each one read-decide-compare-and-set loop ({@link #control}): a job
 * that is not running changes status at once; a running job's request goes to its {@code control}
 * column, and the run here (if it runs here) is told at once, a run elsewhere by its owner's
 * store watcher.
 */
final class Controls {

    private final JobStore store;
    private final EventBus events;
    private final Workers workers;
    private final Results results;
    private final Clock clock;
    /**
     * After a cancel: passes stored requests to the runs here (the running children of the job are
     * asked to stop too) and publishes what the store cancelled with it.
     */
    private final Runnable afterCancel;

    Controls(JobStore store, EventBus events, Workers workers, Results results, Clock clock, Runnable afterCancel) {
        this.afterCancel = afterCancel;
        this.store = store;
        this.events = events;
        this.workers = workers;
        this.results = results;
        this.clock = clock;
    }

    void pause(UUID id) {
        control(id, "pause", row -> switch (row.status()) {
            case QUEUED -> {
                boolean done = store.move(id, Transition.PAUSE, JobStatus.QUEUED, clock.millis());
                if (done) {
                    events.paused(id, row.name());
                }
                yield done;
            }
            case RUNNING -> {
                if (row.control() == Control.CANCEL) {
                    throw new IllegalJobStateException(id, row.status(), "pause (it is being cancelled)");
                }
                boolean done = store.requestControl(id, Control.PAUSE);
                if (done) {
                    workers.request(id, Control.PAUSE);
                }
                yield done;
            }
            case PAUSED -> true;
            default -> throw new IllegalJobStateException(id, row.status(), "pause");
        });
    }

    void resume(UUID id) {
        control(id, "resume", row -> switch (row.status()) {
            case PAUSED -> {
                boolean done = store.move(id, Transition.RESUME, JobStatus.PAUSED, clock.millis());
                if (done) {
                    events.resumed(id, row.name());
                    workers.signal();
                }
                yield done;
            }
            case RUNNING -> {
                if (row.control() != Control.PAUSE) {
                    yield true;
                }
                boolean done = store.withdrawPause(id); // false: the pause landed meanwhile, read again
                if (done) {
                    workers.withdrawPause(id);
                }
                yield done;
            }
            case QUEUED -> true;
            default -> throw new IllegalJobStateException(id, row.status(), "resume");
        });
    }

    void cancel(UUID id) {
        control(id, "cancel", row -> switch (row.status()) {
            case QUEUED, PAUSED, WAITING ->
                results.endHere(id, () -> {
                    boolean done = store.move(id, Transition.CANCEL, row.status(), clock.millis());
                    if (done) {
                        results.ended(id, row.name(), JobStatus.CANCELLED, null, null);
                        afterCancel.run(); // its children and later chain steps were cancelled with it
                    }
                    return done;
                });
            case RUNNING -> {
                boolean done = row.control() == Control.CANCEL || store.requestControl(id, Control.CANCEL);
                if (done) {
                    workers.request(id, Control.CANCEL);
                }
                yield done;
            }
            default -> throw new IllegalJobStateException(id, row.status(), "cancel");
        });
    }

    /**
     * The read-decide-compare-and-set loop of pause, resume and cancel: reads the row, lets
     * {@code step} try its transition for the status found, and reads again when a concurrent
     * change made the compare-and-set miss.
     */
    private void control(UUID id, String action, Predicate<JobRow> step) {
        Objects.requireNonNull(id, "id");
        for (int attempt = 0; attempt < 100; attempt++) {
            JobRow row = store.find(id).orElseThrow(() -> new JobNotFoundException(id));
            if (step.test(row)) {
                return;
            }
        }
        throw new JobException("job " + id + " kept changing status during " + action + "; try again");
    }
}
