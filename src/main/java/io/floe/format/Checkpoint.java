package io.floe.format;

import java.util.List;

/**
 * A summary of a topic's chain up to and including commit {@code sequence}: per partition, the
 * log start offset, the end offset (high watermark) and the index of where its offsets live.
 */
public record Checkpoint(long sequence, long timestampMs, List<PartitionState> partitions) {

    public record PartitionState(int partition, long logStartOffset, long endOffset, List<IndexEntry> entries) {
    }
}
