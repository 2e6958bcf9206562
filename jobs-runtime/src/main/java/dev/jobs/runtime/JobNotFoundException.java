package dev.jobs.runtime;

import dev.jobs.JobException;
import java.util.UUID;

/** No job with this id is in the store (it never existed, or retention deleted it). */
public final class JobNotFoundException extends JobException {
    private final UUID id;

    public JobNotFoundException(UUID id) {
        super("no job with id " + id + " in the store; it may have been deleted by clean()");
        this.id = id;
    }

    /** No job has an id starting with {@code prefix}. */
    public JobNotFoundException(String prefix) {
        super("no job with an id starting with '" + prefix + "' in the store");
        this.id = null;
    }

    /** The id asked for, or null when a prefix was. */
    public UUID id() {
        return id;
    }
}
