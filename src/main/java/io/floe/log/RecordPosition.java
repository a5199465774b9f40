package io.floe.log;

/** Where an appended record landed. */
public record RecordPosition(int partition, long offset) {
}
