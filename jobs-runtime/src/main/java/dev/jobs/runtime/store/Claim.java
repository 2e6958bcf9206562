package dev.jobs.runtime.store;

import java.util.UUID;

/**
 * One claim of one job: the fence every write of its run carries. A write guarded by it changes
 * the row only while the job is RUNNING, owned by {@code owner}, and still under this
 * {@code token}; once anyone claimed the job again, the same write changes nothing and the caller
 * learns it lost the job.
 */
public record Claim(UUID id, String owner, long token) {}
