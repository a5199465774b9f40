package io.floe.model;

import java.util.List;

/** A committed record as a consumer sees it. */
public record FetchedRecord(int partition, long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
}
