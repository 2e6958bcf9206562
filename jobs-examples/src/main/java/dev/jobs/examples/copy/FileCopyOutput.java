package dev.jobs.examples.copy;

import java.util.List;

/**
 * What a {@link FileCopyJob} did: files copied and verified, files that failed with the reason,
 * bytes copied, and the time spent running (pauses and restarts excluded).
 */
public record FileCopyOutput(
        int copiedCount, int failedCount, long totalBytes, long durationMillis, List<CopyFailure> failures) {

    /** A file that could not be copied, and why. */
    public record CopyFailure(String path, String reason) {}
}
