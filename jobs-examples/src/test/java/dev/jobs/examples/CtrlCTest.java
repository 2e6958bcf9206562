package dev.jobs.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) on a foreground `jobctl run` pauses the job; `jobctl resume` finishes it. */
@org.junit.jupiter.api.Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES) // child JVMs: more than the 120 s default
class CtrlCTest {

    @TempDir
    Path dir;

    @Test
    void interruptPausesTheForegroundJobAndResumeFinishesIt() throws Exception {
        Path source = Trees.make(dir.resolve("src"), 1, 0, 32 << 20);
        Path db = dir.resolve("jobs.db");
        Process child = Cli.start(db, "run", "file_copy", "--no-progress", "--params", "{\"sources\":[\"" + source
                + "\"],\"destination\":\"" + dir.resolve("dst") + "\",\"checkpointBytes\":1048576,\"throttleMillis\":60}");
        String id = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; id == null && (line = out.readLine()) != null; ) {
                output.append(line).append('\n');
                Matcher m = Pattern.compile("job (\\S+) \\(file_copy\\) started").matcher(line);
                if (m.find()) {
                    id = m.group(1);
                }
            }
            assertThat(id).as(output.toString()).isNotNull();
            // let it copy a few MiB, as a user would before pressing Ctrl-C
            assertThat(Cli.run(db, "log", id).exit()).isZero();
            new ProcessBuilder("sh", "-c", "kill -INT " + child.pid()).start().waitFor(); // the shell builtin: no procps needed
            for (String line; (line = out.readLine()) != null; ) {
                output.append(line).append('\n');
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(output.toString()).isEqualTo(130);
        assertThat(output).contains("paused job " + id);
        assertThat(Cli.run(db, "status", id).out()).contains("status:     PAUSED");

        Cli.Result resumed = Cli.run(db, "resume", id);
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        Cli.run(db, "log", id, "--follow");
        assertThat(Cli.run(db, "status", id).out()).contains("status:     COMPLETED", "attempts:   2");
        Trees.assertSameTree(source, dir.resolve("dst/src"));
        Matcher pid = Pattern.compile("worker pid (\\d+)").matcher(resumed.out());
        if (pid.find()) {
            ProcessHandle.of(Long.parseLong(pid.group(1))).ifPresent(p -> p.onExit().join());
        }
    }
}
