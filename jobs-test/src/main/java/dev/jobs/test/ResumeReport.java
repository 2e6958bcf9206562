package dev.jobs.test;

import java.util.List;

/**
 * What {@link JobHarness#assertResumesCorrectly} checked: the number of checkpoints of an
 * uninterrupted run, the checkpoints it crashed (and paused, and failed) at, and the seed of the
 * sample.
 *
 * @param failuresChecked whether a failure was also injected at each point and the job retried
 *     ({@link ResumeVerifier#checkFailures})
 */
public record ResumeReport(
        int checkpoints, List<Integer> pointsChecked, boolean pausesChecked, boolean failuresChecked, long seed) {}
