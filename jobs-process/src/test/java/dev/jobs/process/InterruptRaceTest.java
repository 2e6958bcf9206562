package dev.jobs.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobs.JobContext;
import dev.jobs.JobInterruptedException;
import dev.jobs.LogLevel;
import dev.jobs.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pause that arrives in the instant after the command exited on its own, before the job saw it
 * exit: made deterministic with a context whose {@code checkInterrupt()} waits for that instant.
 */
@EnabledOnOs(OS.LINUX)
class InterruptRaceTest {

    @TempDir
    Path dir;

    /** A job context of a single run, without a store; checkInterrupt runs {@code atInterrupt}. */
    static final class Context implements JobContext {
        final Path data;
        final CopyOnWriteArrayList<String> log = new CopyOnWriteArrayList<>();
        Runnable atInterrupt = () -> {};
        boolean pause;

        Context(Path data) {
            this.data = data;
        }

        @Override
        public UUID id() {
            return new UUID(0, 1);
        }

        @Override
        public boolean isResuming() {
            return false;
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public Optional<Instant> scheduledTime() {
            return Optional.empty();
        }

        @Override
        public void log(LogLevel level, String message) {
            log.add(message);
        }

        @Override
        public void progress(Progress progress) {}

        @Override
        public void checkInterrupt() throws JobInterruptedException {
            atInterrupt.run();
            if (pause) {
                pause = false;
                throw new JobInterruptedException(JobInterruptedException.Reason.PAUSED);
            }
        }

        @Override
        public void checkpoint() {}

        @Override
        public Path dataDir() {
            return data;
        }
    }

    @Test
    void aPauseJustAfterTheCommandExitedOnItsOwnDoesNotMakeTheResumedJobRunItAgain() throws Exception {
        Path starts = dir.resolve("starts");
        Path go = dir.resolve("go");
        Path script = Scripts.script(
                dir, "once.sh", "echo $$ >> " + starts + "\nwhile [ ! -e " + go + " ]; do sleep 0.02; done\necho done");
        Command command = Command.of(script.toString()).grace(Duration.ofMillis(200));
        CommandRun run = new CommandRun();
        Context first = new Context(dir.resolve("data"));
        first.atInterrupt = () -> {
            // the command ends on its own now, and the pause comes before the job looks again
            try {
                Files.write(go, new byte[0]);
                ProcessJobTest.await(
                        "the command to exit",
                        () -> ProcessHandle.of(run.pid()).map(h -> !h.isAlive()).orElse(true));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            first.atInterrupt = () -> {};
            first.pause = true;
        };

        assertThatThrownBy(() -> run.run(first, command)).isInstanceOf(JobInterruptedException.class);
        Context resumed = new Context(dir.resolve("data"));
        CommandResult result = run.run(resumed, command);

        assertThat(Scripts.pids(starts)).as("the command ran once").hasSize(1);
        assertThat(result.exitCode()).isZero();
    }
}
