package dev.jobs.process;

import static dev.jobs.process.ProcessJobTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobs.JobStatus;
import dev.jobs.runtime.JobManager;
import dev.jobs.runtime.LogLine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manager running a command is killed with {@code kill -9} (a real child JVM); a manager
 * started afterwards on the same database finds the command by its process id and start time.
 */
@EnabledOnOs(OS.LINUX)
class ProcessCrashTest {

    @TempDir
    Path dir;

    /** Starts the child, waits for the script to record its start, kills the child with SIGKILL. */
    private UUID runAndKill(Path script, Path starts, String policy) throws Exception {
        return runAndKill(script, policy, "the command to start", () -> lines(starts) == 1);
    }

    /** Starts the child, waits for {@code condition}, kills the child with SIGKILL. */
    private UUID runAndKill(Path script, String policy, String what, BooleanSupplier condition, String... more)
            throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                ProcessChild.class.getName(),
                dir.resolve("jobs.db").toString(),
                script.toString(),
                policy));
        argv.addAll(List.of(more));
        Process child = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            UUID id;
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line = out.readLine();
                assertThat(line).as("the child's first line").startsWith("id ");
                id = UUID.fromString(line.substring(3));
                await(what, condition);
                child.destroyForcibly(); // SIGKILL
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            return id;
        } finally {
            child.destroyForcibly();
        }
    }

    private static int lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** A script that records its pid in {@code starts}, then waits for {@code go} and prints "finished". */
    private Path waitingScript(Path starts, Path go) throws Exception {
        return Scripts.script(
                dir,
                "wait.sh",
                "echo $$ >> " + starts + "\necho waiting\nwhile [ ! -e " + go
                        + " ]; do sleep 0.05; done\necho finished");
    }

    @Test
    void aResumedJobReattachesToItsStillRunningCommand() throws Exception {
        Path starts = dir.resolve("starts");
        Path go = dir.resolve("go");
        UUID id = runAndKill(waitingScript(starts, go), starts, "REATTACH");
        long pid = Scripts.pids(starts).get(0);
        assertThat(Scripts.alive(pid))
                .as("the command outlives the killed manager")
                .isTrue();

        try (JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).build()) {
            await(
                    "the re-attachment",
                    () -> jobs.logs(id, 0, 1000).stream()
                            .anyMatch(l -> l.message().startsWith("re-attaching to the command")));
            Files.createFile(go);
            CommandResult result = (CommandResult) jobs.handle(id).result().get(60, TimeUnit.SECONDS);

            assertThat(result.exitCode()).isZero();
            assertThat(result.lastLines()).contains("finished");
            assertThat(lines(starts)).as("the command ran once").isEqualTo(1);
            List<String> messages =
                    jobs.logs(id, 0, 1000).stream().map(LogLine::message).toList();
            assertThat(messages).contains("waiting", "finished");
        }
    }

    @Test
    void underTheKillPolicyTheOrphanedGroupIsStoppedAndTheCommandRunsAgain() throws Exception {
        Path starts = dir.resolve("starts");
        Path go = dir.resolve("go");
        UUID id = runAndKill(waitingScript(starts, go), starts, "KILL");
        long first = Scripts.pids(starts).get(0);

        try (JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).build()) {
            await("the second start", () -> lines(starts) == 2);
            assertThat(Scripts.alive(first))
                    .as("the orphaned command was stopped")
                    .isFalse();
            Files.createFile(go);
            CommandResult result = (CommandResult) jobs.handle(id).result().get(60, TimeUnit.SECONDS);

            assertThat(result.exitCode()).isZero();
            assertThat(jobs.logs(id, 0, 1000))
                    .anySatisfy(
                            l -> assertThat(l.message()).contains("stopping its process group and starting it again"));
        }
    }

    @Test
    void aCommandThatEndedWhileNoManagerRanCompletesWithItsRecordedExitCode() throws Exception {
        Path starts = dir.resolve("starts");
        Path go = dir.resolve("go");
        UUID id = runAndKill(waitingScript(starts, go), starts, "REATTACH");
        long pid = Scripts.pids(starts).get(0);
        Files.createFile(go);
        await("the command to end on its own", () -> !Scripts.alive(pid));

        try (JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).build()) {
            CommandResult result = (CommandResult) jobs.handle(id).result().get(60, TimeUnit.SECONDS);

            assertThat(result.exitCode()).isZero();
            assertThat(result.lastLines()).contains("finished");
            assertThat(lines(starts)).isEqualTo(1);
            assertThat(jobs.info(id).status()).isEqualTo(JobStatus.COMPLETED);
        }
    }

    @Test
    void aCommandThatExitedJustBeforeTheManagerDiedIsNotRunAgain() throws Exception {
        Path starts = dir.resolve("starts");
        Path held = dir.resolve("held");
        Path script = Scripts.script(dir, "once.sh", "echo $$ >> " + starts + "\necho done; exit 24");
        // the manager dies after the command exited and run() returned, before the job's result
        // (or any later checkpoint) was saved
        UUID id = runAndKill(script, "REATTACH", "the command's result", () -> Files.exists(held), held.toString());
        assertThat(lines(starts)).isEqualTo(1);

        try (JobManager jobs =
                JobManager.builder().database(dir.resolve("jobs.db")).build()) {
            CommandResult result = (CommandResult) jobs.handle(id).result().get(60, TimeUnit.SECONDS);

            assertThat(lines(starts)).as("the command ran once").isEqualTo(1);
            assertThat(result.exitCode()).as("its exit code, read back").isEqualTo(24);
            assertThat(jobs.info(id).status()).isEqualTo(JobStatus.COMPLETED);
        }
    }
}
