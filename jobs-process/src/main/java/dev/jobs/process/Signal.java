package dev.jobs.process;

/** The POSIX signals the stop ladder can send to a command's process group. */
public enum Signal {
    /** Interrupt, as Ctrl-C in a terminal: most tools stop cleanly (rsync keeps its partial file). */
    INT,
    /** The polite request to terminate. */
    TERM,
    /** Hang-up, which some daemons take as a request to stop. */
    HUP,
    /** Cannot be caught or ignored: the last step of the ladder. */
    KILL
}
