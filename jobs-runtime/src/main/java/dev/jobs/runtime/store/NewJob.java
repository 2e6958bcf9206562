package dev.jobs.runtime.store;

import java.util.UUID;

/** A job to insert as QUEUED. */
public record NewJob(UUID id, String name, int version, byte[] data, int priority, long createdAt) {}
