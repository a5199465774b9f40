package io.floe.format;

import java.util.List;

/**
 * One link of a topic's commit chain, decoded. The commit numbered {@code sequence} owns the
 * offsets its entries list. {@code commitId} is unique per write attempt series, so a writer whose
 * response was lost can recognise its own commit. {@code segmentKey} is null when every entry is
 * inline. Entry positions are absolute within the object that holds the bytes (the segment, or for
 * {@link Entry#inline()} entries this commit object itself).
 *
 * <p>{@code controls} (format version 2) change what earlier commits said without adding offsets:
 * {@link Truncate} moves a partition's log start forward (retention), {@link Replace} swaps the index
 * entries covering exactly {@code [fromOffset, toOffset)} for new ones (merging, compaction). Only the
 * janitor writes them; offsets never change.
 */
public record Commit(long sequence, String commitId, String writerId, long timestampMs, String segmentKey, List<Entry> entries,
                     List<Control> controls, List<ProducerBatch> producerBatches) {

    public Commit {
        entries = List.copyOf(entries);
        controls = List.copyOf(controls);
        producerBatches = List.copyOf(producerBatches);
    }

    /** A commit without producer batches (format version 1 or 2). */
    public Commit(long sequence, String commitId, String writerId, long timestampMs, String segmentKey, List<Entry> entries,
                  List<Control> controls) {
        this(sequence, commitId, writerId, timestampMs, segmentKey, entries, controls, List.of());
    }

    /** A commit of appends only (format version 1). */
    public Commit(long sequence, String commitId, String writerId, long timestampMs, String segmentKey, List<Entry> entries) {
        this(sequence, commitId, writerId, timestampMs, segmentKey, entries, List.of());
    }

    public record Entry(int partition, long baseOffset, int offsetCount, long maxTimestamp, boolean inline, long position, int length) {
    }

    /** What a batch of a producer with an id is, for the partition's producer state. */
    public enum BatchKind {
        /** An idempotent producer's batch outside a transaction. */
        IDEMPOTENT,
        /** A batch of an open transaction. */
        TRANSACTIONAL,
        /** A control batch ending the producer's transaction by committing it. */
        COMMIT_MARKER,
        /** A control batch ending the producer's transaction by aborting it. */
        ABORT_MARKER;

        public boolean marker() {
            return this == COMMIT_MARKER || this == ABORT_MARKER;
        }
    }

    /**
     * One appended run of batches of one producer (format version 3): offsets {@code [baseOffset,
     * lastOffset]} of {@code partition}, sequences {@code [firstSeq, lastSeq]} (-1 for markers). The
     * partition's producer state (idempotence, open transactions, aborted ranges) is derived from
     * these alone, so no reader needs the batches' bytes to know it.
     */
    public record ProducerBatch(int partition, long baseOffset, long lastOffset, long producerId, short epoch, int firstSeq,
                                int lastSeq, BatchKind kind) {
    }

    /** A change to a partition's index that adds no offsets. */
    public sealed interface Control {
        int partition();
    }

    /** Drop index entries wholly below {@code newLogStartOffset}; the log start moves there. */
    public record Truncate(int partition, long newLogStartOffset) implements Control {
    }

    /**
     * Replace the entries covering exactly {@code [fromOffset, toOffset)} by {@code entries}, which tile
     * the same range. {@code cleanedUpTo} is the offset up to which the partition is now compacted, or
     * -1 when this replacement does not change it (merging).
     */
    public record Replace(int partition, long fromOffset, long toOffset, List<IndexEntry> entries, long cleanedUpTo)
            implements Control {
        public Replace {
            entries = List.copyOf(entries);
        }
    }
}
