package dev.jobs.test;

import java.util.List;

/**
 * What {@link JobHarness#assertResumesCorrectly} checked: the number of checkpoints of an
 * uninterrupted run, the checkpoints it crashed (and paused) at, and the seed of the sample.
 */
public record ResumeReport(int checkpoints, List<Integer> pointsChecked, boolean pausesChecked, long seed) {}
