package dev.jobs.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.test.Interruption;
import dev.jobs.test.JobHarness;
import dev.jobs.test.JobRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures and crashes at the checkpoints around a command's launch, injected with the
 * {@link JobHarness}: checkpoint 1 records where the command will write, checkpoint 2 its
 * process id and start time.
 */
@EnabledOnOs(OS.LINUX)
class ProcessHarnessTest {

    @TempDir
    Path dir;

    JobHarness harness;

    @BeforeEach
    void open() {
        harness = JobHarness.create(dir.resolve("harness"));
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aJobFailingAtTheCheckpointAfterTheLaunchLeavesNoProcessOfItsCommand() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = Scripts.script(dir, "long.sh", "echo $$ >> " + pids + "\nexec sleep 1000");

        JobRun<CommandResult> run =
                harness.run(new ScriptJob(List.of(script.toString())), Interruption.failAtCheckpoint(2));

        assertThat(run.status()).isEqualTo(JobStatus.FAILED);
        ProcessJobTest.await("the command to have recorded its pid", () -> Files.exists(pids));
        assertThat(Scripts.pids(pids))
                .as("the command does not run on once its job has FAILED")
                .noneMatch(Scripts::alive);
    }

    @Test
    void aCrashAtTheCheckpointAfterTheLaunchRunsTheCommandOnce() throws Exception {
        Path starts = dir.resolve("starts");
        Path script = Scripts.script(dir, "once.sh", "echo $$ >> " + starts + "\nsleep 0.5\necho done");

        JobRun<CommandResult> run =
                harness.run(new ScriptJob(List.of(script.toString())), Interruption.crashAtCheckpoint(2));

        assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(run.restarts()).isEqualTo(1);
        assertThat(Scripts.pids(starts)).as("the command ran once").hasSize(1);
        assertThat(run.output().exitCode()).isZero();
    }

    @Test
    void aCrashAfterAFailedCommandIsRecordedFailsTheJobWithoutRunningTheCommandAgain() throws Exception {
        Path starts = dir.resolve("starts");
        Path script = Scripts.script(dir, "fails.sh", "echo $$ >> " + starts + "\necho 'no space left' >&2\nexit 3");

        // checkpoint 3 records that the command failed, just before the job throws
        JobRun<CommandResult> run =
                harness.run(new ScriptJob(List.of(script.toString())), Interruption.crashAtCheckpoint(3));

        assertThat(run.restarts()).isEqualTo(1);
        assertThat(Scripts.pids(starts)).as("the command ran once").hasSize(1);
        assertThat(run.status()).isEqualTo(JobStatus.FAILED);
        assertThat(run.error()).contains("exited with 3");
    }

    @Test
    void aCrashWhileTheCommandRunsReattachesAndRunsItOnce() throws Exception {
        Path starts = dir.resolve("starts");
        Path script = Scripts.script(
                dir, "slowish.sh", "echo $$ >> " + starts + "\nfor i in 1 2 3 4 5; do echo $i; sleep 0.2; done");

        JobRun<CommandResult> run =
                harness.run(new ScriptJob(List.of(script.toString())), Interruption.crashAtCheckInterrupt(3));

        assertThat(run.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(run.restarts()).isEqualTo(1);
        assertThat(Scripts.pids(starts)).as("the command ran once").hasSize(1);
        assertThat(run.output().lastLines()).contains("5");
    }

    @Test
    void aCancelAtTheCheckpointAfterTheLaunchLeavesNoProcessOfItsCommand() throws Exception {
        Path pids = dir.resolve("pids");
        Path script = Scripts.script(dir, "long.sh", "echo $$ >> " + pids + "\nexec sleep 1000");

        JobRun<CommandResult> run =
                harness.run(new ScriptJob(List.of(script.toString())), Interruption.cancelAtCheckpoint(2));

        assertThat(run.status()).isEqualTo(JobStatus.CANCELLED);
        ProcessJobTest.await("the command to have recorded its pid", () -> Files.exists(pids));
        assertThat(Scripts.pids(pids)).noneMatch(Scripts::alive);
    }

    @Test
    void aCrashAfterATimedOutCommandIsRecordedFailsTheJobWithoutRunningTheCommandAgain() throws Exception {
        Path starts = dir.resolve("starts");
        Path script = Scripts.script(dir, "slow.sh", "echo $$ >> " + starts + "\nexec sleep 1000");
        ScriptJob job = new ScriptJob(List.of(script.toString()));
        job.timeoutMillis = 300L;

        // checkpoint 3 records that the command was stopped for its timeout, just before the job throws
        JobRun<CommandResult> run = harness.run(job, Interruption.crashAtCheckpoint(3));

        assertThat(run.restarts()).isEqualTo(1);
        assertThat(Scripts.pids(starts)).as("the command ran once").hasSize(1);
        assertThat(run.status()).isEqualTo(JobStatus.FAILED);
        assertThat(run.error()).contains("ran longer than its timeout");
        assertThat(Scripts.pids(starts)).noneMatch(Scripts::alive);
    }
}
