package dev.jobs.process;

import java.util.List;

/**
 * The output of a job whose command exited with a success code.
 *
 * @param command the program and its arguments
 * @param exitCode the command's exit code (one of its success codes)
 * @param durationMillis from the start of the command to its exit (across restarts of the job)
 * @param lastLines the last lines of its standard output (at most 20)
 * @param lastErrorLines the last lines of its standard error (at most 20)
 */
public record CommandResult(
        List<String> command, int exitCode, long durationMillis, List<String> lastLines, List<String> lastErrorLines) {
    public CommandResult {
        command = List.copyOf(command);
        lastLines = List.copyOf(lastLines);
        lastErrorLines = List.copyOf(lastErrorLines);
    }
}
