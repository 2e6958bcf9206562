package dev.jobs.runtime;

import dev.jobs.LogLevel;
import java.time.Instant;
import java.util.UUID;

/** One line a job wrote with {@code ctx.log(...)}; {@code sequence} starts at 1 per job. */
public record LogLine(UUID jobId, long sequence, Instant timestamp, LogLevel level, String message) {
    @Override
    public String toString() {
        return timestamp + " " + level + " " + message;
    }
}
