package dev.jobs.process;

/**
 * What a job does, when it resumes after its process died (a crash, {@code kill -9}), with the
 * command that process had started and that is still running. A command is recognised by its
 * process id <em>and</em> its start time, both checkpointed when it started: a process id that the
 * system has given to another process since is never signalled nor waited for.
 */
public enum OrphanPolicy {
    /**
     * Waits for the running command, logging its output from where the last checkpoint left off
     * (the output goes to files, not pipes, so it outlives the JVM), and takes its exit code
     * from the file its wrapper writes.
     */
    REATTACH,
    /** Stops the running command's whole process group (the stop ladder), then runs the command again. */
    KILL
}
