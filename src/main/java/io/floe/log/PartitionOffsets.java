package io.floe.log;

/**
 * A partition's log start offset, end offset (high watermark: the next offset to be written) and last
 * stable offset (the first offset of its oldest open transaction, else the high watermark): what a
 * read_committed reader may read up to.
 */
public record PartitionOffsets(int partition, long logStartOffset, long endOffset, long lastStableOffset) {

    /** Offsets of a partition without open transactions. */
    public PartitionOffsets(int partition, long logStartOffset, long endOffset) {
        this(partition, logStartOffset, endOffset, endOffset);
    }

    /** The offset a reader at {@code isolation} may read up to (exclusive). */
    public long readableEnd(IsolationLevel isolation) {
        return isolation == IsolationLevel.READ_COMMITTED ? lastStableOffset : endOffset;
    }
}
