package dev.jobs.process;

import dev.jobs.Progress;
import java.util.Optional;

/**
 * Reads a job's progress from a line of its command's output. Called for every line of standard
 * output and standard error, and for every carriage-return-terminated update (how rsync and curl
 * redraw their progress line), on the job's thread; the last progress found wins.
 */
@FunctionalInterface
public interface ProgressParser {

    /** The progress this line reports, if any. */
    Optional<Progress> parse(String line);
}
