package dev.jobs.runtime.store;

import java.util.UUID;

/**
 * A job to insert as QUEUED.
 *
 * @param parameters its parameters as a JSON object (only its {@code @Param} fields), or null
 * @param rerunOf the finished job this one runs again ({@code JobManager.rerun}), or null
 * @param runAt when the job becomes due (epoch millis, the same clock as the claim's {@code now}),
 *     or null: due at once. A store claims it only once {@code runAt <= now}.
 * @param retryPolicy the retry policy the job was dispatched with, in the runtime's text form, or
 *     null: no retry. A store keeps it as given and hands it back with each claim.
 * @param maxAttempts the policy's attempts in all (null with no policy): recovery fails a job whose
 *     runs died with their process this many times
 * @param schedule the schedule that creates the job (its name), or null
 * @param scheduledFor the tick of {@code schedule} it runs for (epoch millis); a store keeps one job
 *     per schedule and tick, and skips inserting another ({@link JobStore#applyTick})
 * @param unique the unique key the job is dispatched with ({@link JobStore#insertUnique}), or null
 * @param resources the resources the job holds while it runs (concurrency limits), empty if none:
 *     a store claims it only while fewer RUNNING jobs than each resource's {@code max} hold it
 * @param relation its parent or its chain, or null ({@link Relation})
 */
public record NewJob(
        UUID id,
        String name,
        int version,
        byte[] data,
        int priority,
        long createdAt,
        String parameters,
        UUID rerunOf,
        Long runAt,
        String retryPolicy,
        Integer maxAttempts,
        String schedule,
        Long scheduledFor,
        UniqueKey unique,
        java.util.List<Resource> resources,
        Relation relation) {

    public NewJob {
        resources = resources == null ? java.util.List.of() : java.util.List.copyOf(resources);
    }

    /** A resource a job holds while it runs, and the most jobs that may hold it at once. */
    public record Resource(String key, int max) {}

    /**
     * A unique key and how long it holds.
     *
     * @param scope {@code WHILE_ACTIVE}, {@code PERIOD} or {@code FOREVER}
     * @param until for {@code PERIOD}, until when the key holds (epoch millis, the caller's clock)
     */
    public record UniqueKey(String key, String scope, Long until) {}

    /**
     * How a job is tied to others: a child of {@code parent} (dispatched by its run as its
     * {@code childKey}-th child: the generation of the parent's saved state and the index since),
     * or a step of the chain {@code chain} that waits for the step {@code after} (null for the
     * first step). A job with an {@code after} is inserted WAITING.
     *
     * @param continueOnFailure the chain goes on after this step's predecessor failed or was cancelled
     */
    public record Relation(UUID parent, String childKey, UUID chain, UUID after, boolean continueOnFailure) {

        public static Relation child(UUID parent, String childKey) {
            return new Relation(parent, childKey, null, null, false);
        }

        public static Relation step(UUID chain, UUID after, boolean continueOnFailure) {
            return new Relation(null, null, chain, after, continueOnFailure);
        }
    }

    /** This job with {@code unique} as its unique key. */
    public NewJob withUnique(UniqueKey unique) {
        return new NewJob(
                id,
                name,
                version,
                data,
                priority,
                createdAt,
                parameters,
                rerunOf,
                runAt,
                retryPolicy,
                maxAttempts,
                schedule,
                scheduledFor,
                unique,
                resources,
                relation);
    }

    /** This job tied to others by {@code relation}. */
    public NewJob withRelation(Relation relation) {
        return new NewJob(
                id,
                name,
                version,
                data,
                priority,
                createdAt,
                parameters,
                rerunOf,
                runAt,
                retryPolicy,
                maxAttempts,
                schedule,
                scheduledFor,
                unique,
                resources,
                relation);
    }

    /** Whether it is inserted WAITING (a chain step after the first). */
    public boolean waiting() {
        return relation != null && relation.after() != null;
    }

    /** A plain job: no retry policy, schedule, unique key or resources. */
    public NewJob(
            UUID id,
            String name,
            int version,
            byte[] data,
            int priority,
            long createdAt,
            String parameters,
            UUID rerunOf,
            Long runAt) {
        this(
                id,
                name,
                version,
                data,
                priority,
                createdAt,
                parameters,
                rerunOf,
                runAt,
                null,
                null,
                null,
                null,
                null,
                java.util.List.of(),
                null);
    }

    /** A job due at once. */
    public NewJob(
            UUID id,
            String name,
            int version,
            byte[] data,
            int priority,
            long createdAt,
            String parameters,
            UUID rerunOf) {
        this(id, name, version, data, priority, createdAt, parameters, rerunOf, null);
    }

    /** A job without recorded parameters, due at once. */
    public NewJob(UUID id, String name, int version, byte[] data, int priority, long createdAt) {
        this(id, name, version, data, priority, createdAt, null, null, null);
    }
}
