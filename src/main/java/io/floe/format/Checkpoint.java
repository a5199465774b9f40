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
    public record PartitionState(int partition, long logStartOffset, long endOffset, List<IndexEntry> entries, long cleanedUpTo,
                                 List<Producer> producers, List<AbortedTxn> aborted) {

        public PartitionState {
            entries = List.copyOf(entries);
            producers = List.copyOf(producers);
            aborted = List.copyOf(aborted);
        }

        public PartitionState(int partition, long logStartOffset, long endOffset, List<IndexEntry> entries, long cleanedUpTo) {
            this(partition, logStartOffset, endOffset, entries, cleanedUpTo, List.of(), List.of());
        }

        public PartitionState(int partition, long logStartOffset, long endOffset, List<IndexEntry> entries) {
            this(partition, logStartOffset, endOffset, entries, logStartOffset);
        }
    }

    /**
     * A producer's state on a partition (version 3): its epoch, when a commit last carried one of its
     * batches, the first offset of its open transaction (-1 when none) and its last batches, oldest first.
     */
    public record Producer(long producerId, short epoch, long lastCommitMs, long txnFirstOffset, List<SeqRange> batches) {
        public Producer {
            batches = List.copyOf(batches);
        }
    }

    /** One batch run of a producer: sequences {@code [firstSeq, lastSeq]} at offsets {@code [baseOffset, lastOffset]}. */
    public record SeqRange(int firstSeq, int lastSeq, long baseOffset, long lastOffset) {
    }

    /** An aborted transaction: offsets {@code [firstOffset, lastOffset]} of the producer, the last being its ABORT marker. */
    public record AbortedTxn(long producerId, long firstOffset, long lastOffset) {
    }
}
