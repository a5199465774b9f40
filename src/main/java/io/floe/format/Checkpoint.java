package io.floe.format;

import java.util.List;

/**
 * A summary of a topic's chain up to and including commit {@code sequence}: per partition, the
 * log start offset, the end offset (high watermark) and the index of where its offsets live.
 */
public record Checkpoint(long sequence, long timestampMs, List<PartitionState> partitions) {

    /**
     * One partition. {@code cleanedUpTo} is the offset below which the partition was last compacted
     * (version 2; a version 1 checkpoint reads as its log start offset).
     */
    public record PartitionState(int partition, long logStartOffset, long endOffset, List<IndexEntry> entries, long cleanedUpTo) {

        public PartitionState(int partition, long logStartOffset, long endOffset, List<IndexEntry> entries) {
            this(partition, logStartOffset, endOffset, entries, logStartOffset);
        }
    }
}
