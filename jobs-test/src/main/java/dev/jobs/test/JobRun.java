package dev.jobs.test;

import dev.jobs.JobStatus;
import dev.jobs.Progress;
import dev.jobs.runtime.LogLine;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything a harness run of one job produced, in order. Check it with
 * {@link JobAssertions#assertThat(JobRun)}.
 *
 * @param resumable whether the job type is resumable ({@code @Job(resumable = false)} makes it not)
 * @param output the output read back from the store (as another process would see it), or null
 * @param outputJson the stored JSON of the output, or null
 * @param error the stored error of a FAILED job ("class: message"), or null
 * @param progress every progress value the job reported, in order (no throttling in the harness)
 * @param logs every log line, in order
 * @param checkpoints every committed checkpoint, in order
 * @param restarts how many simulated crashes the job went through
 * @param pauses how many times the job stopped PAUSED (the harness resumed it each time an
 *     {@link Interruption} asked for the pause)
 * @param retries how many failed attempts were scheduled for a retry (the harness skipped each
 *     backoff by moving its clock to the retry time)
 * @param roundTripProblems checkpoints whose state did not read back to the same state
 * @param elapsed wall time of the whole run
 */
public record JobRun<O>(
        UUID id,
        String name,
        boolean resumable,
        JobStatus status,
        O output,
        String outputJson,
        String error,
        List<Progress> progress,
        List<LogLine> logs,
        List<CheckpointRecord> checkpoints,
        int restarts,
        int pauses,
        int retries,
        List<String> roundTripProblems,
        Duration elapsed) {

    /**
     * Why the run ended as it did, when its status and error alone would mislead: a non-resumable
     * job that the harness crashed is FAILED by the recovery after the restart, not by its own
     * code. Empty otherwise. {@link JobRunAssert}'s status assertions add it to their messages.
     */
    public Optional<String> explanation() {
        if (status == JobStatus.FAILED && !resumable && restarts > 0) {
            return Optional.of("the job is FAILED: a non-resumable job fails when its run is interrupted by a crash "
                    + "(recovery marks it FAILED instead of running it again); mark it @Job(resumable = true) if it "
                    + "can continue from its checkpoints, or test it with a pause, a cancel or no interruption");
        }
        return Optional.empty();
    }

    public Optional<Progress> lastProgress() {
        return progress.isEmpty() ? Optional.empty() : Optional.of(progress.get(progress.size() - 1));
    }
}
