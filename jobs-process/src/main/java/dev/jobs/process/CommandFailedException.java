package dev.jobs.process;

/**
 * A command exited with a code that is not one of its success codes, was killed by a signal, or
 * ran past its timeout. The job fails with it (or is retried, under a retry policy that allows
 * it). The message names the command and the exit code and ends with the last lines of its
 * standard error.
 */
public class CommandFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CommandFailedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The exit code; 128 + the signal's number for a command killed by a signal; -1 after a timeout or when unknown. */
    public int exitCode() {
        return exitCode;
    }
}
