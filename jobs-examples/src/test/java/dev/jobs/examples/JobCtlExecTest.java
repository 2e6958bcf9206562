package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobctl exec}: an external command as a job. */
class JobCtlExecTest {

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("jobs.db");
    }

    @Test
    void execPrintsTheCommandsOutputAndCompletes() {
        Cli.Result r = Cli.run(db(), "exec", "--", "sh", "-c", "echo hello; echo oops >&2");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("hello", "oops", "(process) completed", "\"exitCode\":0");
    }

    @Test
    void aFailingCommandExits1WithItsExitCodeAndStandardError() {
        Cli.Result r = Cli.run(db(), "exec", "--", "sh", "-c", "echo 'no space left' >&2; exit 3");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("failed: ", "sh exited with 3", "no space left");
    }

    @Test
    void anAcceptedExitCodeCompletes() {
        Cli.Result r = Cli.run(db(), "exec", "--success-codes", "0,24", "--", "sh", "-c", "exit 24");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }

    @Test
    void inTheBackgroundItsOutputIsFollowedWithLog() throws Exception {
        Cli.Result started = Cli.run(db(), "exec", "--bg", "--", "sh", "-c", "echo one; echo two");
        assertThat(started.exit()).as(started.err()).isZero();
        Matcher m = Pattern.compile("job ([0-9a-f-]{36})").matcher(started.out());
        assertThat(m.find()).isTrue();
        UUID id = UUID.fromString(m.group(1));

        Cli.Result log = Cli.run(db(), "log", id.toString(), "--follow");

        assertThat(log.out()).contains("one", "two");
        assertThat(Cli.run(db(), "status", id.toString()).out()).contains("status:     COMPLETED");
        Matcher pid = Pattern.compile("worker pid (\\d+)").matcher(started.out());
        assertThat(pid.find()).isTrue();
        ProcessHandle.of(Long.parseLong(pid.group(1)))
                .ifPresent(h -> h.onExit().orTimeout(60, TimeUnit.SECONDS).join());
    }

    @Test
    void execWithoutACommandIsABadUsage() {
        Cli.Result r = Cli.run(db(), "exec");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("COMMAND");
    }
}
