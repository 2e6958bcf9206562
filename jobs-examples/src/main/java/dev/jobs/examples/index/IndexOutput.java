package dev.jobs.examples.index;

/**
 * Totals of an index: files and directories found, their bytes, and what each mode added (content
 * hashes; media types, text files and their lines).
 */
public record IndexOutput(
        IndexerJob.Mode mode,
        long files,
        long directories,
        long bytes,
        long hashed,
        long mediaTyped,
        long textFiles,
        long textLines,
        long vanished) {}
