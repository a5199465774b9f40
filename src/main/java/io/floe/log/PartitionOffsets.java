package io.floe.log;

/** A partition's log start offset and end offset (high watermark: the next offset to be written). */
public record PartitionOffsets(int partition, long logStartOffset, long endOffset) {
}
