package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.examples.index.IndexOutput;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.LogLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `jobctl run` in a real child JVM, killed with SIGKILL mid-job, then resumed by another manager. */
@org.junit.jupiter.api.Timeout(
        value = 5,
        unit = java.util.concurrent.TimeUnit.MINUTES) // child JVMs: more than the 120 s default
class KillAndResumeTest {

    @TempDir
    Path dir;

    /**
     * Starts `jobctl run`, waits for it to print the job id, then until the job's stored progress
     * reaches {@code fraction} with a checkpoint committed, and kills the JVM.
     */
    private UUID runAndKill(Path db, String name, String params, double fraction) throws Exception {
        JobManager client = JobManager.builder().database(db).client().build(); // ready before the child starts
        Process child = Cli.start(db, "run", name, "--params", params, "--no-progress");
        UUID id;
        try (client) {
            ChildOutput out = new ChildOutput(child);
            id = UUID.fromString(
                    out.await(Pattern.compile("job (\\S+) \\(" + name + "\\) started"), Duration.ofSeconds(60))
                            .group(1));
            StoredState.await(
                    client,
                    id,
                    fraction + " done with a checkpoint",
                    info -> StoredState.fraction(info) >= fraction
                            && info.lastCheckpoint().isPresent(),
                    Duration.ofSeconds(60));
            assertThat(client.info(id).status())
                    .as("still running when killed; output:%n%s", out.text())
                    .isEqualTo(JobStatus.RUNNING);
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        return id;
    }

    @Test
    void largeFileCopyKilledMidFileResumesFromItsLastOffsetAndIsByteIdentical() throws Exception {
        Path source = Trees.make(dir.resolve("big"), 1, 0, 48 << 20);
        Path db = dir.resolve("jobs.db");
        String params = "{\"sources\":[\"" + source + "\"],\"destination\":\"" + dir.resolve("copy")
                + "\",\"checkpointBytes\":1048576,\"throttleMillis\":40}";
        UUID id = runAndKill(db, "file_copy", params, 0.3);

        try (JobManager jobs = JobManager.builder().database(db).workers(1).build()) {
            Object output = jobs.handle(id).result().get(120, TimeUnit.SECONDS);
            assertThat(output.toString()).contains("copiedCount=1");
            String resumed = jobs.logs(id, 0, 100).stream()
                    .map(LogLine::message)
                    .filter(m -> m.startsWith("resuming at file 1 of 1, byte "))
                    .findFirst()
                    .orElseThrow();
            long offset = Long.parseLong(resumed.substring("resuming at file 1 of 1, byte ".length()));
            assertThat(offset)
                    .as("resumed mid-file, not from the start")
                    .isGreaterThanOrEqualTo((48L << 20) * 3 / 10 - (1 << 20));
            assertThat(jobs.info(id).attempt()).isEqualTo(2);
        }
        Trees.assertSameTree(source, dir.resolve("copy/big"));
    }

    @Test
    void indexerKilledMidRunEndsWithTheSameIndexAsAnUninterruptedRun() throws Exception {
        Path tree = Trees.make(dir.resolve("tree"), 4, 30, 2_000);
        Path db = dir.resolve("jobs.db");
        String params = "{\"location\":\"" + tree + "\",\"index\":\"" + dir.resolve("killed.db")
                + "\",\"mode\":\"DEEP\",\"batchSize\":10,\"throttleMillis\":20}";
        UUID id = runAndKill(db, "indexer", params, 0.45);

        Object resumedOutput;
        Object uninterruptedOutput;
        try (JobManager jobs = JobManager.builder()
                .database(db)
                .workers(1)
                .shutdownTimeout(Duration.ofSeconds(30))
                .build()) {
            resumedOutput = jobs.handle(id).result().get(120, TimeUnit.SECONDS);
            String clean = "{\"location\":\"" + tree + "\",\"index\":\"" + dir.resolve("clean.db")
                    + "\",\"mode\":\"DEEP\",\"batchSize\":10}";
            uninterruptedOutput = jobs.dispatchByName("indexer", clean).result().get(120, TimeUnit.SECONDS);
            assertThat(jobs.info(id).attempt()).isEqualTo(2);
        }
        assertThat(resumedOutput).isInstanceOf(IndexOutput.class).isEqualTo(uninterruptedOutput);
        assertThat(((IndexOutput) resumedOutput).files()).isEqualTo(124);
        assertThat(((IndexOutput) resumedOutput).hashed()).isEqualTo(124);
    }
}
