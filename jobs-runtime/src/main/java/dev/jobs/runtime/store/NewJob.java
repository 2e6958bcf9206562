package dev.jobs.runtime.store;

import java.util.UUID;

/**
 * A job to insert as QUEUED.
 *
 * @param parameters its parameters as a JSON object (only its {@code @Param} fields), or null
 * @param rerunOf the finished job this one runs again ({@code JobManager.rerun}), or null
 */
public record NewJob(
        UUID id, String name, int version, byte[] data, int priority, long createdAt, String parameters, UUID rerunOf) {

    /** A job without recorded parameters. */
    public NewJob(UUID id, String name, int version, byte[] data, int priority, long createdAt) {
        this(id, name, version, data, priority, createdAt, null, null);
    }
}
