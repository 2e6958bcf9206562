package dev.jobs.runtime.testjobs;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Optional parameters of the types whose JSON needs more than a JSON type check; returns them as text. */
@Job(name = "test.types")
public class TypesJob implements JobHandler<String> {

    /** A range whose constructor refuses {@code from > to}. */
    public record Range(int from, int to) {
        public Range {
            if (from > to) {
                throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
            }
        }
    }

    @Param(required = false)
    UUID id;

    @Param(required = false)
    LocalDate day;

    @Param(required = false)
    Instant at;

    @Param(required = false)
    Duration timeout;

    @Param(required = false)
    byte small;

    @Param(required = false)
    char mark;

    @Param(required = false)
    float ratio;

    @Param(required = false)
    double precise;

    @Param(required = false)
    BigDecimal amount;

    @Param(required = false)
    byte[] blob;

    @Param(required = false)
    Map<UUID, Integer> byId;

    @Param(required = false)
    Set<String> tags;

    @Param(required = false)
    Range range;

    int runs;

    TypesJob() {}

    @Override
    public String run(JobContext ctx) {
        runs++;
        return id + " " + day + " " + at + " " + timeout + " " + small + " " + mark + " " + ratio + " " + precise + " "
                + amount + " " + byId + " " + tags + " " + range;
    }
}
