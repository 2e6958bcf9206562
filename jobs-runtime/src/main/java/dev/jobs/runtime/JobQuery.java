package dev.jobs.runtime;

import dev.jobs.JobStatus;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Which jobs {@link JobManager#list(JobQuery)} returns. Results are in a stable order (newest
 * first by default, by creation time then id); page through a large table with {@link #after}.
 *
 * <pre>{@code
 * List<JobInfo> page = jobs.list(JobQuery.all().statuses(JobStatus.FAILED).limit(50));
 * List<JobInfo> next = jobs.list(JobQuery.all().statuses(JobStatus.FAILED).limit(50).after(page.get(49)));
 * }</pre>
 */
public final class JobQuery {
    private final Set<JobStatus> statuses;
    private final List<String> names;
    private final Instant createdAfter;
    private final Instant createdBefore;
    private final int limit;
    private final boolean oldestFirst;
    private final Instant cursorCreated;
    private final UUID cursorId;
    private final String text;

    private JobQuery(
            Set<JobStatus> statuses,
            List<String> names,
            Instant createdAfter,
            Instant createdBefore,
            int limit,
            boolean oldestFirst,
            Instant cursorCreated,
            UUID cursorId,
            String text) {
        this.statuses = statuses;
        this.names = names;
        this.createdAfter = createdAfter;
        this.createdBefore = createdBefore;
        this.limit = limit;
        this.oldestFirst = oldestFirst;
        this.cursorCreated = cursorCreated;
        this.cursorId = cursorId;
        this.text = text;
    }

    /** Every job, newest first, at most 100. */
    public static JobQuery all() {
        return new JobQuery(EnumSet.allOf(JobStatus.class), List.of(), null, null, 100, false, null, null, null);
    }

    /** Only jobs in one of these statuses. */
    public JobQuery statuses(JobStatus... statuses) {
        Set<JobStatus> set = statuses.length == 0 ? EnumSet.allOf(JobStatus.class) : EnumSet.copyOf(List.of(statuses));
        return new JobQuery(set, names, createdAfter, createdBefore, limit, oldestFirst, cursorCreated, cursorId, text);
    }

    /** Only jobs with one of these names. */
    public JobQuery names(String... names) {
        return new JobQuery(
                statuses,
                List.of(names),
                createdAfter,
                createdBefore,
                limit,
                oldestFirst,
                cursorCreated,
                cursorId,
                text);
    }

    /** Only jobs created at or after {@code time}. */
    public JobQuery createdAfter(Instant time) {
        return new JobQuery(
                statuses,
                names,
                Objects.requireNonNull(time),
                createdBefore,
                limit,
                oldestFirst,
                cursorCreated,
                cursorId,
                text);
    }

    /** Only jobs created before {@code time}. */
    public JobQuery createdBefore(Instant time) {
        return new JobQuery(
                statuses,
                names,
                createdAfter,
                Objects.requireNonNull(time),
                limit,
                oldestFirst,
                cursorCreated,
                cursorId,
                text);
    }

    /**
     * Only jobs whose name, parameters (as JSON text) or error message contain {@code text}, or
     * whose id starts with it; ignoring case (of ASCII letters on SQLite). Blank text matches every
     * job. A search box for people, not an index: it reads every row the other conditions leave.
     */
    public JobQuery text(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip().toLowerCase(Locale.ROOT);
        return new JobQuery(
                statuses,
                names,
                createdAfter,
                createdBefore,
                limit,
                oldestFirst,
                cursorCreated,
                cursorId,
                t.isEmpty() ? null : t);
    }

    /** At most {@code limit} jobs (1 to 10,000). */
    public JobQuery limit(int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be between 1 and 10000, was " + limit);
        }
        return new JobQuery(
                statuses, names, createdAfter, createdBefore, limit, oldestFirst, cursorCreated, cursorId, text);
    }

    /** Oldest first instead of newest first. */
    public JobQuery oldestFirst() {
        return new JobQuery(statuses, names, createdAfter, createdBefore, limit, true, cursorCreated, cursorId, text);
    }

    /** The page after {@code last}, the last job of the previous page. */
    public JobQuery after(JobInfo last) {
        return new JobQuery(
                statuses, names, createdAfter, createdBefore, limit, oldestFirst, last.createdAt(), last.id(), text);
    }

    public Set<JobStatus> statuses() {
        return statuses;
    }

    public List<String> names() {
        return names;
    }

    public Optional<Instant> createdAfter() {
        return Optional.ofNullable(createdAfter);
    }

    public Optional<Instant> createdBefore() {
        return Optional.ofNullable(createdBefore);
    }

    /** The text filter, lower-cased and stripped; empty when none was given. */
    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    public int limit() {
        return limit;
    }

    public boolean isOldestFirst() {
        return oldestFirst;
    }

    public Optional<Instant> cursorCreated() {
        return Optional.ofNullable(cursorCreated);
    }

    public Optional<UUID> cursorId() {
        return Optional.ofNullable(cursorId);
    }
}
