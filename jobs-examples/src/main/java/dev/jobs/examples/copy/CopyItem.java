package dev.jobs.examples.copy;

/** One file of the plan: where it comes from, where it goes (relative to the destination), its size. */
public record CopyItem(String source, String target, long size) {}
