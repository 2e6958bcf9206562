package dev.jobs.postgres.testjobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The side record of the fault tests' jobs: one line per event, appended by every process to one
 * file (each line is one small write with O_APPEND, so lines of several processes do not mix).
 */
public final class Side {
    private Side() {}

    public static void line(String file, String text) {
        try {
            Files.writeString(
                    Path.of(file),
                    text + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }
}
