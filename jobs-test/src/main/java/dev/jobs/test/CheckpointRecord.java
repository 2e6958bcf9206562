package dev.jobs.test;

import java.util.Map;

/**
 * One committed checkpoint of a run: its number (from 1, across restarts), the size of the saved
 * state, and that state decoded to field names and values for reading.
 */
public record CheckpointRecord(int number, int stateBytes, Map<String, Object> state) {}
