package dev.jobs;

/**
 * The level of a line a job writes with {@link JobContext#log(LogLevel, String)}; mapped onto the
 * SLF4J levels of the same names.
 */
public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR
}
