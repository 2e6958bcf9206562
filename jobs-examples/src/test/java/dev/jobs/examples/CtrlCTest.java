package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) on a foreground `jobctl run` pauses the job; `jobctl resume` finishes it. */
@org.junit.jupiter.api.Timeout(
        value = 5,
        unit = java.util.concurrent.TimeUnit.MINUTES) // child JVMs: more than the 120 s default
class CtrlCTest {

    @TempDir
    Path dir;

    /**
     * A process started in the background by a non-interactive shell (nohup, {@code &}) ignores
     * SIGINT, and its children inherit that: Ctrl-C cannot reach jobctl then.
     */
    private static boolean sigintIgnoredHere() throws java.io.IOException {
        Path status = Path.of("/proc/self/status");
        if (!java.nio.file.Files.exists(status)) {
            return false;
        }
        return java.nio.file.Files.readAllLines(status).stream()
                .filter(l -> l.startsWith("SigIgn:"))
                .anyMatch(l -> (Long.parseLong(l.substring(7).trim(), 16) & 0b10) != 0);
    }

    @Test
    void interruptPausesTheForegroundJobAndResumeFinishesIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                sigintIgnoredHere(), "SIGINT is ignored in this environment (started with nohup or &): skipped");
        Path source = Trees.make(dir.resolve("src"), 1, 0, 32 << 20);
        Path db = dir.resolve("jobs.db");
        try (JobManager client = JobManager.builder().database(db).client().build()) { // ready before the child starts
            Process child = Cli.start(
                    db,
                    "run",
                    "file_copy",
                    "--no-progress",
                    "--params",
                    "{\"sources\":[\"" + source + "\"],\"destination\":\"" + dir.resolve("dst")
                            + "\",\"checkpointBytes\":1048576,\"throttleMillis\":300}");
            String output;
            UUID id;
            try {
                ChildOutput out = new ChildOutput(child);
                id = UUID.fromString(
                        out.await(Pattern.compile("job (\\S+) \\(file_copy\\) started"), Duration.ofSeconds(60))
                                .group(1));
                // as a user would, press Ctrl-C once some of the copy is done and checkpointed
                StoredState.await(
                        client,
                        id,
                        "a checkpoint",
                        info -> info.lastCheckpoint().isPresent(),
                        Duration.ofSeconds(60));
                Process kill = new ProcessBuilder("sh", "-c", "kill -INT " + child.pid())
                        .start(); // the shell builtin: no procps needed
                assertThat(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0)
                        .as("kill -INT %s", child.pid())
                        .isTrue();
                output = out.awaitEnd(Duration.ofSeconds(60));
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
            } finally {
                child.destroyForcibly();
            }
            assertThat(child.exitValue()).as(output).isEqualTo(130);
            assertThat(output).contains("paused job " + id);
            assertThat(Cli.run(db, "status", id.toString()).out()).contains("status:     PAUSED");

            Cli.Result resumed = Cli.run(db, "resume", id.toString());
            assertThat(resumed.exit()).as(resumed.err()).isZero();
            // the background worker finishes it: the client's handle settles when the row says so
            client.handle(id).result().get(120, TimeUnit.SECONDS);
            assertThat(client.info(id).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(Cli.run(db, "status", id.toString()).out()).contains("status:     COMPLETED", "attempts:   2");
            Trees.assertSameTree(source, dir.resolve("dst/src"));
            Matcher pid = Pattern.compile("worker pid (\\d+)").matcher(resumed.out());
            if (pid.find()) {
                ProcessHandle worker =
                        ProcessHandle.of(Long.parseLong(pid.group(1))).orElse(null);
                if (worker != null) {
                    worker.onExit().get(60, TimeUnit.SECONDS); // it exits once the job is done
                }
            }
        }
    }
}
