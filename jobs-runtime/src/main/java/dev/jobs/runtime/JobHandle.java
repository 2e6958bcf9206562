package dev.jobs.runtime;

import dev.jobs.JobStatus;
import dev.jobs.Progress;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A reference to one dispatched job: its id, live status and progress, and its result.
 *
 * <pre>{@code
 * JobHandle<FileCopyOutput> handle = jobs.dispatch(new FileCopyJob(List.of(src), dst));
 * handle.progress().ifPresent(System.out::println);
 * FileCopyOutput result = handle.result().get();   // completes when the job does
 * }</pre>
 *
 * <p>{@link #result()} completes normally when the job COMPLETES and exceptionally with
 * {@link JobFailedException} or {@link JobCancelledException}; it stays pending while the job is
 * paused, and completes with {@link ManagerClosedException} if the manager closes first (the job
 * itself is stored and continues at the next start). A handle is cheap and holds no resources.
 *
 * @param <O> the job's output type
 */
public final class JobHandle<O> {

    private final JobManager manager;
    private final UUID id;
    private final String name;
    private final CompletableFuture<O> result;

    JobHandle(JobManager manager, UUID id, String name, CompletableFuture<O> result) {
        this(manager, id, name, result, false);
    }

    JobHandle(JobManager manager, UUID id, String name, CompletableFuture<O> result, boolean existing) {
        this.manager = manager;
        this.id = id;
        this.name = name;
        this.result = result;
        this.existing = existing;
    }

    private final boolean existing;

    /**
     * Whether the dispatch that returned this handle created nothing because another job held its
     * unique key ({@link DispatchOptions#uniqueKey(String)}): this is a handle to that job, which
     * may be of another type or have other parameters than asked.
     */
    public boolean isExisting() {
        return existing;
    }

    public UUID id() {
        return id;
    }

    /** The job's registered name. */
    public String name() {
        return name;
    }

    /** The current status, read from the store. */
    public JobStatus status() {
        return manager.info(id).status();
    }

    /** The latest progress: live when this process runs the job, else as last stored. */
    public Optional<Progress> progress() {
        return manager.progress(id);
    }

    /** Completes with the output when the job completes; see the class comment for failures. */
    public CompletableFuture<O> result() {
        return result;
    }

    public void pause() {
        manager.pause(id);
    }

    public void resume() {
        manager.resume(id);
    }

    public void cancel() {
        manager.cancel(id);
    }

    @Override
    public String toString() {
        return "JobHandle[" + name + " " + id + "]";
    }
}
