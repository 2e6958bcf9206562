package dev.jobs.runtime.testjobs;

import dev.jobs.JobContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The side file of the family test jobs ({@link FamStepJob}, {@link FamParentJob}, {@link FamPartJob}):
 * one appended line per side effect, so that a test in another process counts runs exactly; and a
 * gate that is a file, since the jobs run in other JVMs than the test.
 */
public final class FamSide {
    private FamSide() {}

    /** The pid of this process, in every line, so that a test knows which process did what. */
    public static final long PID = ProcessHandle.current().pid();

    /** Appends {@code text} and a newline (one small write in append mode: lines never interleave). */
    public static void line(String file, String text) throws IOException {
        Files.writeString(
                Path.of(file),
                text + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /**
     * Waits until the file {@code gate} exists, honouring cancels and pauses meanwhile (an
     * interrupt point every 10 ms): the gate is opened by a test in another process.
     */
    public static void awaitFile(JobContext ctx, String gate) throws Exception {
        while (!Files.exists(Path.of(gate))) {
            ctx.checkInterrupt();
            Thread.sleep(10);
        }
    }
}
